"""Where photo bytes are kept: two backends behind the same five functions,
chosen by MESO_PHOTO_STORAGE.

- "folder" (the default): one private folder per patient under the data
  folder, never under Reflex's public upload folder. Fast and simple, but
  tied to one machine's disk.
- "database": the bytes as rows of the journal's own database (photochunk),
  in chunks of CHUNK bytes, so that several app servers share them and a
  database backup holds the photos too. Written and read a chunk at a
  time: no step holds more than one chunk of a photo it is sending.

Both store a photo's two sizes under a random key made by save(); the photo
row (models.Photo) is committed afterwards, and remove() undoes a save whose
row could not be stored. Who may read a photo is decided before this module
is asked (web/photo_files, the doctor's view, downloads)."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from sqlmodel import col, delete, select

from meso_journal import clock, database, settings
from meso_journal.models import PhotoChunk

SIZES = ("display", "thumb")
CHUNK = 256 * 1024


def valid_key(key: str, size: str) -> bool:
    # Keys are ours (secrets.token_hex), but a key read back from anywhere is checked again.
    return size in SIZES and key.isascii() and key.isalnum() and 0 < len(key) <= 64


class Backend(Protocol):
    def write(self, owner_id: int, key: str, sizes: dict[str, bytes]) -> None: ...
    def chunks(self, owner_id: int, key: str, size: str) -> Iterator[bytes] | None: ...
    def remove(self, owner_id: int, key: str) -> None: ...
    def remove_all(self, owner_id: int) -> None: ...
    def owners(self) -> list[int]: ...
    def remove_orphans(self, owner_id: int, keys: Callable[[], set[str]], *, older_than: float, now: float) -> int: ...


class Folder:
    def __init__(self, root: Path | None = None):
        self._root = root

    @property
    def root(self) -> Path:
        return self._root or settings.PHOTO_DIR

    def owner_dir(self, owner_id: int) -> Path:
        return self.root / str(int(owner_id))

    def path_for(self, owner_id: int, key: str, size: str) -> Path:
        if not valid_key(key, size):
            raise ValueError("bad photo key")
        return self.owner_dir(owner_id) / f"{key}.{size}.jpg"

    def write(self, owner_id: int, key: str, sizes: dict[str, bytes]) -> None:
        folder = self.owner_dir(owner_id)
        folder.mkdir(parents=True, exist_ok=True)
        try:
            for size, data in sizes.items():
                write_durably(self.path_for(owner_id, key, size), data)
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)  # the renames themselves survive a crash
            finally:
                os.close(dir_fd)
        except BaseException:
            self.remove(owner_id, key)
            raise

    def chunks(self, owner_id: int, key: str, size: str) -> Iterator[bytes] | None:
        try:
            f = open(self.path_for(owner_id, key, size), "rb")  # noqa: SIM115 (closed by the generator)
        except (OSError, ValueError):
            return None

        def read() -> Iterator[bytes]:
            with f:
                while block := f.read(CHUNK):
                    yield block

        return read()

    def remove(self, owner_id: int, key: str) -> None:
        for size in SIZES:
            self.path_for(owner_id, key, size).unlink(missing_ok=True)

    def remove_all(self, owner_id: int) -> None:
        shutil.rmtree(self.owner_dir(owner_id), ignore_errors=True)

    def owners(self) -> list[int]:
        """The patients with a photo folder."""
        root = self.root
        if not root.exists():
            return []
        return [int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isascii() and p.name.isdigit()]

    def remove_orphans(self, owner_id: int, keys: Callable[[], set[str]], *, older_than: float, now: float) -> int:
        old = [p for p in self.owner_dir(owner_id).iterdir() if p.is_file() and now - p.stat().st_mtime > older_than]
        if not old:
            return 0
        keep = keys()
        # "<key>.display.jpg"; a temporary file starts with a dot, so its key is "".
        orphans = [p for p in old if p.name.split(".")[0] not in keep]
        for p in orphans:
            p.unlink(missing_ok=True)
        return len(orphans)


def write_durably(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


class Database:
    def write(self, owner_id: int, key: str, sizes: dict[str, bytes]) -> None:
        for size in sizes:
            if not valid_key(key, size):
                raise ValueError("bad photo key")
        now = clock.now()
        with database.session() as db:
            for size, data in sizes.items():
                for seq, start in enumerate(range(0, max(len(data), 1), CHUNK)):
                    db.add(
                        PhotoChunk(
                            owner_id=owner_id,
                            storage_key=key,
                            size=size,
                            seq=seq,
                            data=data[start : start + CHUNK],
                            created_at=now,
                        )
                    )
                db.flush()
                db.expunge_all()  # nothing of a written photo stays in memory
            db.commit()

    def chunks(self, owner_id: int, key: str, size: str) -> Iterator[bytes] | None:
        if not valid_key(key, size):
            return None
        query = (
            select(PhotoChunk.id)
            .where(PhotoChunk.owner_id == owner_id, PhotoChunk.storage_key == key, PhotoChunk.size == size)
            .order_by(col(PhotoChunk.seq))
        )
        with database.session() as db:
            ids = list(db.exec(query))
        if not ids:
            return None

        def read() -> Iterator[bytes]:
            # One chunk per query: a photo is never held whole, and no
            # connection stays open while the client reads slowly.
            for chunk_id in ids:
                with database.session() as db:
                    data = db.exec(select(PhotoChunk.data).where(PhotoChunk.id == chunk_id)).first()
                if data is None:
                    return  # removed meanwhile: the answer ends short
                yield bytes(data)

        return read()

    def _delete(self, *where) -> int:
        with database.session() as db:
            gone = db.exec(delete(PhotoChunk).where(*where)).rowcount  # type: ignore[call-overload]
            db.commit()
        return int(gone or 0)

    def remove(self, owner_id: int, key: str) -> None:
        self._delete(PhotoChunk.owner_id == owner_id, PhotoChunk.storage_key == key)

    def remove_all(self, owner_id: int) -> None:
        self._delete(PhotoChunk.owner_id == owner_id)

    def owners(self) -> list[int]:
        with database.session() as db:
            return sorted(db.exec(select(PhotoChunk.owner_id).distinct()))

    def remove_orphans(self, owner_id: int, keys: Callable[[], set[str]], *, older_than: float, now: float) -> int:
        before = datetime.fromtimestamp(now - older_than, UTC)
        with database.session() as db:
            old = set(
                db.exec(
                    select(PhotoChunk.storage_key)
                    .where(PhotoChunk.owner_id == owner_id, col(PhotoChunk.created_at) < before)
                    .distinct()
                )
            )
        if not old:
            return 0
        orphans = old - keys()
        if not orphans:
            return 0
        # Counted as files: one per size, as the folder backend counts them.
        with database.session() as db:
            count = len(
                set(
                    db.exec(
                        select(PhotoChunk.storage_key, PhotoChunk.size).where(
                            PhotoChunk.owner_id == owner_id, col(PhotoChunk.storage_key).in_(orphans)
                        )
                    )
                )
            )
        self._delete(PhotoChunk.owner_id == owner_id, col(PhotoChunk.storage_key).in_(orphans))
        return count


def backend() -> Backend:
    return Database() if settings.PHOTO_STORAGE == "database" else Folder()
