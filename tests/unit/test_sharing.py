"""Share links and the doctor's view: tokens, expiry, revoking, signed photo
addresses, and that a link only ever shows the one patient (and course) it names."""

from __future__ import annotations

import math
import re
from collections import Counter
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from meso_journal import clock, settings
from meso_journal.models import ShareLink
from meso_journal.rules import sharing, validation
from meso_journal.store import journal, share_links
from meso_journal.web import api, client_address, doctor_view, rate_limit
from tests.factories import NOW, add_photo, link_form, make_course, make_link, make_visit, utc

# --- tokens and the link's life -------------------------------------------------------


def test_it_makes_tokens_with_at_least_128_random_bits():
    tokens = [sharing.new_token() for _ in range(200)]
    assert len(set(tokens)) == 200
    assert all(sharing.plausible_token(t) for t in tokens)
    # 43 URL-safe characters carry 6 bits each: 258 bits, of which 256 are random.
    assert min(len(t) for t in tokens) * 6 >= 256
    counts = Counter("".join(tokens))
    total = sum(counts.values())
    entropy = -sum(n / total * math.log2(n / total) for n in counts.values())
    assert entropy > 5.9  # close to log2(64) = 6: no character favoured


def test_it_stores_only_the_tokens_hash(db, alice):
    new = make_link(db, alice)
    row = db.exec(select(ShareLink)).one()
    assert row.token_hash == sharing.token_hash(new.token) and new.token not in row.token_hash
    assert len(row.token_hash) == 64
    assert row.expires_at == NOW + timedelta(days=7)
    assert (row.label, row.course_id, row.include_photos) == ("Dr. Martin", None, False)


def test_a_link_expires_at_its_expiry_instant(db, alice):
    new = make_link(db, alice, days="1")
    end = NOW + timedelta(days=1)
    assert share_links.open_link(db=db, token=new.token, now=end - timedelta(microseconds=1)) is not None
    assert share_links.open_link(db=db, token=new.token, now=end) is None


def test_opening_counts_and_revoking_stops_it(db, alice):
    new = make_link(db, alice)
    share_links.open_link(db=db, token=new.token, now=NOW + timedelta(hours=1))
    link = share_links.open_link(db=db, token=new.token, now=NOW + timedelta(hours=2))
    assert link.open_count == 2 and link.last_opened_at == NOW + timedelta(hours=2)
    share_links.revoke_link(db=db, owner_id=alice.id, link_id=link.id, now=NOW + timedelta(hours=3))
    assert share_links.open_link(db=db, token=new.token, now=NOW + timedelta(hours=4)) is None


def test_nobody_else_can_revoke_or_delete_a_link(db, alice, charlie):
    link = make_link(db, alice).link
    for bad_id in (link.id, str(link.id), None, {"id": link.id}, -1, 2**40):
        with pytest.raises(journal.NotFound):
            share_links.revoke_link(db=db, owner_id=charlie.id, link_id=bad_id, now=NOW)
        with pytest.raises(journal.NotFound):
            share_links.delete_link(db=db, owner_id=charlie.id, link_id=bad_id)
    db.refresh(link)
    assert link.revoked_at is None


def test_a_link_for_someone_elses_course_is_refused(db, alice, charlie):
    course = make_course(db, charlie)
    with pytest.raises(journal.NotFound):
        make_link(db, alice, scope=str(course.id))
    assert db.exec(select(ShareLink)).all() == []


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"days": "365"}, "days"),
        ({"days": "-7"}, "days"),
        ({"days": "7.5"}, "days"),
        ({"scope": "1; DROP TABLE sharelink"}, "scope"),
        ({"scope": "99999999999999"}, "scope"),
        ({"label": "x" * 101}, "label"),
    ],
)
def test_it_refuses_a_bad_link_form(changes, field):
    with pytest.raises(validation.Invalid) as e:
        sharing.link_input(link_form(**changes))
    assert field in e.value.errors


