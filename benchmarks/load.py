"""The event path's cost under load: Meso Journal against a blank Reflex app,
both measured in the same run, the same way.

Each app is started in production mode, backend only (Reflex's own `run`
code, see LAUNCH), on a free port with a throwaway data folder; ours after
`alembic upgrade head`, on SQLite or on a throwaway PostgreSQL database.
Patients sign up through our real HTTP route (so their cookies are real);
their course and sessions are written with the store functions (setup only).
Then socket.io clients, one per browser tab, send what the compiled pages
send: `on_load_internal` with the page's router data for a page open (what a
click on a tab of the bottom bar sends), and the form's on_submit handler with
the form's entries for a save. The blank app (benchmarks/blank_app) has the
same four routes, one trivial on_load per page and trivial save handlers.

Event names are not written here: a small script run in each app's folder
imports the app and reads them from it (the hydrate and on_load_internal
events from Reflex's states, each page's on_load list, and the on_submit
handler of the form on /checkin and /log). A renamed handler is found as
long as the page still wires it.

Measured, per app:
  - one tab on an idle server: each action's latency;
  - the timeline with 3, 15 and 60 sessions in the course (one tab, idle);
  - PSS of the server's process group with N tabs connected minus with none;
  - paced: N tabs, each one action every 2 s (think time), for --seconds;
  - saturating: the same tabs back to back, for --seconds;
  with the mix timeline 40 %, photos 25 %, check-in save 20 %, session save 15 %.

With --cluster, ours runs as 1 and then as 2 servers behind nginx, on
PostgreSQL and Redis (cluster/servers.py), in place of ours and the blank
app: the report's "ours/blank" ratios then read "1 server / 2 servers".

Usage:
  .venv/bin/python benchmarks/load.py --quick
  .venv/bin/python benchmarks/load.py --quick --cluster
  .venv/bin/python benchmarks/load.py --db postgres --tabs 50 --seconds 60
  .venv/bin/python benchmarks/load.py --app-dir /path/to/other/checkout
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

import httpx
import socketio

HERE = Path(__file__).resolve().parent
BLANK_DIR = HERE / "blank_app"
PASSWORD = "benchmark password 123"

# (action, share of the mix). Page opens wait for the hydrated flag, saves for their redirect.
MIX = [("timeline", 0.40), ("photos", 0.25), ("checkin_save", 0.20), ("session_save", 0.15)]
ACTIONS = [name for name, _ in MIX]
PAGE_OF = {"timeline": "/", "photos": "/photos", "checkin_save": "/checkin", "session_save": "/log"}
ACTION_TIMEOUT = 60.0
PACED_INTERVAL = 2.0

# `reflex run --env prod --backend-only --backend-port PORT`, through the same
# function the CLI calls: the CLI refuses --backend-only when rxconfig sets a
# frontend_port, and ours does (it runs front and back on one port).
LAUNCH = """
import sys
from reflex_base import constants
from reflex_base.environment import environment
from reflex.reflex import _run
environment.REFLEX_COMPILE_CONTEXT.set(constants.CompileContext.RUN)
environment.REFLEX_BACKEND_ONLY.set(True)
_run(env=constants.Env.PROD, running_mode=constants.RunningMode.BACKEND_ONLY, backend_port=int(sys.argv[1]))
"""

# Run in the app's folder: the event names as the app defines them.
DISCOVER = """
import importlib, importlib.util, json
from reflex.state import OnLoadInternalState, State
from reflex_base.config import get_config
from reflex_base.utils.format import format_event_handler

name = get_config().app_name
app = importlib.import_module(f"{name}.{name}").app

def walk(component):
    yield component
    for child in getattr(component, "children", None) or []:
        yield from walk(child)

def submit_handler(route):
    page = next(p for p in app._unevaluated_pages.values() if "/" + p.route.strip("/") == route)
    for c in walk(page.component()):
        chain = (getattr(c, "event_triggers", None) or {}).get("on_submit")
        if chain is not None:
            spec = chain.events[0]
            return {"name": format_event_handler(spec.handler), "arg": str(spec.args[0][0])}
    raise SystemExit(f"no form with on_submit on {route}")

