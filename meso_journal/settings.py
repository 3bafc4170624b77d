"""Everything configurable, read once from the environment.

Every variable is documented in README.md (Configuration). Bad values fail at
start-up with a message naming the variable, instead of surfacing later.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from meso_journal.web import client_address


class ImproperlyConfigured(RuntimeError):
    pass


def envint(name: str, default: int, *, minimum: int = 1, maximum: int = 1_000_000) -> int:
    raw = os.getenv(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if not minimum <= value <= maximum:
        raise ImproperlyConfigured(f"{name} must be between {minimum} and {maximum}, not {value}")
    return value


def envbool(name: str, default: bool) -> bool:
    raw = os.getenv(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes"):
        return True
    if raw in ("0", "false", "no"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def envsecret(name: str) -> str | None:
    """A secret from NAME, or from the file named by NAME_FILE (Docker secrets)."""
    if value := os.getenv(name, "").strip():
        return value
    if path := os.getenv(f"{name}_FILE", "").strip():
        return Path(path).read_text().strip()
    return None


def _load_or_create_secret(data_dir: Path) -> str:
    # Generated once and kept beside the database, so restarts keep sessions
    # and signed URLs valid. Never committed: data/ is git-ignored.
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


PORT = envint("PORT", 3000, maximum=65535)

DATA_DIR = Path(os.getenv("MESO_DATA_DIR", "").strip() or "data").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)
PHOTO_DIR = DATA_DIR / "photos"
# Where photo bytes live (photo_storage.py): "folder" (PHOTO_DIR, one
# machine) or "database" (rows of MESO_DB_URL's database, shared by every
# app server). `python -m scripts.move_photos` moves them from one to the other.
PHOTO_STORAGE = os.getenv("MESO_PHOTO_STORAGE", "").strip() or "folder"
if PHOTO_STORAGE not in ("folder", "database"):
    raise ImproperlyConfigured(f"MESO_PHOTO_STORAGE must be folder or database, not {PHOTO_STORAGE!r}")

DB_URL = os.getenv("MESO_DB_URL", "").strip() or f"sqlite:///{DATA_DIR / 'meso_journal.db'}"

SECRET_KEY = envsecret("MESO_SECRET_KEY") or _load_or_create_secret(DATA_DIR)
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("MESO_SECRET_KEY must be at least 32 characters long")

MAX_UPLOAD_MB = envint("MESO_MAX_UPLOAD_MB", 25, maximum=1024)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# "Import" takes a whole journal's archive, photos included.
MAX_IMPORT_MB = envint("MESO_MAX_IMPORT_MB", 500, maximum=10_240)
MAX_IMPORT_BYTES = MAX_IMPORT_MB * 1024 * 1024
# Photos larger than this are refused before decoding (decompression bombs).
MAX_PHOTO_PIXELS = envint("MESO_MAX_PHOTO_MEGAPIXELS", 50, maximum=500) * 1_000_000
# The photos of one upload together, counted from their headers before any
# is decoded: ten 12 MP originals pass, ten 49 MP ones do not.
MAX_UPLOAD_PIXELS = envint("MESO_MAX_UPLOAD_MEGAPIXELS", 150, maximum=5000) * 1_000_000
# Threads that decode and encode photos (one job at a time per patient). The
# default leaves a core free for everything else.
IMAGE_WORKERS = envint("MESO_IMAGE_WORKERS", max(1, (os.cpu_count() or 2) - 1), maximum=64)

# The app's own address(es). A browser request or websocket carrying any other
# Origin is refused: Reflex's default would let every site act with the
# patient's cookie.
ALLOWED_ORIGINS: tuple[str, ...] = tuple(
    o.strip().rstrip("/")
    for o in (
        os.getenv("MESO_ALLOWED_ORIGINS", "").strip() or f"http://localhost:{PORT},http://127.0.0.1:{PORT}"
    ).split(",")
    if o.strip()
)
if any(o == "*" or "://" not in o for o in ALLOWED_ORIGINS):
    raise ImproperlyConfigured(
        "MESO_ALLOWED_ORIGINS must list full origins such as https://journal.example.org; '*' is refused"
    )

# Behind HTTPS the session cookie gets Secure and the __Host- prefix, and
# responses carry HSTS. On by default when every allowed origin is https.
HTTPS = envbool("MESO_HTTPS", all(o.startswith("https://") for o in ALLOWED_ORIGINS))

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks,
# comma-separated). Empty: the direct peer is the client (web/client_address.py).
try:
    TRUSTED_PROXIES = client_address.parse_networks(os.getenv("MESO_TRUSTED_PROXIES", ""))
except ValueError as e:
    raise ImproperlyConfigured(f"MESO_TRUSTED_PROXIES: {e}") from e

# Sign-up attempts per client address and hour (sign-up tells whether an
# email has an account). Counted in memory, per worker.
SIGN_UPS_PER_HOUR = envint("MESO_SIGN_UPS_PER_HOUR", 20, maximum=100_000)
# Sign-in attempts per client address in 10 minutes, right or wrong: each is
# an argon2 hash; wrong ones are also limited per email (rules/credentials).
SIGN_INS_PER_10_MINUTES = envint("MESO_SIGN_INS_PER_10_MINUTES", 30, maximum=100_000)
# Downloads built at once (PDF, FHIR, "Download everything"), and made or
# being sent at once, on this server; one at a time per patient.
# New websockets per client address in 10 minutes. Each connection may hold
# a state tree in memory for an hour, signed in or not; a page load opens one.
SOCKETS_PER_10_MINUTES = envint("MESO_SOCKETS_PER_10_MINUTES", 300, maximum=1_000_000)
DOWNLOAD_WORKERS = envint("MESO_DOWNLOAD_WORKERS", 2, maximum=64)
DOWNLOADS_AT_ONCE = envint("MESO_DOWNLOADS_AT_ONCE", 6, maximum=1_000)

# Sessions slide: each use more than a day after the last renewal pushes the
# expiry out again.
SESSION_DAYS = 30

# How long a signed photo address in the doctor's view works. Reloading the
# view signs fresh ones; a revoked or expired link stops them at once.
SHARE_PHOTO_SECONDS = envint("MESO_SHARE_PHOTO_SECONDS", 1800, maximum=86400)

# The app's own address as patients reach it: the first allowed origin. Links
# in emails are built from it, never from a request's Host header (which
# whoever sends the request chooses).
PUBLIC_ORIGIN = ALLOWED_ORIGINS[0]


def _smtp() -> tuple[str, int, str, str, str] | None:
    """(host, port, user, password, tls) from MESO_SMTP_URL, or from
    MESO_SMTP_HOST and its companions; None when neither is set (the mail
    then goes to the server log, mail.py). tls: "starttls", "tls" (implicit,
    smtps) or "none" (a relay on the same machine only)."""
    from urllib.parse import unquote, urlsplit

    url = envsecret("MESO_SMTP_URL")
    host = os.getenv("MESO_SMTP_HOST", "").strip()
    if url and host:
        raise ImproperlyConfigured("set MESO_SMTP_URL or MESO_SMTP_HOST, not both")
    if url:
        parts = urlsplit(url)
        schemes = {"smtp": ("starttls", 587), "smtps": ("tls", 465), "smtp+insecure": ("none", 25)}
        if parts.scheme not in schemes or not parts.hostname:
            raise ImproperlyConfigured(
                "MESO_SMTP_URL must look like smtp://user:password@host:587 (STARTTLS), "
                "smtps://user:password@host:465 (TLS) or smtp+insecure://host:25 (no encryption)"
            )
        tls, default_port = schemes[parts.scheme]
        try:
            port = parts.port or default_port
        except ValueError:
            raise ImproperlyConfigured("MESO_SMTP_URL has a port that is not a number") from None
        return parts.hostname, port, unquote(parts.username or ""), unquote(parts.password or ""), tls
    if not host:
        return None
    tls = os.getenv("MESO_SMTP_TLS", "").strip().lower() or "starttls"
    if tls not in ("starttls", "tls", "none"):
        raise ImproperlyConfigured(f"MESO_SMTP_TLS must be starttls, tls or none, not {tls!r}")
    port = envint("MESO_SMTP_PORT", {"starttls": 587, "tls": 465, "none": 25}[tls], maximum=65535)
    return host, port, os.getenv("MESO_SMTP_USER", "").strip(), envsecret("MESO_SMTP_PASSWORD") or "", tls


SMTP = _smtp()
# Who the mail comes from. Most providers only relay for their own addresses.
MAIL_FROM = os.getenv("MESO_MAIL_FROM", "").strip() or "Meso Journal <no-reply@localhost>"
if "@" not in MAIL_FROM or any(c in MAIL_FROM for c in "\r\n"):
    raise ImproperlyConfigured("MESO_MAIL_FROM must be an address such as Meso Journal <journal@example.org>")
