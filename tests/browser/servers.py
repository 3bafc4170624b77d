"""The servers the browser journeys run against: one production server
(what `make run` starts), or with MESO_TEST_CLUSTER a cluster of two behind
nginx (cluster/servers.py, what `make cluster` starts), for `make test-cluster`."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import sqlalchemy

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


MAX_UPLOAD_MB = 2
# Short, so a test can watch a shared photo's address expire.
SHARE_PHOTO_SECONDS = 15
# Where the app sends its mail: the journeys' SMTP server (tests/mailbox.py,
# started by conftest's mailbox fixture before any server).
MAIL_PORT = free_port()
TEST_SETTINGS = {
    "MESO_SMTP_URL": f"smtp+insecure://127.0.0.1:{MAIL_PORT}",
    "MESO_MAX_UPLOAD_MB": str(MAX_UPLOAD_MB),
    "MESO_SHARE_PHOTO_SECONDS": str(SHARE_PHOTO_SECONDS),
    # Every journey signs up a new patient (and opens its sockets), all from 127.0.0.1.
    "MESO_SIGN_UPS_PER_HOUR": "10000",
    "MESO_SIGN_INS_PER_10_MINUTES": "10000",
    "MESO_SOCKETS_PER_10_MINUTES": "100000",
}


def _execute(url: str, sql: str, params: dict) -> int:
    engine = sqlalchemy.create_engine(url)
    try:
        with engine.begin() as conn:
            return conn.execute(sqlalchemy.text(sql), params).rowcount
    finally:
        engine.dispose()


class AppServer:
    """`alembic upgrade head` then `reflex run --env prod --single-port`: what
    `make run` does, on a free port with a throwaway data folder."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="meso-browser-data-"))
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "MESO_DATA_DIR": str(self.data_dir),
            **TEST_SETTINGS,
            "REFLEX_USE_SYSTEM_BUN": "1",
        }
        self.env.pop("MESO_DB_URL", None)
        self.env.pop("MESO_ALLOWED_ORIGINS", None)
        tools_bin = ROOT / ".tools" / "node_modules" / ".bin"
        if tools_bin.exists():
            self.env["PATH"] = f"{tools_bin}{os.pathsep}{self.env['PATH']}"
        self.bin_dir = Path(sys.executable).parent
        self.proc: subprocess.Popen | None = None
        self.log = None

    def start(self) -> None:
        subprocess.run(
            [str(self.bin_dir / "alembic"), "upgrade", "head"],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.log = open(self.data_dir / "server.log", "a")
        self.proc = subprocess.Popen(
            [str(self.bin_dir / "reflex"), "run", "--env", "prod", "--single-port"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 600
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited early:\n{(self.data_dir / 'server.log').read_text()[-4000:]}")
            try:
                if httpx.get(f"{self.url}/sign-in", timeout=2).status_code < 500:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start in 10 minutes")
            time.sleep(1)

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

    def restart(self) -> None:
        """Everything in memory (Reflex's state) is gone; only the database remains."""
        self.stop()
        self.start()

    def execute(self, sql: str, **params) -> int:
        """One statement on the server's database (a test moving time on); rows changed."""
        return _execute(f"sqlite:///{self.data_dir / 'meso_journal.db'}", sql, params)

    def remove_data(self) -> None:
        shutil.rmtree(self.data_dir, ignore_errors=True)


class ClusterServer:
    """Two app servers behind nginx on a throwaway PostgreSQL database and
    their own Redis (cluster.servers.Cluster), with the journeys' settings.
    MESO_TEST_CLUSTER names the PostgreSQL server (a URL; the database in it
    is only used to create and drop the throwaway one)."""

    @staticmethod
    def wanted() -> bool:
        return bool(os.getenv("MESO_TEST_CLUSTER", "").strip())

    @staticmethod
    def missing() -> str:
        """What this machine lacks to run the cluster ("" when nothing)."""
        from cluster.servers import missing_tools

        lacking = missing_tools()
        try:
            _execute(os.environ["MESO_TEST_CLUSTER"].strip(), "select 1", {})
        except sqlalchemy.exc.SQLAlchemyError:
            lacking.append(f"PostgreSQL at {os.environ['MESO_TEST_CLUSTER']}")
        return ", ".join(lacking)

    @classmethod
    def for_tests(cls) -> ClusterServer:
        return cls(os.environ["MESO_TEST_CLUSTER"].strip())

    def __init__(self, postgres_url: str):
        from cluster.servers import Cluster

        self.admin_url = postgres_url
        self.database = f"meso_cluster_{uuid.uuid4().hex[:10]}"
        self.db_url = postgres_url.rsplit("/", 1)[0] + f"/{self.database}"
        self.data_dir = Path(tempfile.mkdtemp(prefix="meso-cluster-"))
        self.cluster = Cluster(
            database_url=self.db_url,
            work_dir=self.data_dir,
            servers=2,
            env=TEST_SETTINGS,
            say=lambda line: sys.stderr.write(f"cluster: {line}\n"),
        )
        self.url = self.cluster.url

    def start(self) -> None:
        _execute_autocommit(self.admin_url, f'CREATE DATABASE "{self.database}"')
        self.cluster.start()

    def stop(self) -> None:
        self.cluster.stop()

    def restart(self) -> None:
        """Everything in memory is gone (every server's, and Redis's); only the database remains."""
        for server in self.cluster.servers:
            server.stop(signal.SIGINT, timeout=20)
        self.cluster.restart_redis()
        self.cluster.wait_all_up()

    def execute(self, sql: str, **params) -> int:
        return _execute(self.db_url, sql, params)

    def remove_data(self) -> None:
        _execute_autocommit(self.admin_url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _execute_autocommit(url: str, sql: str) -> None:
    engine = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sqlalchemy.text(sql))
    finally:
        engine.dispose()