def has_outbox():
    try:
        return importlib.util.find_spec(f"{name}.web.entries") is not None
    except ModuleNotFoundError:
        return False

def shows_saves_itself():
    # The page goes on to where a stored entry is shown by itself (a hidden
    # button with a client-side redirect, components/forms.after_save): no
    # event carries the answer to the form's handler.
    try:
        return hasattr(importlib.import_module(f"{name}.components.forms"), "after_save")
    except ModuleNotFoundError:
        return False

print(json.dumps({
    # Saves go to POST /api/entries first (the phone's outbox), and the form's
    # handler then only shows the answer, unless the page shows it itself.
    "outbox": has_outbox(),
    "answer_event": not shows_saves_itself(),
    "hydrate": format_event_handler(State.hydrate_and_load),
    "on_load_internal": format_event_handler(OnLoadInternalState.on_load_internal),
    # on_load_internal, the page's on_load handlers, then set_is_hydrated.
    "page_events": {r: 2 + len(app.get_load_events(r)) for r in ("/", "/photos", "/checkin", "/log")},
    "saves": {r: submit_handler(r) for r in ("/checkin", "/log")},
}))
"""

# Run in our app's folder against the server's database: a course with n sessions per patient.
SEED = """
import json, sys
from datetime import UTC, datetime, timedelta
from sqlmodel import select
from meso_journal import database
from meso_journal.models import User
from meso_journal.rules import validation
from meso_journal.store import journal

today = datetime.now(UTC).date()
out = {}
with database.session() as db:
    for email, n in json.load(sys.stdin):
        user = db.exec(select(User).where(User.email == email)).one()
        course = journal.create_course(db=db, owner_id=user.id, data=validation.course_input(
            {"goal": "cellulite", "area:thighs": "on", "clinic": "Benchmark clinic",
             "start_date": str(today - timedelta(days=3 * n + 10))}, today=today))
        ids = []
        for i in range(n):
            day = today - timedelta(days=3 * (n - i))
            form = {"performed_at": f"{day}T10:00", "area:thighs": "on", "cost": "300", "pain": "3",
                    "effect:bruising": "mild", "days:bruising": "2", "notes": "Benchmark session."}
            ids.append(journal.create_visit(db=db, owner_id=user.id, course_id=course.id,
                                            data=validation.visit_input(form, today=today)).id)
        out[email] = {"course": course.id, "visits": ids}
