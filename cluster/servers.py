"""Several Meso Journal servers behind nginx, on PostgreSQL, Redis and the
database photo store: what `make cluster` starts and `make test-cluster` tests.

Each app server is its own process tree (`reflex`'s production backend with
the compiled front end mounted, as `reflex run --env prod --single-port`
runs it) with its own data folder, so nothing on a server's disk is shared.
What they share is what a deployment shares: the PostgreSQL database, a Redis
for Reflex's state, the secret key, and the front end built once with the
proxy's address baked in.

The cluster supervises its servers: one that exits (killed, or Granian
stopping after its worker died; Reflex respawns neither) is started again.
In a deployment systemd does the same (cluster/meso-journal@.service).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from cluster import nginx

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str | None:
    """A program's path: on PATH, or where Debian puts daemons (/usr/sbin is
    not on an ordinary user's PATH)."""
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")


def missing_tools() -> list[str]:
    return [name for name in ("nginx", "redis-server") if tool(name) is None]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not happen within {seconds:.0f} s")


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


class Process:
    """A child process in its own process group, logging to a file."""

    def __init__(self, name: str, command: list[str], log: Path, env: dict[str, str] | None = None):
        self.name, self.command, self.log_path, self.env = name, command, log, env
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def kill(self) -> None:
        """Gone at once, with no chance to close its sockets cleanly."""
        self.stop(signal.SIGKILL)

    def group_pids(self) -> list[int]:
        """The process and everything it started (Granian's workers)."""
        if self.proc is None:
            return []
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[2]) == self.proc.pid:
                    found.append(int(entry))
        return found

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


