"""Signed-out visitors asking for an app page go straight to sign-in.

The pages check the login on load as well (state/base.page_load), but only
after the browser has downloaded and started the app, opened the
websocket and asked: on a slow phone, seconds spent on a page that then
leaves. Asked here, a returning patient whose login has expired sees the
sign-in page at once. Only page requests are gated; the app's files, our API
routes (which answer for themselves) and the websocket pass untouched.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from meso_journal import routes
from meso_journal.web.cookies import COOKIE_NAME
from meso_journal.web.edge import CookieOwner
from meso_journal.web.gate import CLEAR_CACHE


def _page(path: str) -> str:
    # Reflex's static server also answers "/log/" for "/log".
    return path.rstrip("/") or "/"


class PageGate:
    def __init__(self, app: ASGIApp, *, cookie_owner: CookieOwner, pages=routes.SIGNED_IN_PAGES):
        self.app = app
        self.cookie_owner = cookie_owner
        self.pages = frozenset(pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and _page(scope["path"]) in self.pages:
            cookie = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"cookie"), None)
            if await self.cookie_owner(cookie) is None:
                headers = [(b"location", routes.SIGN_IN.encode()), (b"cache-control", b"no-store")]
                if cookie and f"{COOKIE_NAME}=" in cookie:
                    # A login that ran out or was ended elsewhere: its patient's
                    # photos leave the browser's cache (gate.signed_out_redirect).
                    headers.append((b"clear-site-data", CLEAR_CACHE.encode()))
                await send({"type": "http.response.start", "status": 303, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)