print(json.dumps(out))
"""


def form_entries(action: str) -> list[list[str]]:
    """Valid forms, as the browser's FormData entries: every save really stores."""
    today = datetime.now(UTC).date()
    if action == "checkin_save":
        return [["checked_on", str(today)], ["effect:bruising", "mild"], ["note", "Better today."]]
    return [
        ["performed_at", f"{today}T09:30"],
        ["area:thighs", "on"],
        ["cost", "300"],
        ["pain", "4"],
        ["effect:bruising", "mild"],
        ["days:bruising", "2"],
        ["notes", "Benchmark session."],
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_of(pids: list[int]) -> dict[int, float]:
    """utime + stime (all threads) of each process still alive, in seconds."""
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return out


def percentile(values: list[float], p: float) -> float:
    """Nearest rank; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# --- the server ----------------------------------------------------------------------


class Server:
    """One app's production backend, in its own process group (for CPU and PSS)."""

    def __init__(self, label: str, app_dir: Path, python: Path, tools_dir: Path, env: dict, pg=("", "")):
        self.label = label
        # Where to ask which PostgreSQL backends serve the throwaway database, and its name.
        self.pg_admin, self.pg_name = pg
        self.app_dir = app_dir
        self.python = python
        self.port = free_port()
        # The Origin our edge guard accepts (settings.ALLOWED_ORIGINS from PORT).
        self.url = f"http://localhost:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"meso-load-{label.replace(' ', '-')}-"))
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("MESO_", "REFLEX_REDIS"))}
        self.env.update(
            PORT=str(self.port),
            MESO_DATA_DIR=str(self.data_dir),
            # Every tab is a patient signing up from 127.0.0.1.
            MESO_SIGN_UPS_PER_HOUR="100000",
            # Every tab of the benchmark comes from 127.0.0.1.
            MESO_SIGN_INS_PER_10_MINUTES="100000",
            MESO_SOCKETS_PER_10_MINUTES="1000000",
            REFLEX_USE_SYSTEM_BUN="1",
            PATH=f"{tools_dir / 'node_modules' / '.bin'}{os.pathsep}{os.environ['PATH']}",
            **env,
        )
        self.proc: subprocess.Popen | None = None

    def run_python(self, code: str, stdin: str = "") -> str:
        done = subprocess.run(
            [str(self.python), "-c", code],
            cwd=self.app_dir,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"{self.label}: helper script failed:\n{done.stderr[-3000:]}")
        return done.stdout.strip().splitlines()[-1]

    def start(self) -> None:
        if (self.app_dir / "alembic.ini").exists():
            subprocess.run(
                [str(self.python), "-m", "alembic", "upgrade", "head"],
                cwd=self.app_dir,
                env=self.env,
                check=True,
                capture_output=True,
            )
        self.log = open(self.data_dir / "server.log", "a")
        self.proc = subprocess.Popen(
            [str(self.python), "-c", LAUNCH, str(self.port)],
            cwd=self.app_dir,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.label} exited:\n{(self.data_dir / 'server.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/ping", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"{self.label} did not answer /ping in 3 minutes")

    def pids(self) -> list[int]:
        """Every process of the server's group: the launcher, granian and its worker."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # Fields after the ")" that closes the command name: state, ppid, pgrp, ...
            if int(stat.rsplit(")", 1)[1].split()[2]) == self.proc.pid:
                found.append(int(entry))
        return found

    def cpu_seconds(self) -> float:
        return sum(cpu_of(self.pids()).values())

    def db_cpu(self) -> dict[int, float]:
        """CPU of the PostgreSQL backends serving this server's database, by pid (empty on
        SQLite, which runs inside the server's own process and is counted there)."""
        if not self.pg_admin:
            return {}
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.pg_name,)).fetchall()
        return cpu_of([pid for (pid,) in rows])

    def db_connections(self) -> int:
        """Connections ever opened to the throwaway database (0 on SQLite)."""
        if not self.pg_admin:
            return 0
        import psycopg

        with psycopg.connect(self.pg_admin, autocommit=True) as conn:
            query = "SELECT sessions FROM pg_stat_database WHERE datname = %s"
            return conn.execute(query, (self.pg_name,)).fetchone()[0]

    def pss_kb(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total

    def stop(self) -> None:
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGINT)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None
        self.log.close()


class ClusterTarget(Server):
    """Our app as N servers behind nginx, on PostgreSQL and their own Redis
    (cluster/servers.py, what `make cluster` starts), driven through the proxy.
    CPU and PSS count every server, Redis and nginx."""

    def __init__(self, n: int, app_dir: Path, python: Path, tools_dir: Path, pg_url: str):
        self.database_url, name, self.drop = postgres_database(pg_url)
        pg = (pg_url.replace("postgresql+psycopg://", "postgresql://"), name)
        super().__init__(f"{n} server{'s' if n > 1 else ''}", app_dir, python, tools_dir, {}, pg)
        self.env["MESO_DB_URL"] = self.database_url
        sys.path.insert(0, str(app_dir))
        from cluster.servers import Cluster

        limits = {k: v for k, v in self.env.items() if k.startswith("MESO_SIGN") or k.startswith("MESO_SOCKETS")}
        self.cluster = Cluster(database_url=self.database_url, work_dir=self.data_dir, servers=n, env=limits)
        self.url = self.cluster.url

    def start(self) -> None:
        self.cluster.start()

    def stop(self) -> None:
        self.cluster.stop()
        self.drop()

    def pids(self) -> list[int]:
        found = []
        for process in [*self.cluster.servers, self.cluster.redis, self.cluster.nginx]:
            found += process.group_pids()
        return found


# --- one browser tab -----------------------------------------------------------------


def _deltas(update: dict):
    for values in (update.get("delta") or {}).values():
        if isinstance(values, dict):
            yield from values.items()


def _redirected(update: dict) -> bool:
    return any(e.get("name") == "_redirect" for e in update.get("events") or [])


def _failed(update: dict) -> bool:
    """A refused form or the app's "something went wrong" sentence."""
    return any(
        (key.startswith("errors") and value) or (key.startswith("problem") and value) for key, value in _deltas(update)
    )


