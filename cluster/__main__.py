"""`make cluster`: N app servers behind nginx on PostgreSQL, Redis and the
database photo store, until Ctrl-C. See README, "Running on more than one machine".

    python -m cluster [--servers 2] [--port 8080] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
from pathlib import Path

from cluster.servers import ROOT, Cluster


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=2, help="app servers behind the proxy")
    parser.add_argument("--port", type=int, default=int(os.getenv("CLUSTER_PORT", "8080")), help="nginx's port")
    parser.add_argument(
        "--database-url",
        default=os.getenv("CLUSTER_DB_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/meso_journal_cluster"),
        help="a PostgreSQL database (created if missing)",
    )
    parser.add_argument(
        "--work-dir", type=Path, default=ROOT / "data" / "cluster", help="logs and each server's data folder"
    )
    args = parser.parse_args()

    create_database(args.database_url)
    cluster = Cluster(
        database_url=args.database_url,
        work_dir=args.work_dir,
        servers=args.servers,
        port=args.port,
        say=lambda line: print(f"cluster: {line}", flush=True),
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        cluster.start()
        print(f"cluster: open {cluster.url} (Ctrl-C stops everything; logs in {cluster.work_dir})", flush=True)
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C while stopping would leave servers running without their proxy.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("cluster: stopping (a few seconds)", flush=True)
        cluster.stop()


def create_database(url: str) -> None:
    """The cluster's database on the PostgreSQL server, made once."""
    import psycopg

    base, name = url.rsplit("/", 1)
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


if __name__ == "__main__":
    main()
