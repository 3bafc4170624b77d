"""Another patient's sign-in and session save while one patient imports an
archive of 60 photos of 12 MP (issue 14's reproduction).

Starts our HTTP routes (`meso_journal.web.api:api`, the same code the app mounts)
under granian, as Reflex's production server runs them, on a throwaway data
folder and SQLite database. Patient B imports; meanwhile patient A signs in
over HTTP again and again (the server's event loop, its thread pool, argon2
and the database) and saves a session straight into the same SQLite file (a
second writer competing for the lock, as the Reflex worker's save does).
Prints the latency of each while the import runs, next to the same with the
server idle.

Usage: .venv/bin/python benchmarks/import_contention.py [SECONDS_IDLE]
"""

from __future__ import annotations

import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(tempfile.mkdtemp(prefix="meso-bench-contention-"))
os.environ["MESO_DATA_DIR"] = str(DATA)
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from PIL import Image  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

from meso_journal import database  # noqa: E402
from meso_journal.models import User  # noqa: E402
from meso_journal.rules import validation  # noqa: E402
from meso_journal.store import journal  # noqa: E402
from tests.archives import sixty_photos  # noqa: E402
from tests.factories import PASSWORD, TODAY, course_form, visit_form  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def camera_like_photo() -> bytes:
    """4032 × 3024 with sensor-like noise: as large and as slow to decode as a phone's."""
    img = Image.merge("RGB", [Image.effect_noise((4032, 3024), 48) for _ in range(3)])
    out = io.BytesIO()
    img.save(out, "JPEG", quality=92)
    return out.getvalue()


def timed(fn) -> tuple[float, bool]:
    start = time.perf_counter()
    try:
        ok = fn()
    except Exception:
        ok = False
    return time.perf_counter() - start, ok


def main() -> None:
    idle_seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    SQLModel.metadata.create_all(database.engine)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "granian"), "--interface", "asgi", "--host", "127.0.0.1"]
        + ["--port", str(port), "meso_journal.web.api:api"],
        cwd=ROOT,
        env={**os.environ, "MESO_SIGN_UPS_PER_HOUR": "1000"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/sign-in", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        a, b = httpx.Client(base_url=base), httpx.Client(base_url=base, timeout=600)
        for client, email in ((a, "a@example.com"), (b, "b@example.com")):
            client.post("/api/auth/sign-up", data={"email": email, "password": PASSWORD})
        with Session(database.engine, expire_on_commit=False) as db:
            alice = db.exec(select(User).where(User.email == "a@example.com")).one()
            course = journal.create_course(
                db=db, owner_id=alice.id, data=validation.course_input(course_form(), today=TODAY)
            )

        def sign_in() -> bool:
            r = a.post("/api/auth/sign-in", data={"email": "a@example.com", "password": PASSWORD})
            return r.status_code == 303 and r.headers["location"] == "/"

        def save() -> bool:
            data = validation.visit_input(visit_form(), today=TODAY)
            with Session(database.engine) as db:
                journal.create_visit(db=db, owner_id=alice.id, course_id=course.id, data=data)
            return True

        def measure(until) -> dict[str, list[tuple[float, bool]]]:
            got: dict[str, list[tuple[float, bool]]] = {"sign-in": [], "save": []}
            while not until():
                got["sign-in"].append(timed(sign_in))
                got["save"].append(timed(save))
                time.sleep(0.05)
            return got

        idle_end = time.monotonic() + idle_seconds
        idle = measure(lambda: time.monotonic() > idle_end)

        raw = sixty_photos(camera_like_photo())
        answer: dict = {}

        def run_import() -> None:
            start = time.perf_counter()
            answer["r"] = b.post("/api/import", files={"archive": ("backup.zip", raw, "application/zip")})
            answer["seconds"] = time.perf_counter() - start

        importing = threading.Thread(target=run_import)
        importing.start()
        time.sleep(0.5)  # into the photos
        busy = measure(lambda: not importing.is_alive())
        importing.join()

        print(f"import of 60 photos of 12 MP ({len(raw) / 1e6:.1f} MB): {answer['seconds']:.1f} s,")
        print(f"  answered {answer['r'].status_code} {answer['r'].headers.get('location')}")
        print(f"{'':22}{'n':>5}{'median':>11}{'max':>11}{'failed':>8}")
        for label, results in (("idle", idle), ("importing", busy)):
            for what, runs in results.items():
                seconds = [s for s, _ in runs]
                failed = sum(not ok for _, ok in runs)
                print(
                    f"{label + ' ' + what:<22}{len(runs):>5}{statistics.median(seconds) * 1000:>8.0f} ms"
                    f"{max(seconds) * 1000:>8.0f} ms{failed:>8}"
                )
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