def page_opened(update: dict) -> bool | None:
    # Being sent elsewhere (to sign in, or away from a missing session) is a failure.
    if _redirected(update) or _failed(update):
        return False
    if any(key.startswith("is_hydrated") and value is True for key, value in _deltas(update)):
        return True
    return None


def saved(update: dict) -> bool | None:
    # Both apps answer a stored form with a redirect to the timeline.
    if _failed(update):
        return False
    return True if _redirected(update) else None


class Tab:
    """A socket.io client that sends events as the compiled pages do."""

    def __init__(self, server: Server, names: dict, cookie: str | None, course_id: int, visit_id: int, email=""):
        self.server = server
        self.email = email
        self.names = names
        self.cookie = cookie
        self.course_id = course_id
        self.visit_id = visit_id
        self.http: httpx.AsyncClient | None = None
        self.token = str(uuid.uuid4())
        self.updates: list[dict] = []
        self.arrived = asyncio.Event()
        self.client = socketio.AsyncClient(reconnection=False)
        self.client.on("event", self._received, namespace="/_event")

    def _received(self, data) -> None:
        self.updates.append(json.loads(data) if isinstance(data, str) else data)
        self.arrived.set()

    async def connect(self) -> float:
        """Opens the socket and hydrates on the timeline, as a page load does; returns that hydrate's seconds."""
        headers = {"Origin": self.server.url}
        if self.cookie:
            headers["Cookie"] = self.cookie
        await self.client.connect(
            f"{self.server.url}?token={self.token}",
            socketio_path="/_event",
            transports=["websocket"],
            namespaces=["/_event"],
            headers=headers,
            wait_timeout=30,
        )
        seconds, ok = await self.send(self.names["hydrate"], {}, "/", page_opened)
        if not ok:
            raise RuntimeError(f"{self.server.label}: a new tab did not hydrate: {self.updates[-3:]}")
        return seconds

    async def send(self, name: str, payload: dict, path: str, finished) -> tuple[float, bool]:
        route, _, query = path.partition("?")
        router_data = {"pathname": route, "asPath": path}
        if query:
            router_data["query"] = dict(pair.split("=", 1) for pair in query.split("&"))
        start = len(self.updates)
        began = time.perf_counter()
        await self.client.emit(
            "event", {"name": name, "payload": payload, "router_data": router_data}, namespace="/_event"
        )
        deadline = began + ACTION_TIMEOUT
        seen = start
        while True:
            while seen < len(self.updates):
                verdict = finished(self.updates[seen])
                seen += 1
                if verdict is not None:
                    elapsed = time.perf_counter() - began
                    if not verdict:
                        # Let the rest of a failed chain arrive before the next action starts.
                        await asyncio.sleep(0.5)
                    return elapsed, verdict
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or not self.client.connected:
                return time.perf_counter() - began, False
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), remaining)
            except TimeoutError:
                pass

    async def act(self, action: str) -> tuple[float, bool]:
        page = PAGE_OF[action]
        if action == "checkin_save":
            page = f"/checkin?session={self.visit_id}"
        if action in ("timeline", "photos"):
            return await self.send(self.names["on_load_internal"], {}, page, page_opened)
        handler = self.names["saves"][PAGE_OF[action]]
        form = form_entries(action)
        if not self.names.get("outbox"):
            entries = {"__reflex_form_data__": form}  # reflex_base.utils.form.FORM_DATA_ENTRIES_KEY
            return await self.send(handler["name"], {handler["arg"]: entries}, page, saved)
        # As assets/outbox.js saves: the entry to /api/entries, then (before
        # forms.after_save) the answer to the form's handler.
        began = time.perf_counter()
        if self.http is None:
            self.http = httpx.AsyncClient(timeout=ACTION_TIMEOUT)
        kind, parent = ("checkin", self.visit_id) if action == "checkin_save" else ("session", self.course_id)
        entry = {"key": str(uuid.uuid4()), "kind": kind, "parent": parent, "fields": dict(form)}
        try:
            answer = await self.http.post(
                f"{self.server.url}/api/entries",
                json=entry,
                # outbox.js names the entry's patient; the server checks it against the cookie.
                headers={"Cookie": self.cookie or "", "Origin": self.server.url, "X-Meso-Owner": quote(self.email)},
            )
        except httpx.HTTPError:
            return time.perf_counter() - began, False
        if answer.status_code != 201:
            return time.perf_counter() - began, False
        if not self.names.get("answer_event", True):
            # The page redirects itself; the blank app's save ends at its redirect too.
            return time.perf_counter() - began, True
        entries = {"__reflex_form_data__": [*form, ["outbox_answer", '{"stored": true}']]}
        _, ok = await self.send(handler["name"], {handler["arg"]: entries}, page, saved)
        return time.perf_counter() - began, ok

    async def prepare(self) -> None:
        """Opens the check-in and log pages once, so their forms' states are loaded (as the
        patient had the page open before tapping Save), then returns to the timeline."""
        for path in (f"/checkin?session={self.visit_id}", "/log", "/"):
            _, ok = await self.send(self.names["on_load_internal"], {}, path, page_opened)
            if not ok:
                raise RuntimeError(f"{self.server.label}: opening {path} failed: {self.updates[-3:]}")

    async def close(self) -> None:
        await self.client.disconnect()
        if self.http is not None:
            await self.http.aclose()


