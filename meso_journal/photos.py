"""Private photo storage under the data folder (never Reflex's public upload
folder). Keys start with the owner id, so one patient's files are one folder.

The Pillow pipeline arrives with the photos feature; account deletion already
needs to remove a patient's files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from meso_journal import settings


def owner_dir(owner_id: int, root: Path | None = None) -> Path:
    return (root or settings.PHOTO_DIR) / str(int(owner_id))


def remove_all(owner_id: int, root: Path | None = None) -> None:
    shutil.rmtree(owner_dir(owner_id, root), ignore_errors=True)
