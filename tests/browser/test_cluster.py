"""Two app servers behind nginx, on PostgreSQL and Redis (`make test-cluster`):
page loads and reconnects land on either server; a server killed, its
worker dying, Redis restarting or a reconnect handed a new token lose no
saved entry and no typed input, and the patient stays signed in.

Collected only with MESO_TEST_CLUSTER (conftest.py); `make test-cluster`
also runs the account, treatment-log, photo and sharing journeys through the
proxy."""

from __future__ import annotations

import os
import signal
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_up, unique_email
from tests.browser.journeys import fill_session_form, start_course
from tests.browser.servers import ClusterServer


@pytest.fixture
def cluster(app_server) -> ClusterServer:
    assert isinstance(app_server, ClusterServer)
    app_server.cluster.wait_all_up()
    return app_server


def _established(port: int) -> int:
    """Open TCP connections to a local port (the proxy's to an app server: nginx keeps
    none between requests, so an open one is a websocket)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


def _server_holding_the_socket(cluster: ClusterServer):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        holding = [s for s in cluster.cluster.servers if _established(s.port) > 0]
        if len(holding) == 1:
            return holding[0]
        time.sleep(0.2)
    raise AssertionError("could not tell which server holds the page's websocket")


def _save_and_find_once(page, notes: str) -> None:
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text(notes)).to_have_count(1)
    page.goto("/")
    expect(page.get_by_text(notes)).to_have_count(1)
    expect(page.get_by_text("2 days off")).to_have_count(1)


def _expect_typed_input_kept(page, notes: str) -> None:
    expect(page.get_by_label("Notes")).to_have_value(notes, timeout=30_000)
    expect(page.get_by_label("Date and time")).to_have_value("2026-11-21T09:15")
    expect(page.get_by_label("Vitamins and minerals")).to_be_checked()
    expect(page.get_by_label("How many (hours or days)")).to_have_value("2")


def test_page_loads_and_reconnects_land_on_both_servers_and_each_save_is_found_once(cluster, new_context):
    before = len(cluster.cluster.access_log())  # what other tests sent
    page = new_context().new_page()
    sign_up(page, unique_email("roundrobin"))
    start_course(page)
    for n in range(4):
        fill_session_form(page, f"visit number {n} through the proxy")
        page.get_by_role("button", name="Save session").click()
        expect(page.get_by_text("Session saved.")).to_be_visible()
    page.goto("/photos")
    page.goto("/")
    for n in range(4):
        expect(page.get_by_text(f"visit number {n} through the proxy")).to_have_count(1)
    page.close()
    # nginx logs a websocket when it closes: every one of this tab's is closed now.
    time.sleep(1)
    ours = cluster.cluster.access_log()[before:]
    sockets = {up for status, up, request in ours if request.startswith("GET /_event") and status == "101"}
    pages = {up for status, up, request in ours if request.startswith("GET /log")}
    # What the proxy writes down holds no tab token and no share-link token.
    assert not any("token=" in request or "?" in request for _, _, request in cluster.cluster.access_log())
    every = {s.address for s in cluster.cluster.servers}
    assert sockets == every, sockets
    assert pages == every, pages


def test_a_killed_server_loses_nothing(cluster, new_context):
    """The page's socket reconnects to the other server while Redis still
    holds the dead server's record of it: Reflex hands the tab a new token and
    an empty state (reflex#6345, the same as a fast reconnect that lands
    before the old socket is seen to close)."""
    page = new_context().new_page()
    email = unique_email("killed")
    sign_up(page, email)
    start_course(page)
    fill_session_form(page, "typed before the server died")
    token = page.evaluate("sessionStorage.getItem('token')")
    victim = _server_holding_the_socket(cluster)
    victim.kill()
    # The page reconnects through the proxy to the other server, with a new
    # token (the fault really happened), rebuilds the form, and puts back
    # what had been typed.
    page.wait_for_function("old => sessionStorage.getItem('token') !== old", arg=token, timeout=30_000)
    _expect_typed_input_kept(page, "typed before the server died")
    expect(page.get_by_text("What you typed earlier is back in the form.")).to_be_visible()
    _save_and_find_once(page, "typed before the server died")
    page.goto("/more")
    expect(page.get_by_text(email)).to_be_visible()  # still signed in
    cluster.cluster.wait_all_up()  # and the supervisor brought the server back
    assert victim.name in cluster.cluster.restarts


def test_a_dead_worker_is_replaced_and_patients_carry_on(cluster, new_context):
    page = new_context().new_page()
    sign_up(page, unique_email("worker"))
    start_course(page)
    server = cluster.cluster.servers[0]
    workers = [pid for pid in server.group_pids() if pid != server.proc.pid]
    assert workers, "no Granian worker found"
    os.kill(workers[0], signal.SIGKILL)
    # Granian stops when its worker dies; the supervisor starts the server again.
    cluster.cluster.wait_all_up()
    assert server.name in cluster.cluster.restarts
    assert not set(workers) & set(server.group_pids())
    fill_session_form(page, "after the worker died")
    _save_and_find_once(page, "after the worker died")


def test_after_redis_restarts_nothing_is_lost_and_the_next_taps_work(cluster, new_context):
    """Every tab's state was in Redis: it is all gone, the database is not."""
    page = new_context().new_page()
    email = unique_email("redis")
    sign_up(page, email)
    start_course(page)
    fill_session_form(page, "typed while Redis restarted")
    cluster.cluster.restart_redis()
    started = time.monotonic()
    # A new session goes through the phone's outbox, which needs no page state:
    # stored at the first tap, and shown as saved.
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Session saved.")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("typed while Redis restarted")).to_have_count(1)
    assert time.monotonic() - started < 30

    # A change to a stored session is saved through the page, whose state is
    # gone after the next restart: that tap does not run on an empty page. The
    # patient is told, and finds the form as it was.
    page.get_by_role("link", name="Edit").click()
    expect(page.get_by_role("heading", name="Edit session")).to_be_visible()
    page.get_by_label("Notes").fill("edited while Redis restarted")
    cluster.cluster.restart_redis()
    page.get_by_role("button", name="Save changes").click()
    problem = page.get_by_role("alert").filter(has_text="your last tap did not go through")
    expect(problem).to_be_in_viewport()
    expect(problem).to_be_focused()
    expect(page.get_by_label("Notes")).to_have_value("edited while Redis restarted", timeout=30_000)
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("edited while Redis restarted")).to_have_count(1)
    expect(page.get_by_text("typed while Redis restarted")).to_have_count(0)
    page.get_by_role("link", name="Menu").click()
    expect(page.get_by_text(email)).to_be_visible()