# --- runs --------------------------------------------------------------------------


@dataclass
class Run:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: int = 0
    seconds: float = 0.0
    server_cpu: float = 0.0
    db_cpu: float = 0.0  # PostgreSQL backends; a lower bound (a backend that exits mid-run takes its CPU along)
    db_connections: int = 0  # new PostgreSQL connections opened during the run
    client_cpu: float = 0.0

    @property
    def all(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]

    @property
    def actions(self) -> int:
        return len(self.all) + self.errors


async def drive(server: Server, tabs: list[Tab], seconds: float, interval: float | None, seed: int) -> Run:
    """Every tab runs the mix until the time is up: paced (one action per interval,
    first ones spread over the interval) or back to back. In-flight actions finish."""
    run = Run()
    conn0, db0 = server.db_connections(), server.db_cpu()
    cpu0, client0, t0 = server.cpu_seconds(), time.process_time(), time.perf_counter()
    deadline = t0 + seconds

    async def one(tab: Tab, rng: random.Random) -> None:
        next_at = t0 + (rng.uniform(0, interval) if interval else 0)
        while True:
            if interval:
                await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                next_at += interval
            if time.perf_counter() >= deadline:
                return
            action = rng.choices(ACTIONS, weights=[w for _, w in MIX])[0]
            elapsed, ok = await tab.act(action)
            if ok:
                run.latencies[action].append(elapsed)
            else:
                run.errors += 1

    await asyncio.gather(*(one(tab, random.Random(seed + i)) for i, tab in enumerate(tabs)))
    run.seconds = time.perf_counter() - t0
    run.server_cpu = server.cpu_seconds() - cpu0
    run.db_cpu = sum(seconds - db0.get(pid, 0.0) for pid, seconds in server.db_cpu().items())
    await asyncio.sleep(1)  # PostgreSQL's statistics are flushed within a second
    run.db_connections = server.db_connections() - conn0
    run.client_cpu = time.process_time() - client0
    return run


async def one_tab(tab: Tab, action: str, reps: int) -> list[float]:
    out = []
    for _ in range(reps):
        elapsed, ok = await tab.act(action)
        if not ok:
            raise RuntimeError(f"{tab.server.label}: {action} failed on an idle server: {tab.updates[-3:]}")
        out.append(elapsed)
    return out


@dataclass
class Result:
    label: str
    names: dict
    idle: dict[str, list[float]] = field(default_factory=dict)
    new_tab: list[float] = field(default_factory=list)
    timeline_by_size: dict[int, list[float]] = field(default_factory=dict)
    # The same timeline opened in a new tab each time: nothing loaded yet, so
    # every page open reads the course (the first open after a save costs this).
    timeline_cold_by_size: dict[int, list[float]] = field(default_factory=dict)
    pss_base_kb: int = 0
    pss_tabs_kb: int = 0
    idle_cpu_per_s: float = 0.0  # the server's own CPU with nothing to do (timers, sweeps)
    tabs: int = 0
    paced: Run | None = None
    saturating: Run | None = None

    def events_of(self, action: str) -> int:
        """Server events one action runs: a page open's chain, or the one save handler."""
        if action in ("timeline", "photos"):
            return self.names["page_events"][PAGE_OF[action]]
        return 1

    def events(self, run: Run) -> int:
        return sum(len(v) * self.events_of(a) for a, v in run.latencies.items())