@pytest.mark.parametrize("raw", [None, [], "label=x", {"label": {"$gt": ""}}, {1: 2}, {"$gt": ""}, {}])
def test_it_refuses_a_form_of_the_wrong_shape(raw):
    with pytest.raises(validation.Invalid):
        sharing.link_input(raw)


def test_it_tells_what_is_new_or_worse_since_the_previous_session():
    e = sharing.Effect
    previous = [e("swelling", "Swelling", 1), e("bruising", "Bruising", 2)]
    latest = [e("swelling", "Swelling", 3), e("bruising", "Bruising", 1), e("rash", "Rash", 1), e("pain", "Pain", 0)]
    assert sharing.since_previous(previous, latest) == ["Worse: swelling (mild → severe)", "New: rash (mild)"]
    assert sharing.since_previous(latest, previous) == ["Worse: bruising (mild → moderate)"]
    assert sharing.since_previous(previous, previous) == []


def test_the_guess_limiter_blocks_after_the_limit_and_forgets_with_time():
    clock = [0.0]
    limiter = rate_limit.WindowLimiter(limit=3, window_seconds=60, clock=lambda: clock[0])
    for _ in range(3):
        assert not limiter.blocked("1.2.3.4")
        limiter.hit("1.2.3.4")
    assert limiter.blocked("1.2.3.4") and not limiter.blocked("5.6.7.8")
    clock[0] = 61
    assert not limiter.blocked("1.2.3.4")


# --- the doctor's view ------------------------------------------------------------------


def test_the_view_shows_the_summary_and_sessions(client, db, alice):
    alice.display_name = "Zoë Ørsted"
    db.add(alice)
    db.commit()
    course = make_course(db, alice, clinic="Clinique <b>Lumière</b>", practitioner="Dr. Martin")
    make_visit(db, alice, course, performed_at="2026-11-10T10:00", **{"effect:bruising": "mild"})
    make_visit(db, alice, course, **{"effect:infection": "mild", "notes": "<script>alert(1)</script>"})
    r = client.get(f"/s/{make_link(db, alice, now=utc(2026, 11, 24)).token}")
    assert r.status_code == 200
    assert r.headers["x-robots-tag"].startswith("noindex") and r.headers["referrer-policy"] == "no-referrer"
    assert "no-store" in r.headers["cache-control"]
    html = r.text
    assert "Zoë Ørsted" in html and "2 so far, against a typical 3–15" in html
    assert "Clinique &lt;b&gt;Lumière&lt;/b&gt;" in html and "<script>alert(1)" not in html
    assert "New: infection (mild)" in html and "Infection reported" in html
    assert "Results of mesotherapy are unproven" in html and "About the evidence" in html
    assert "patient's own impressions" in html


def test_unknown_expired_and_revoked_links_get_one_and_the_same_page(client, db, alice):
    make_course(db, alice, clinic="Secret clinic")
    expired = make_link(db, alice, now=utc(2026, 1, 1), days="1").token
    revoked = make_link(db, alice, now=utc(2026, 11, 24))
    share_links.revoke_link(db=db, owner_id=alice.id, link_id=revoked.link.id, now=utc(2026, 11, 24, 1))
    answers = [client.get(f"/s/{t}") for t in (sharing.new_token(), expired, revoked.token, "short", "x" * 300)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.text for a in answers}) == 1
    assert "no longer valid" in answers[0].text and "Secret clinic" not in answers[0].text


def test_guessing_tokens_is_rate_limited(client, db, alice):
    good = make_link(db, alice, now=utc(2026, 11, 24)).token
    codes = [client.get(f"/s/{sharing.new_token()}").status_code for _ in range(25)]
    assert codes[:20] == [404] * 20 and codes[20:] == [429] * 5
    assert client.get(f"/s/{good}").status_code == 200  # a valid link always opens: only failures count
    assert client.get(f"/s/{sharing.new_token()}").status_code == 429


