"""Route constants: pages and our own HTTP endpoints."""

TIMELINE = "/"
LOG = "/log"
PHOTOS = "/photos"
SHARE = "/share"
MORE = "/more"
SIGN_IN = "/sign-in"
SIGN_UP = "/sign-up"

PUBLIC_PAGES = (SIGN_IN, SIGN_UP)

# Starlette routes (web.py). Under /api/ so the service worker can tell them apart.
API = "/api"
API_SIGN_IN = "/api/auth/sign-in"
API_SIGN_UP = "/api/auth/sign-up"
API_SIGN_OUT = "/api/auth/sign-out"
API_PASSWORD = "/api/account/password"
API_DELETE_ACCOUNT = "/api/account/delete"


def with_error(path: str, *codes: str) -> str:
    return f"{path}?error={','.join(codes)}"