def test_a_second_socket_with_a_live_token_gets_a_new_one_and_both_tabs_carry_on(cluster, new_context):
    """A fast reconnect that lands while the old socket is still open, on
    either server (reflex#6345): Redis says the token is taken, so Reflex hands
    the newcomer a new token and an empty state. A duplicated tab is that
    case, on demand: it copies sessionStorage, so it connects with the first
    tab's token while the first tab is still connected."""
    context = new_context()
    first = context.new_page()
    email = unique_email("duplicate")
    sign_up(first, email)
    start_course(first)
    fill_session_form(first, "typed in the first tab")
    token = first.evaluate("sessionStorage.getItem('token')")

    second = context.new_page()
    # Only on the first load: what the browser copies when a tab is duplicated.
    second.add_init_script(f"if (!sessionStorage.getItem('token')) sessionStorage.setItem('token', {token!r})")
    second.goto("/log")
    second.wait_for_function("old => sessionStorage.getItem('token') !== old", arg=token, timeout=30_000)
    # The newcomer is signed in on its new token, with the form the patient asked for.
    expect(second.get_by_label("Thighs")).to_be_checked()
    second.get_by_label("Date and time").fill("2026-11-22T10:00")
    second.get_by_label("Notes").fill("typed in the second tab")
    second.get_by_role("button", name="Save session").click()
    expect(second.get_by_text("Session saved.")).to_be_visible()

    # The first tab kept its token, its socket and what was typed in it.
    assert first.evaluate("sessionStorage.getItem('token')") == token
    _expect_typed_input_kept(first, "typed in the first tab")
    _save_and_find_once(first, "typed in the first tab")
    expect(first.get_by_text("typed in the second tab")).to_have_count(1)
    second.get_by_role("link", name="Menu").click()
    expect(second.get_by_text(email)).to_be_visible()