def test_doctors_behind_one_trusted_proxy_are_counted_apart(engine, db, alice, monkeypatch):
    monkeypatch.setattr(doctor_view, "guesses", rate_limit.WindowLimiter())
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(settings, "TRUSTED_PROXIES", client_address.parse_networks("10.0.0.0/8"))
    proxy = TestClient(api.api, base_url="http://localhost:3000", client=("10.0.0.2", 50000))
    guesser = {"X-Forwarded-For": "198.51.100.1"}
    codes = [proxy.get(f"/s/{sharing.new_token()}", headers=guesser).status_code for _ in range(21)]
    assert codes[-1] == 429
    good = make_link(db, alice, now=utc(2026, 11, 24)).token
    assert proxy.get(f"/s/{good}", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200
    # A guesser cannot pose as someone else: what it puts left of the proxy's entry is ignored.
    spoofed = {"X-Forwarded-For": "198.51.100.3, 198.51.100.1"}
    assert proxy.get(f"/s/{sharing.new_token()}", headers=spoofed).status_code == 429


def test_a_link_shows_only_its_patient_and_course(client, db, alice, charlie):
    thighs = make_course(db, alice, clinic="Thigh clinic")
    scalp = make_course(db, alice, goal="hair_loss", clinic="Scalp clinic")
    make_course(db, charlie, clinic="Charlie's clinic")
    html = client.get(f"/s/{make_link(db, alice, now=utc(2026, 11, 24), scope=str(thighs.id)).token}").text
    assert "Thigh clinic" in html and "Scalp clinic" not in html and "Charlie" not in html
    everything = client.get(f"/s/{make_link(db, alice, now=utc(2026, 11, 24)).token}").text
    assert "Thigh clinic" in everything and "Scalp clinic" in everything and "Charlie" not in everything
    assert scalp.id


def _img_urls(html: str) -> list[str]:
    return [u.replace("&amp;", "&") for u in re.findall(r'src="(/s/photo/[^"]+)"', html)]


def test_photos_come_through_signed_addresses_only_when_shared(client, db, alice, photo_dir):
    course = make_course(db, alice)
    add_photo(db, alice, course, day=2)
    add_photo(db, alice, course, day=20)
    without = client.get(f"/s/{make_link(db, alice, now=utc(2026, 11, 24)).token}").text
    assert _img_urls(without) == []
    new = make_link(db, alice, now=utc(2026, 11, 24), photos="on")
    urls = _img_urls(client.get(f"/s/{new.token}").text)
    assert len(urls) == 4  # first and latest, then both thumbnails
    r = client.get(urls[0])
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    assert r.headers["x-robots-tag"].startswith("noindex") and r.headers["cache-control"].startswith("private")
    tampered = urls[0].replace("/display?", "/thumb?")
    assert client.get(tampered).status_code == 404
    other_photo = re.sub(r"/s/photo/(\d+)/(\d+)/", lambda m: f"/s/photo/{m[1]}/{int(m[2]) + 1}/", urls[0])
    assert client.get(other_photo).status_code == 404
    share_links.revoke_link(db=db, owner_id=alice.id, link_id=new.link.id, now=utc(2026, 11, 24, 1))
    assert client.get(urls[0]).status_code == 404  # revoking stops the photos at once


def test_a_signed_photo_address_expires(db, alice, charlie, photo_dir, client, monkeypatch):
    course = make_course(db, alice)
    pic = add_photo(db, alice, course)
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on").link
    url = doctor_view.signed_photo_url(link, pic, "thumb", clock.now())
    assert client.get(url).status_code == 200
    later = clock.now() + timedelta(seconds=settings.SHARE_PHOTO_SECONDS)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert client.get(url).status_code == 404


def test_a_signature_never_opens_another_patients_photo(db, alice, charlie, photo_dir, client):
    theirs = add_photo(db, charlie, make_course(db, charlie))
    make_course(db, alice)
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on").link
    # Even a correctly signed address (as if the key leaked) finds nothing outside the link's patient.
    assert client.get(doctor_view.signed_photo_url(link, theirs, "display", clock.now())).status_code == 404


def test_a_course_link_does_not_serve_photos_of_other_courses(db, alice, photo_dir, client):
    thighs, scalp = make_course(db, alice), make_course(db, alice, goal="hair_loss")
    scalp_photo = add_photo(db, alice, scalp, area="scalp")
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on", scope=str(thighs.id)).link
    assert client.get(doctor_view.signed_photo_url(link, scalp_photo, "thumb", clock.now())).status_code == 404


def test_an_address_signed_for_deleted_rows_never_opens_the_rows_that_reuse_their_ids(
    engine, db, alice, photo_dir, client
):
    """SQLite gives a deleted row's id to the next row: an address signed for a
    deleted account's photo opened the next patient's photo (found attacking the app)."""
    from sqlmodel import delete

    from meso_journal.models import User
    from tests.factories import make_user

    stranger = make_user(db, email="stranger@example.com")
    old_photo = add_photo(db, stranger, make_course(db, stranger))
    old_link = make_link(db, stranger, now=utc(2026, 11, 24), photos="on").link
    stale = doctor_view.signed_photo_url(old_link, old_photo, "display", clock.now())
    assert client.get(stale).status_code == 200
    db.exec(delete(User).where(User.id == stranger.id))  # the account goes, and every row it owned
    db.commit()
    db.expunge_all()  # forget the deleted rows' objects: their ids come back
    pic = add_photo(db, alice, make_course(db, alice))
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on").link
    if engine.dialect.name == "sqlite":
        assert (pic.id, link.id) == (old_photo.id, old_link.id)  # the very same ids, now alice's
    assert client.get(stale).status_code == 404
    assert client.get(doctor_view.signed_photo_url(link, pic, "display", clock.now())).status_code == 200


def test_the_doctor_reads_every_measurement_in_the_patients_own_units(db, alice, client):
    course = make_course(db, alice)
    journal.add_measurement(
        db=db,
        owner_id=alice.id,
        course_id=course.id,
        data=validation.measurement_input(
            {"kind": "weight", "measured_on": "2026-11-12", "value": "155", "unit": "lb"}, today=NOW.date()
        ),
    )
    new = make_link(db, alice, now=utc(2026, 11, 24))
    page = client.get(doctor_view.share_url("http://localhost:3000", new.token)).text
    assert "70.3 kg" in page and "155 lb" not in page  # alice measures in kg (a walk found them mixed)


def test_an_expiry_in_other_digits_is_a_404_not_a_server_error(db, alice, photo_dir, client):
    course = make_course(db, alice)
    pic = add_photo(db, alice, course)
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on").link
    url = doctor_view.signed_photo_url(link, pic, "thumb", clock.now())
    expires = url.split("expires=")[1].split("&")[0]
    assert client.get(url.replace(f"expires={expires}", "expires=²")).status_code == 404


def test_a_signature_in_other_letters_is_a_404_like_any_wrong_one(db, alice, photo_dir, client):
    """Found attacking the app: a non-ASCII signature on a live link's photo
    raised (hmac.compare_digest refuses such text), and a 500 where a wrong
    signature gets a 404 told which links and photos exist."""
    course = make_course(db, alice)
    pic = add_photo(db, alice, course)
    link = make_link(db, alice, now=utc(2026, 11, 24), photos="on").link
    url = doctor_view.signed_photo_url(link, pic, "thumb", clock.now())
    signature = url.split("sig=")[1].split("&")[0]
    assert client.get(url.replace(f"sig={signature}", "sig=%C3%A9")).status_code == 404
    assert client.get(url.replace(f"sig={signature}", "sig=" + "é" * len(signature))).status_code == 404