class AppServer(Process):
    """One app server: its own port and data folder."""

    def __init__(self, n: int, port: int, data_dir: Path, env: dict[str, str]):
        env = {**env, "PORT": str(port), "MESO_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "cluster.serve", str(port)]
        super().__init__(f"server {n}", command, data_dir / "server.log", env)
        self.port = port
        self.address = f"127.0.0.1:{port}"

    def answers(self) -> bool:
        return self.running() and answers(f"http://{self.address}/ping")


class Cluster:
    """N app servers, their own Redis, and nginx in front, on a PostgreSQL
    database given by URL. Start with `start()`, end with `stop()`."""

    def __init__(
        self,
        *,
        database_url: str,
        work_dir: Path,
        servers: int = 2,
        workers: int = 1,
        port: int = 0,
        env: dict[str, str] | None = None,
        say: Callable[[str], None] = lambda line: None,
    ):
        self.database_url = database_url
        self.work_dir = work_dir.resolve()
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        self.say = say
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        # Kept between runs of `make cluster`: sessions and the doctor's photo
        # addresses stay valid when the cluster starts again.
        key_file = self.work_dir / "secret_key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        self.web_dir = self.work_dir / "web"
        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("MESO_", "REFLEX_"))}
        tools_bin = ROOT / ".tools" / "node_modules" / ".bin"
        base_env["PATH"] = f"{tools_bin}{os.pathsep}{base_env.get('PATH', '')}"
        origins = f"http://localhost:{self.port},http://127.0.0.1:{self.port}"
        self.shared_env = {
            **base_env,
            "REFLEX_USE_SYSTEM_BUN": "1",
            "MESO_DB_URL": database_url,
            "REFLEX_REDIS_URL": self.redis_url,
            "MESO_PHOTO_STORAGE": "database",
            "MESO_SECRET_KEY": key_file.read_text().strip(),
            "MESO_ALLOWED_ORIGINS": origins,
            "MESO_TRUSTED_PROXIES": "127.0.0.1",
            **(env or {}),
        }
        self.redis = Process(
            "redis",
            [
                tool("redis-server") or "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            self.work_dir / "redis.log",
        )
        self.servers: list[AppServer] = []
        for n in range(1, servers + 1):
            data_dir = self.work_dir / f"server-{n}"
            data_dir.mkdir(exist_ok=True)
            server_env = {
                **self.shared_env,
                "REFLEX_WEB_WORKDIR": str(self.web_dir),
                # Granian's processes per server (Reflex's default is 2 per core + 1).
                "GRANIAN_WORKERS": str(workers),
            }
            self.servers.append(AppServer(n, free_port(), data_dir, server_env))
        self.nginx_dir = self.work_dir / "nginx"
        self.nginx = Process(
            "nginx",
            [
                tool("nginx") or "nginx",
                "-p",
                str(self.nginx_dir),
                "-c",
                str(self.nginx_dir / "nginx.conf"),
                "-g",
                "daemon off;",
            ],
            self.work_dir / "nginx.log",
        )
        self._supervising = False
        self._supervisor: threading.Thread | None = None
        self.restarts: list[str] = []

    # --- the parts --------------------------------------------------------

    def build(self) -> None:
        """The front end, compiled once with the proxy's address as the
        backend's, in the cluster's own web folder (REFLEX_WEB_WORKDIR), which
        every server then reads: the checkout's `.web`, where `make run`
        builds and serves, is left alone. The packages are the checkout's
        (linked, not installed again)."""
        self.say(f"building the front end for {self.url}")
        if not (ROOT / ".web" / "node_modules").is_dir():
            raise RuntimeError("the front end's packages are missing: run `make setup` first")
        shutil.rmtree(self.web_dir, ignore_errors=True)
        # The skeleton Reflex made for this checkout; the build itself is redone.
        shutil.copytree(
            ROOT / ".web",
            self.web_dir,
            symlinks=True,
            ignore=shutil.ignore_patterns("node_modules", "build", ".react-router"),
        )
        (self.web_dir / "node_modules").symlink_to(ROOT / ".web" / "node_modules", target_is_directory=True)
        env = {
            **self.shared_env,
            "REFLEX_API_URL": self.url,
            "REFLEX_WEB_WORKDIR": str(self.web_dir),
            "MESO_DATA_DIR": str(self.work_dir / "build-data"),
        }
        subprocess.run(
            [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env", "prod"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )

    def migrate(self) -> None:
        subprocess.run(
            [sys.executable, "-m", "alembic", "upgrade", "head"],
            cwd=ROOT,
            env={**self.shared_env, "MESO_DATA_DIR": str(self.work_dir / "build-data")},
            check=True,
            capture_output=True,
        )

    def start_redis(self) -> None:
        self.redis.start()
        wait_until(self._redis_answers, 20, "Redis answering")

    def _redis_answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def restart_redis(self, down_seconds: float = 1.0) -> None:
        """Redis gone and back, empty: Reflex's state lives there (the
        database is the only truth, so nothing a patient saved is lost)."""
        self.redis.stop()
        time.sleep(down_seconds)
        self.start_redis()

    def start_server(self, server: AppServer) -> None:
        server.start()
        wait_until(server.answers, 180, f"{server.name} answering /ping")

    def start_nginx(self) -> None:
        (self.nginx_dir / "tmp").mkdir(parents=True, exist_ok=True)
        conf = nginx.config(
            listen=self.port,
            servers=[s.port for s in self.servers],
            run_dir=self.nginx_dir,
            max_upload_mb=int(self.shared_env.get("MESO_MAX_UPLOAD_MB", "25")),
            max_import_mb=int(self.shared_env.get("MESO_MAX_IMPORT_MB", "500")),
        )
        (self.nginx_dir / "nginx.conf").write_text(conf)
        # Run as root, nginx's workers switch to an unprivileged user, which must
        # pass through the work folder to the folders nginx makes for it under
        # tmp/ (request bodies). Nothing here is writable by others: the master
        # (root) writes the logs and the pid file.
        self.work_dir.chmod(self.work_dir.stat().st_mode | 0o111)
        self.nginx.start()
        wait_until(lambda: answers(f"{self.url}/ping"), 20, "nginx answering")

    # --- the whole ----------------------------------------------------------

    def start(self, *, build: bool = True) -> None:
        if missing := missing_tools():
            needs = " and ".join(missing)
            raise RuntimeError(f"the cluster needs {needs} (Debian: apt-get install nginx redis-server)")
        if build:
            self.build()
        self.say(f"Redis on port {self.redis_port}")
        self.start_redis()
        self.say("migrating the database")
        self.migrate()
        for server in self.servers:
            self.say(f"starting {server.name} on port {server.port}")
            self.start_server(server)
        self.start_nginx()
        self._supervising = True
        self._supervisor = threading.Thread(target=self._supervise, name="cluster supervisor", daemon=True)
        self._supervisor.start()
        self.say(f"nginx on {self.url}, round-robin over {len(self.servers)} servers")

    def _supervise(self) -> None:
        """Starts again any app server that exited. Reflex does not respawn a
        dead Granian worker: Granian stops, and this brings the server back."""
        while self._supervising:
            for server in self.servers:
                if self._supervising and server.proc is not None and not server.running():
                    code = server.proc.returncode
                    self.restarts.append(server.name)
                    self.say(f"{server.name} exited (code {code}); starting it again")
                    try:
                        self.start_server(server)
                    except RuntimeError as e:
                        self.say(f"{server.name} did not come back: {e}")
            time.sleep(0.5)

    def stop(self) -> None:
        self._supervising = False
        if self._supervisor is not None:
            self._supervisor.join(timeout=30)
        self.nginx.stop(signal.SIGQUIT)
        for server in self.servers:
            server.stop(signal.SIGINT, timeout=20)
        self.redis.stop()

    def wait_all_up(self, seconds: float = 180) -> None:
        """Every server running and answering (after a kill, the supervisor's restart)."""
        wait_until(lambda: all(s.answers() for s in self.servers), seconds, "every server answering")
        # nginx takes a server that failed out of the rotation for a few seconds:
        # ready when a round of requests through it all get answers.
        wait_until(
            lambda: all(answers(f"{self.url}/ping") for _ in self.servers),
            seconds,
            "nginx passing requests again",
        )

    def access_log(self) -> list[tuple[str, str, str]]:
        """(status, upstream server address, request line) for each request nginx passed on."""
        path = self.nginx_dir / "nginx-access.log"
        lines = path.read_text().splitlines() if path.exists() else []
        out = []
        for line in lines:
            _msec, status, upstream, request = line.split("|", 3)
            out.append((status, upstream, request))
        return out
