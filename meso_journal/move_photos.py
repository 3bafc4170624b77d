"""Moves every photo's bytes from one storage backend to the other
(photo_storage.py), verifying each before anything is removed:

    .venv/bin/python -m meso_journal.move_photos --to database
    .venv/bin/python -m meso_journal.move_photos --to folder

Run it with the app stopped (or before switching MESO_PHOTO_STORAGE): each
photo row's two sizes are copied under the same key, read back from the new
place and compared byte for byte (SHA-256); only when every photo has been
verified are the old copies removed. A photo whose bytes are missing from
the old place is reported and left as it was. Running it again is safe: a
photo already in the new place is verified, not copied twice."""

from __future__ import annotations

import argparse
import hashlib
import sys
from dataclasses import dataclass, field

from sqlmodel import select

from meso_journal import database, photo_storage
from meso_journal.models import Photo


@dataclass
class Moved:
    verified: int = 0  # photos whose both sizes are in the new place, byte for byte
    missing: list[str] = field(default_factory=list)  # keys with no bytes in the old place
    removed: int = 0  # photos whose old copies were removed after the whole run verified


def _digest(pieces) -> str | None:
    if pieces is None:
        return None
    h = hashlib.sha256()
    for piece in pieces:
        h.update(piece)
    return h.hexdigest()


def move(source: photo_storage.Backend, target: photo_storage.Backend, *, remove_old: bool = True) -> Moved:
    with database.session() as db:
        rows = [(p.owner_id, p.storage_key) for p in db.exec(select(Photo).order_by(Photo.id))]
    done = Moved()
    moved: list[tuple[int, str]] = []
    for owner_id, key in rows:
        old = {size: _digest(source.chunks(owner_id, key, size)) for size in photo_storage.SIZES}
        new = {size: _digest(target.chunks(owner_id, key, size)) for size in photo_storage.SIZES}
        if None in old.values():
            if None not in new.values():
                done.verified += 1  # moved by an earlier run, which removed the old copy
            else:
                done.missing.append(key)
            continue
        if new != old:
            target.remove(owner_id, key)  # a half copy from an interrupted run
            sizes = {}
            for size in photo_storage.SIZES:
                pieces = source.chunks(owner_id, key, size)
                assert pieces is not None
                sizes[size] = b"".join(pieces)  # one photo (a few MB) at a time
            target.write(owner_id, key, sizes)
            new = {size: _digest(target.chunks(owner_id, key, size)) for size in photo_storage.SIZES}
        if new != old:
            raise RuntimeError(f"photo {key}: the copy does not match; nothing was removed")
        done.verified += 1
        moved.append((owner_id, key))
    if remove_old:
        for owner_id, key in moved:
            source.remove(owner_id, key)
            done.removed += 1
    return done


BACKENDS = {"folder": photo_storage.Folder, "database": photo_storage.Database}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--to", choices=sorted(BACKENDS), required=True, help="where the photos go")
    parser.add_argument("--keep-old", action="store_true", help="leave the verified old copies in place")
    args = parser.parse_args(argv)
    source_name = "database" if args.to == "folder" else "folder"
    done = move(BACKENDS[source_name](), BACKENDS[args.to](), remove_old=not args.keep_old)
    print(f"{done.verified} photos verified in the {args.to} storage; old copies removed: {done.removed}.")
    if done.missing:
        print(f"{len(done.missing)} photos had no bytes in the {source_name} storage:", *done.missing, sep="\n  ")
    print(f"Now set MESO_PHOTO_STORAGE={args.to} and start the app.")
    return 1 if done.missing else 0


if __name__ == "__main__":
    sys.exit(main())
