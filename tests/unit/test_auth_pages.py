"""Sign-in and sign-up as server-rendered pages: the form, its messages
(looked up from codes, never echoed), and who gets sent elsewhere."""

from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from meso_journal.rules import credentials
from meso_journal.web import api
from meso_journal.web.cookies import COOKIE_NAME
from tests.factories import PASSWORD


@pytest.fixture
def client(engine):
    return TestClient(api.api, base_url="http://localhost:3000", follow_redirects=False)


VOID = ("input", "meta", "link", "br")


class Page(HTMLParser):
    """The parts of a page the tests look at: elements by id, and text by id and by role."""

    def __init__(self, html: str):
        super().__init__()
        self.by_id: dict[str, dict[str, str]] = {}
        self.text_of: dict[str, str] = {}
        self.roles: list[tuple[str, str]] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.by_id[a["id"]] = {"tag": tag, **a}
        if tag not in VOID:
            self._open.append({"id": a.get("id"), "role": a.get("role"), "text": ""})

    def handle_endtag(self, tag):
        if tag in VOID or not self._open:
            return
        element = self._open.pop()
        if element["id"]:
            self.text_of[element["id"]] = element["text"].strip()
        if element["role"]:
            self.roles.append((element["role"], element["text"].strip()))

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


def page(client, url) -> Page:
    r = client.get(url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    return Page(r.text)


def test_it_serves_the_sign_in_form_posting_to_our_route(client):
    r = client.get("/sign-in")
    assert r.headers["cache-control"] == "no-store"
    p = Page(r.text)
    assert '<form action="/api/auth/sign-in" method="post">' in r.text
    # "webauthn": the field offers this site's passkeys where the browser can (passkeys.js).
    assert p.by_id["field-email"]["type"] == "email" and p.by_id["field-email"]["autocomplete"] == "email webauthn"
    assert p.by_id["field-password"]["autocomplete"] == "current-password"
    assert "data-passkey-sign-in hidden" in r.text and '<script src="/passkeys.js" defer>' in r.text
    assert '<a href="/forgot-password">Forgot your password?</a>' in r.text
    assert p.by_id["field-email"]["aria-invalid"] == "false"
    assert p.text_of["field-email-error"] == "" and p.text_of["field-password-error"] == ""
    assert '<a href="/sign-up">Create an account</a>' in r.text
    # What the app's own pages carry: installable, described, dark-mode colours.
    for tag in ('rel="manifest"', 'name="description"', 'name="theme-color"', "viewport-fit=cover", "/register-sw.js"):
        assert tag in r.text


def test_it_serves_the_sign_up_form_with_the_password_rules(client):
    p = page(client, "/sign-up")
    password = p.by_id["field-password"]
    assert password["autocomplete"] == "new-password"
    assert password["minlength"] == str(credentials.PASSWORD_MIN) and password["maxlength"] == str(
        credentials.PASSWORD_MAX
    )
    assert password["aria-describedby"] == "field-password-hint field-password-error"
    assert "A short sentence works well" in p.text_of["field-password-hint"]


def test_it_ties_each_message_to_its_field(client):
    p = page(client, "/sign-up?error=email_invalid,password_short")
    assert p.by_id["field-email"]["aria-invalid"] == "true"
    assert p.text_of["field-email-error"] == credentials.MESSAGES["email_invalid"]
    assert p.by_id["field-password"]["aria-invalid"] == "true"
    assert p.text_of["field-password-error"] == credentials.MESSAGES["password_short"]


def test_it_shows_a_form_wide_message_in_the_error_summary(client):
    p = page(client, "/sign-in?error=wrong_credentials")
    summary = p.by_id["error-summary-title"]
    assert summary["tag"] == "h2" and p.text_of["error-summary-title"] == "You are not signed in"
    assert "<li>Wrong email or password.</li>" in client.get("/sign-in?error=wrong_credentials").text
    assert p.by_id["field-email"]["aria-invalid"] == "false"


def test_the_error_summary_takes_the_focus_and_links_each_field(client):
    html = client.get("/sign-up?error=email_invalid,password_short").text
    assert 'tabindex="-1" autofocus' in html
    for name, label, code in (("email", "Email", "email_invalid"), ("password", "Password", "password_short")):
        link = f'<a href="#field-{name}" data-error-field="field-{name}">{label}: {credentials.MESSAGES[code]}</a>'
        assert link in html
    assert "error-summary-title" not in client.get("/sign-up").text


@pytest.mark.parametrize(
    "query",
    [
        "error=<script>alert(1)</script>",
        "error=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E",
        "error=__class__,MESSAGES",
        "done=<b>hi</b>",
        "error=" + "x" * 10_000,
    ],
)
def test_it_never_echoes_what_a_url_says(client, query):
    r = client.get(f"/sign-in?{query}")
    assert r.status_code == 200
    assert "alert(1)" not in r.text and "<b>hi" not in r.text and "__class__" not in r.text
    p = Page(r.text)
    assert p.by_id["field-email"]["aria-invalid"] == p.by_id["field-password"]["aria-invalid"] == "false"
    assert [role for role, text in p.roles if text] == []


def test_it_reads_at_most_five_codes():
    codes = ",".join(["email_missing"] * 5 + ["password_short"])
    assert credentials.messages_for(codes) == {"email": credentials.MESSAGES["email_missing"]}
    assert credentials.messages_for("password_short", password_field="new_password") == {
        "new_password": credentials.MESSAGES["password_short"]
    }


def test_it_says_the_account_was_deleted(client):
    p = page(client, "/sign-in?done=deleted")
    assert ("status", credentials.NOTICES["deleted"]) in p.roles


def test_it_sends_a_signed_in_patient_to_the_timeline(client, db):
    client.post("/api/auth/sign-up", data={"email": "alice@example.com", "password": PASSWORD})
    for path in ("/sign-in", "/sign-up"):
        r = client.get(path)
        assert r.status_code == 303 and r.headers["location"] == "/"
    client.cookies.set(COOKIE_NAME, "a forged or expired token")
    assert client.get("/sign-in").status_code == 200


def test_it_drops_the_trailing_slash_and_keeps_the_query(client):
    r = client.get("/sign-up/?error=email_taken")
    assert r.status_code == 308 and r.headers["location"] == "/sign-up?error=email_taken"


def test_it_refuses_to_post_to_the_page_itself(client):
    assert client.post("/sign-in", data={"email": "a@b.c"}).status_code == 405
