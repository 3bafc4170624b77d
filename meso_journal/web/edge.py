"""ASGI guards around the whole app: what Reflex leaves open at the edge.

- Security headers on every HTTP response.
- Request bodies over MESO_MAX_UPLOAD_MB: 413, from Content-Length and while streaming.
- A request or websocket handshake from a foreign Origin: 403. Reflex's CORS
  default would let any site act with the patient's cookie.
- /_upload: POST only, and only when the request's own cookie belongs to the
  patient the client token is bound to. Reflex would run the upload handler
  for whoever names a token, and serves its upload folder to anyone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from meso_journal import routes, settings
from meso_journal.web import rate_limit
from meso_journal.web.client_address import client_address

CSP = "; ".join(
    [
        "default-src 'self'",
        # Reflex's compiled front end uses inline bootstrapping scripts and styles.
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self' ws: wss:",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"permissions-policy", b"geolocation=(), microphone=(), camera=(self)"),
]
if settings.HTTPS:
    SECURITY_HEADERS.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))

UPLOAD_PATH = "/_upload"

# Given the client token, the patient its state tree is bound to (or None).
TokenOwner = Callable[[str], Awaitable[int | None]]
# Given the cookie header value, the signed-in patient (or None).
CookieOwner = Callable[[str | None], Awaitable[int | None]]


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def origin_allowed(origin: str, host: str | None, scheme: str) -> bool:
    """The app's configured origins, or the exact origin the request was sent to."""
    origin = origin.rstrip("/")
    if origin in settings.ALLOWED_ORIGINS:
        return True
    return bool(host) and origin == f"{scheme}://{host}"


def from_another_site(scope: Scope, headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin and origin != "null":
        scheme = scope.get("scheme", "http")
        scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
        return not origin_allowed(origin, headers.get("host"), scheme)
    # With Referrer-Policy: no-referrer, browsers send "Origin: null" on our
    # own form posts; Fetch Metadata still tells same-origin from cross-site.
    site = headers.get("sec-fetch-site")
    if origin == "null":
        return site != "same-origin"
    # No Origin: a plain navigation or subresource load (links from elsewhere
    # must keep working), or not a browser at all (no ambient cookie risk).
    if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
        return False
    return site not in (None, "same-origin", "none")


async def _respond(send: Send, status: int, text: str) -> None:
    body = text.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"cache-control", b"no-store"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class Edge:
    def __init__(
        self,
        app: ASGIApp,
        *,
        token_owner: TokenOwner,
        cookie_owner: CookieOwner,
        max_body: int | None = None,
        sockets: rate_limit.WindowLimiter | None = None,
    ):
        self.app = app
        self.token_owner = token_owner
        self.cookie_owner = cookie_owner
        self.max_body = max_body if max_body is not None else settings.MAX_UPLOAD_BYTES
        # Each new websocket may give Reflex a state tree to keep for an hour,
        # signed in or not: a client opening thousands grew memory by gigabytes
        # (found attacking the app). Counted per client address, like sign-ins.
        self.sockets = sockets or rate_limit.WindowLimiter(limit=settings.SOCKETS_PER_10_MINUTES, window_seconds=600)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = _headers(scope)

        if from_another_site(scope, headers):
            if scope["type"] == "websocket":
                await send({"type": "websocket.close", "code": 1008})
                return
            return await _respond(send, 403, "This request came from another website and was refused.")

        if scope["type"] == "websocket":
            peer = scope["client"][0] if scope.get("client") else None
            who = client_address(peer, headers.get("x-forwarded-for"), settings.TRUSTED_PROXIES)
            if self.sockets.blocked(who):
                await send({"type": "websocket.close", "code": 1013})  # try again later
                return
            self.sockets.hit(who)
            return await self.app(scope, receive, send)

        path: str = scope["path"]
        if path == UPLOAD_PATH or path.startswith(UPLOAD_PATH + "/"):
            if scope["method"] != "POST" or path != UPLOAD_PATH:
                return await _respond(send, 404, "Not found.")
            token = headers.get("reflex-client-token", "")
            cookie_user = await self.cookie_owner(headers.get("cookie"))
            if not token or cookie_user is None or await self.token_owner(token) != cookie_user:
                return await _respond(send, 403, "Sign in to upload.")

        # An archive of the patient's whole journal, photos included, may be
        # larger than any one upload.
        max_body = settings.MAX_IMPORT_BYTES if path == routes.API_IMPORT else self.max_body
        too_large_text = f"Too large: the limit is {max_body // (1024 * 1024)} MB."
        declared = headers.get("content-length")
        if declared is not None:
            try:
                if int(declared) > max_body:
                    return await _respond(send, 413, too_large_text)
            except ValueError:
                return await _respond(send, 400, "Bad Content-Length.")

        received = 0
        too_large = False
        response_started = False

        async def limited_receive() -> Message:
            # Past the limit we answer 413 ourselves and tell the app the client
            # went away, so it stops reading and nothing half-received is kept.
            nonlocal received, too_large
            if too_large:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_body:
                    too_large = True
                    if not response_started:
                        await _respond(send, 413, too_large_text)
                    return {"type": "http.disconnect"}
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal response_started
            if too_large:
                return
            if message["type"] == "http.response.start":
                response_started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(h for h in SECURITY_HEADERS if h[0] not in names),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except Exception:
            if not too_large:
                raise
