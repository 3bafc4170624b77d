"""The ASGI edge: headers, body limits, foreign origins and the /_upload gate,
tested around a tiny app that records what reached it."""

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from meso_journal.web import cookies, edge

TOKEN_OWNERS = {"alices-tab": 1, "bobs-tab": 2}
COOKIE_OWNERS = {"meso_session=alice": 1, "meso_session=bob": 2}


async def _echo(request: Request):
    body = await request.body()
    return PlainTextResponse(f"ok {len(body)}")


inner = Starlette(routes=[Route("/{path:path}", _echo, methods=["GET", "POST", "PUT", "DELETE"])])


async def token_owner(token):
    return TOKEN_OWNERS.get(token)


async def cookie_owner(cookie):
    return COOKIE_OWNERS.get(cookie or "")


@pytest.fixture
def client():
    app = edge.Edge(inner, token_owner=token_owner, cookie_owner=cookie_owner, max_body=1000)
    return TestClient(app, base_url="http://localhost:3000")


def test_it_adds_security_headers_to_every_response(client):
    for r in (client.get("/anything"), client.post("/_upload/x"), client.post("/x", content=b"x" * 2000)):
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-content-type-options"] == "nosniff"


def test_it_refuses_a_body_over_the_limit_from_content_length(client):
    r = client.post("/x", content=b"x" * 1001)
    assert r.status_code == 413
    assert client.post("/x", content=b"x" * 1000).text == "ok 1000"


def test_it_refuses_a_streamed_body_that_grows_past_the_limit(client):
    def chunks():
        for _ in range(20):
            yield b"x" * 100

    r = client.post("/x", content=chunks())  # chunked: no Content-Length
    assert r.status_code == 413


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://localhost:3001"},
        {"origin": "null", "sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "cross-site"},
    ],
)
def test_it_refuses_state_changing_requests_from_other_sites(client, headers):
    r = client.post("/api/auth/sign-in", headers=headers)
    assert r.status_code == 403


def test_it_refuses_credentialed_reads_from_other_sites(client):
    r = client.get("/api/export", headers={"origin": "https://evil.example", "cookie": "meso_session=alice"})
    assert r.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "http://localhost:3000"},
        {"origin": "null", "sec-fetch-site": "same-origin"},  # our own form with no-referrer
        {"sec-fetch-site": "same-origin"},
        {},  # not a browser
    ],
)
def test_it_accepts_requests_from_the_app_itself(client, headers):
    assert client.post("/api/auth/sign-in", headers=headers).status_code == 200


def test_it_lets_links_from_elsewhere_open_the_app(client):
    assert client.get("/sign-in", headers={"sec-fetch-site": "cross-site"}).status_code == 200


def test_it_refuses_a_websocket_from_a_foreign_origin(client):
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect) as e:
        with client.websocket_connect("/_event/", headers={"origin": "https://evil.example"}):
            pass
    assert e.value.code == 1008


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE"])
def test_it_never_serves_or_changes_the_upload_folder(client, method):
    r = client.request(method, "/_upload/x.jpg", headers={"cookie": "meso_session=alice"})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("token", "cookie"),
    [
        ("alices-tab", None),  # the token alone
        ("alices-tab", "meso_session=bob"),  # another patient's cookie
        ("", "meso_session=alice"),
        ("unknown-tab", "meso_session=alice"),
    ],
)
def test_it_lets_only_the_tokens_own_patient_upload(client, token, cookie):
    headers = {"reflex-client-token": token, **({"cookie": cookie} if cookie else {})}
    assert client.post("/_upload", headers=headers, content=b"img").status_code == 403


def test_it_passes_an_upload_from_the_tokens_patient(client):
    r = client.post(
        "/_upload",
        headers={"reflex-client-token": "alices-tab", "cookie": "meso_session=alice"},
        content=b"img",
    )
    assert r.text == "ok 3"


def test_it_reads_the_login_cookie_defensively():
    # The one parser every path uses (web.cookies), the same as Starlette's request.cookies.
    assert cookies.login_token(f"a=1; {cookies.COOKIE_NAME}=xyz") == "xyz"
    assert cookies.login_token("garbage;;=;") is None
    assert cookies.login_token(f"{cookies.COOKIE_NAME}=") is None
    assert cookies.login_token(None) is None


def test_it_limits_new_websockets_per_client_address():
    """Each websocket may hold a state tree in memory for an hour, signed in or
    not: a client opening thousands grew the server by gigabytes (found
    attacking the app)."""
    from starlette.routing import WebSocketRoute
    from starlette.websockets import WebSocket, WebSocketDisconnect

    from meso_journal.web import rate_limit

    async def accept(ws: WebSocket):
        await ws.accept()
        await ws.close()

    app = edge.Edge(
        Starlette(routes=[WebSocketRoute("/_event/", accept)]),
        token_owner=token_owner,
        cookie_owner=cookie_owner,
        sockets=rate_limit.WindowLimiter(limit=2, window_seconds=600),
    )

    def connect(address: str) -> int | None:
        client = TestClient(app, base_url="http://localhost:3000", client=(address, 5000))
        try:
            with client.websocket_connect("/_event/", headers={"origin": "http://localhost:3000"}) as ws:
                ws.receive()  # the server's close
        except WebSocketDisconnect as e:
            return e.code
        return None

    assert connect("198.51.100.66") != 1013
    assert connect("198.51.100.66") != 1013
    assert connect("198.51.100.66") == 1013  # try again later
    assert connect("203.0.113.7") != 1013  # everyone else is not held up