async def sign_up(server: Server, emails: list[str]) -> dict[str, str]:
    """POST /api/auth/sign-up for each; the Cookie header each patient's browser would then send."""
    cookies: dict[str, str] = {}
    limit = asyncio.Semaphore(2)  # argon2 takes a core each; two cores here

    async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:

        async def one(email: str) -> None:
            async with limit:
                r = await http.post(
                    "/api/auth/sign-up",
                    data={"email": email, "password": PASSWORD},
                    headers={"Origin": server.url},
                )
            if r.status_code != 303 or not r.cookies:
                raise RuntimeError(f"sign-up of {email} answered {r.status_code} {r.headers.get('location')}")
            cookies[email] = "; ".join(f"{k}={v}" for k, v in r.cookies.items())

        await asyncio.gather(*(one(e) for e in emails))
    return cookies


async def measure(server: Server, ours: bool, args) -> Result:
    names = json.loads(server.run_python(DISCOVER))
    result = Result(server.label, names)
    server.start()
    print(f"[{server.label}] up on {server.url}; save handlers: {names['saves']}", flush=True)

    # Patients: one per tab, one for the idle tab, and one per timeline size.
    sizes = (3, 15, 60)
    tag = uuid.uuid4().hex[:6]
    emails = [f"load-{tag}-{i}@example.com" for i in range(args.tabs + 1)]
    size_emails = {n: f"load-{tag}-size{n}@example.com" for n in sizes}
    cookies: dict[str, str | None] = {}
    seeded: dict[str, dict] = {}
    if ours:
        cookies = await sign_up(server, emails + list(size_emails.values()))
        plan = [[e, 3] for e in emails] + [[e, n] for n, e in size_emails.items()]
        seeded = json.loads(server.run_python(SEED, json.dumps(plan)))
        print(f"[{server.label}] {len(plan)} patients signed up and seeded", flush=True)

    def tab_for(email: str) -> Tab:
        mine = seeded.get(email) or {"course": 1, "visits": [1]}
        return Tab(server, names, cookies.get(email), mine["course"], mine["visits"][0], email)

    # One tab on an idle server. Page opens first, so the timeline is measured
    # with the patient's 3 sessions, before the saves add more.
    idle = tab_for(emails[-1])
    await idle.connect()
    await idle.prepare()
    for action in ACTIONS:
        await one_tab(idle, action, args.warmup)
        result.idle[action] = await one_tab(idle, action, args.reps)
    await idle.close()

    for n, email in size_emails.items():
        tab = tab_for(email)
        await tab.connect()
        await one_tab(tab, "timeline", args.warmup)
        result.timeline_by_size[n] = await one_tab(tab, "timeline", args.reps)
        await tab.close()
        cold = []
        for _ in range(max(5, args.reps // 2)):
            fresh = tab_for(email)
            cold.append(await fresh.connect())
            await fresh.close()
        result.timeline_cold_by_size[n] = cold
    print(f"[{server.label}] idle figures taken", flush=True)

    # Memory per tab: the server's group with the tabs connected and their
    # pages opened, minus before. The idle tabs' states stay in memory (Reflex
    # keeps a token's state after it disconnects), so they are in both.
    cpu0 = server.cpu_seconds()
    await asyncio.sleep(3)
    result.idle_cpu_per_s = (server.cpu_seconds() - cpu0) / 3
    result.pss_base_kb = server.pss_kb()
    tabs = [tab_for(e) for e in emails[: args.tabs]]
    for tab in tabs:
        result.new_tab.append(await tab.connect())
        await tab.prepare()
    await asyncio.sleep(1)
    result.pss_tabs_kb = server.pss_kb()
    result.tabs = len(tabs)
    print(f"[{server.label}] {len(tabs)} tabs connected", flush=True)

    result.paced = await drive(server, tabs, args.seconds, PACED_INTERVAL, seed=1)
    print(f"[{server.label}] paced run done", flush=True)
    result.saturating = await drive(server, tabs, args.seconds, None, seed=2)
    print(f"[{server.label}] saturating run done", flush=True)
    for tab in tabs:
        await tab.close()
    return result


# --- report --------------------------------------------------------------------------


def ms(x: float) -> str:
    return f"{x * 1000:.1f}"


def ratio(a: float, b: float) -> str:
    if not b:
        return "–"
    r = a / b
    return f"{r:.1f}×" if r >= 10 else f"{r:.2f}×"


def report(ours: Result, blank: Result, args) -> None:
    print()
    print(f"## {datetime.now():%Y-%m-%d %H:%M}, db={args.db}, tabs={args.tabs}, {args.seconds:g} s per run")
    print(f"load before: {args.load_before}; after: {Path('/proc/loadavg').read_text().split()[:3]}")
    print()
    print("One tab, idle server (ms): p50 / p95")
    print()
    o, b = ours.label, blank.label
    print(f"| action | events {o}/{b} | {o} p50 | {o} p95 | {b} p50 | {b} p95 | ratio p50 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    rows = [(a, ours.idle[a], blank.idle[a], f"{ours.events_of(a)}/{blank.events_of(a)}") for a in ACTIONS]
    rows.append(("new tab (hydrate_and_load)", ours.new_tab, blank.new_tab, "–"))
    for n in sorted(ours.timeline_by_size):
        rows.append((f"timeline again, {n} sessions", ours.timeline_by_size[n], blank.timeline_by_size[n], "–"))
    for n in sorted(ours.timeline_cold_by_size):
        rows.append(
            (f"timeline in a new tab, {n} sessions", ours.timeline_cold_by_size[n], blank.timeline_cold_by_size[n], "–")
        )
    for name, o, b, ev in rows:
        o50, b50 = percentile(o, 50), percentile(b, 50)
        print(
            f"| {name} | {ev} | {ms(o50)} | {ms(percentile(o, 95))} | {ms(b50)} | {ms(percentile(b, 95))} "
            f"| {ratio(o50, b50)} |"
        )
    print()
    print("Under load (the mix; latency in ms; CPU per action in ms)")
    print()
    head = "| run | app | actions/s | events/s | p50 | p95 | p99 | errors | server CPU/action | DB CPU/action "
    print(head + "| client CPU/action |")
    print("| --- " * 11 + "|")
    for kind in ("paced", "saturating"):
        for r in (ours, blank):
            run: Run = getattr(r, kind)
            n = max(1, run.actions)
            lat = run.all
            print(
                f"| {kind} | {r.label} | {run.actions / run.seconds:.1f} | {r.events(run) / run.seconds:.1f} "
                f"| {ms(percentile(lat, 50))} | {ms(percentile(lat, 95))} | {ms(percentile(lat, 99))} "
                f"| {run.errors} | {ms(run.server_cpu / n)} | {ms(run.db_cpu / n) if run.db_cpu else '–'} "
                f"| {ms(run.client_cpu / n)} |"
            )
    print()
    for r in (ours, blank):
        sat = r.saturating
        server_share, client_share = sat.server_cpu / sat.seconds, sat.client_cpu / sat.seconds
        print(
            f"{r.label}: server CPU with nothing to do {ms(r.idle_cpu_per_s)} ms/s; while saturating the "
            f"server used {server_share:.0%} of a core and this client {client_share:.0%}"
        )
        if sat.db_connections:
            print(f"{r.label}: PostgreSQL connections opened while saturating: {sat.db_connections}")
    print("events = handlers run: a page open is on_load_internal, the page's on_loads, set_is_hydrated")
    print()
    print("Saturating, per action (ms): p50 / p95")
    print()
    print(f"| action | {ours.label} | {blank.label} |")
    print("| --- | --- | --- |")
    for a in ACTIONS:
        o, b = ours.saturating.latencies[a], blank.saturating.latencies[a]
        print(
            f"| {a} | {ms(percentile(o, 50))} / {ms(percentile(o, 95))} "
            f"| {ms(percentile(b, 50))} / {ms(percentile(b, 95))} |"
        )
    print()
    print("Memory (PSS of the server's process group)")
    print()
    print("| app | PSS, 0 tabs | PSS, N tabs | per tab |")
    print("| --- | --- | --- | --- |")
    for r in (ours, blank):
        per = (r.pss_tabs_kb - r.pss_base_kb) / max(1, r.tabs)
        print(f"| {r.label} | {r.pss_base_kb / 1024:.0f} MB | {r.pss_tabs_kb / 1024:.0f} MB | {per:.0f} KB |")
    print()
    o_sat, b_sat = ours.saturating, blank.saturating
    o_per = (ours.pss_tabs_kb - ours.pss_base_kb) / max(1, ours.tabs)
    b_per = (blank.pss_tabs_kb - blank.pss_base_kb) / max(1, blank.tabs)
    print(f"Ratios {ours.label}/{blank.label}:")
    o_cpu, b_cpu = o_sat.server_cpu / max(1, o_sat.actions), b_sat.server_cpu / max(1, b_sat.actions)
    print(f"  saturating throughput (actions/s): {ratio(o_sat.actions / o_sat.seconds, b_sat.actions / b_sat.seconds)}")
    print(f"  server CPU per action, saturating: {ratio(o_cpu, b_cpu)}")
    o_idle, b_idle = percentile(ours.idle["timeline"], 50), percentile(blank.idle["timeline"], 50)
    print(f"  idle timeline p50: {ratio(o_idle, b_idle)}")
    print(f"  PSS per tab: {ratio(o_per, b_per)}")


# --- main --------------------------------------------------------------------------


def postgres_database(base_url: str) -> tuple[str, str, Callable[[], None]]:
    """A throwaway database beside the one in base_url; returns its URL, its name and a dropper."""
    import psycopg

    name = f"meso_load_{uuid.uuid4().hex[:10]}"
    plain = base_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base_url.rsplit("/", 1)[0] + f"/{name}", name, drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--app-dir", type=Path, default=HERE.parent, help="the Meso Journal checkout to measure")
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.getenv("POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
        help="a server where a throwaway database may be created (dropped afterwards)",
    )
    parser.add_argument("--tabs", type=int, default=50, help="tabs for the paced and saturating runs")
    parser.add_argument("--seconds", type=float, default=60, help="length of each of those runs")
    parser.add_argument("--reps", type=int, default=100, help="repetitions per idle measurement")
    parser.add_argument("--quick", action="store_true", help="short runs (about 3 minutes in all)")
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="ours on 1 and on 2 servers behind nginx, on PostgreSQL and Redis, instead of ours against blank",
    )
    parser.add_argument("--keep", action="store_true", help="keep the data folders and server logs")
    args = parser.parse_args()
    if args.quick:
        args.seconds, args.reps = min(args.seconds, 15), min(args.reps, 20)
    args.warmup = 5
    args.load_before = Path("/proc/loadavg").read_text().split()[:3]

    app_dir = args.app_dir.resolve()
    # The app's own virtualenv runs both apps: same Python, same Reflex.
    python = app_dir / ".venv" / "bin" / "python"
    if not python.exists():
        python = Path(sys.executable)
    env, pg, drop = {}, ("", ""), None
    if args.db == "postgres":
        env["MESO_DB_URL"], name, drop = postgres_database(args.postgres_url)
        pg = (args.postgres_url.replace("postgresql+psycopg://", "postgresql://"), name)

    if args.cluster:
        args.db = "postgres, redis, nginx"
        # Ours on 1 server and on 2 behind the proxy: the second is the reference.
        servers: list[Server] = [
            ClusterTarget(n, app_dir, python, app_dir / ".tools", args.postgres_url) for n in (1, 2)
        ]
    else:
        servers = [
            Server("ours", app_dir, python, app_dir / ".tools", env, pg),
            Server("blank", BLANK_DIR, python, app_dir / ".tools", {}),
        ]
    results = []
    try:
        for server in servers:
            try:
                ours = server.label != "blank"
                results.append(asyncio.run(measure(server, ours, args)))
            finally:
                server.stop()
        report(*results, args)
    finally:
        if drop:
            drop()
        for server in servers:
            if args.keep:
                print(f"kept {server.data_dir}")
            else:
                shutil.rmtree(server.data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
