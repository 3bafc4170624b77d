# Whatever store module is imported first, every flush from then on bumps
# the writing patient's journal version (store/versions.py).
from meso_journal.store import versions  # noqa: E402, F401
