"""Never locked out of your own journal (#19): a patient confirms the email,
forgets the password and gets back in by email or with a recovery code,
changes the email; on a phone, with the mail read from a real SMTP server."""

from __future__ import annotations

import base64
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import expect_refusal_seen, expect_sign_in_page, sign_in, sign_up, unique_email
from tests.browser.journeys import log_session, start_course
from tests.factories import PASSWORD
from tests.mailbox import Mailbox, link_in

NEW_PASSWORD = "my brand new sentence"
PHONE = {"viewport": {"width": 390, "height": 844}}


def open_mailed_link(page: Page, mailbox: Mailbox, email: str, subject: str, after: int = 0) -> str:
    link = link_in(mailbox.wait_for(email, subject, after=after))
    path = re.sub(r"^https?://[^/]+", "", link)  # the journeys' server has its own port
    page.goto(path)
    return path


def sign_out(page: Page) -> None:
    page.goto("/more")
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_page(page)


def test_a_patient_who_forgot_the_password_gets_back_in_by_email_with_nothing_lost(new_context, mailbox):
    email = unique_email("forgetful")
    phone = new_context(**PHONE).new_page()
    sign_up(phone, email)
    # The journal works at once; Menu asks, gently, to confirm the address.
    start_course(phone)
    log_session(phone)
    phone.goto("/more")
    expect(phone.get_by_text("Your email is not confirmed yet", exact=False)).to_be_visible()
    open_mailed_link(phone, mailbox, email, "Confirm your email")
    expect(phone.get_by_text("your email address is confirmed")).to_be_visible()
    expect(phone.get_by_text("Your email is confirmed.")).to_be_visible()
    # Another device where the journal is open.
    laptop = new_context().new_page()
    sign_in(laptop, email)
    expect(laptop.get_by_role("heading", name="Timeline")).to_be_visible()

    sign_out(phone)
    phone.get_by_role("link", name="Forgot your password?").click()
    expect(phone.get_by_role("heading", name="Forgot your password?")).to_be_visible()
    # A mistyped address is said at once, next to its field.
    phone.get_by_label("Email").fill("not an address")
    phone.get_by_label("Email").evaluate("e => e.type = 'text'")  # past the browser's own check
    phone.get_by_role("button", name="Send me a link").click()
    expect_refusal_seen(phone, "Enter an email address like name@example.com.")
    expect(phone.get_by_label("Email")).to_have_value("not an address")  # kept, to find the slip
    phone.get_by_label("Email").fill(email)
    phone.get_by_role("button", name="Send me a link").click()
    expect(phone.get_by_role("status")).to_contain_text("If an account with a confirmed email exists")
    link = open_mailed_link(phone, mailbox, email, "Set a new password")
    expect(phone.get_by_role("heading", name="Choose a new password")).to_be_visible()
    phone.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("New password again").fill("something else entirely")
    phone.get_by_role("button", name="Set my new password").click()
    expect_refusal_seen(phone, "The two passwords are not the same.")
    phone.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    phone.get_by_label("New password again").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Set my new password").click()
    expect(phone.get_by_text("Your new password is set")).to_be_visible()
    # Nothing lost: the session logged before is on the timeline.
    phone.get_by_role("link", name="Timeline").click()
    expect(phone.get_by_text("Clinique Lumière").first).to_be_visible()
    expect(phone.get_by_text("Session 1").first).to_be_visible()
    # The other device was signed out, and the old password no longer works.
    laptop.reload()
    expect_sign_in_page(laptop)
    sign_in(laptop, email, PASSWORD)
    expect_refusal_seen(laptop, "Wrong email or password.")
    sign_in(laptop, email, NEW_PASSWORD)
    expect(laptop.get_by_role("heading", name="Timeline")).to_be_visible()
    # The link worked once.
    phone.goto(link)
    expect(phone).to_have_url(re.compile(r"/forgot-password\?error=link_used$"))
    expect_refusal_seen(phone, "This link has already been used or has expired.")


def test_an_unknown_address_gets_the_same_answer_and_no_mail(new_context, mailbox):
    page = new_context(**PHONE).new_page()
    nobody = unique_email("nobody")
    page.goto("/forgot-password")
    page.get_by_label("Email").fill(nobody)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status")).to_contain_text("If an account with a confirmed email exists")
    page.wait_for_timeout(1500)
    assert mailbox.to(nobody) == []


def test_recovery_codes_let_a_patient_back_in_once_each(new_context):
    email = unique_email("codes")
    page = new_context(**PHONE).new_page()
    sign_up(page, email)
    page.goto("/more")
    expect(page.get_by_text("You have no recovery codes.")).to_be_visible()
    codes_form = page.locator("form", has=page.get_by_role("button", name="Make recovery codes"))
    codes_form.get_by_label("Your current password").fill("not my password at all")
    codes_form.get_by_role("button", name="Make recovery codes").click()
    expect_refusal_seen(page, "Not right. Type the password you sign in with.")
    codes_form = page.locator("form", has=page.get_by_role("button", name="Make recovery codes"))
    codes_form.get_by_label("Your current password").fill(PASSWORD)
    codes_form.get_by_role("button", name="Make recovery codes").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", c) for c in codes)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("You have new recovery codes.")).to_be_visible()
    expect(page.get_by_text("You have 10 unused recovery codes.")).to_be_visible()

    sign_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_role("link", name="Use a recovery code").click()
    expect(page.get_by_role("heading", name="Use a recovery code")).to_be_visible()

    def use(code: str) -> None:
        page.get_by_label("Email").fill(email)
        page.get_by_label("Recovery code").fill(code)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set my new password").click()

    use(codes[0].lower().replace("-", " "))  # as copied by hand from paper
    expect(page.get_by_text("That recovery code is now used")).to_be_visible()
    expect(page.get_by_text("You have 9 unused recovery codes.")).to_be_visible()
    sign_out(page)
    page.goto("/recover")
    use(codes[0])
    expect_refusal_seen(page, "Wrong email or recovery code. Each code works once.")
    # What was typed stays, but for the passwords.
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Recovery code")).to_have_value(codes[0])
    expect(page.get_by_label("New password", exact=True)).to_have_value("")


def test_changing_the_email_asks_to_confirm_the_new_one(new_context, mailbox):
    old, new = unique_email("old"), unique_email("new")
    page = new_context(**PHONE).new_page()
    sign_up(page, old)
    open_mailed_link(page, mailbox, old, "Confirm your email")
    expect(page.get_by_text("Your email is confirmed.")).to_be_visible()
    email_form = page.locator("form", has=page.get_by_role("button", name="Change email"))
    email_form.get_by_label("New email").fill(new)
    email_form.get_by_label("Your current password").fill("wrong password here")
    email_form.get_by_role("button", name="Change email").click()
    expect_refusal_seen(page, "Not right. Type the password you sign in with.")
    email_form.get_by_label("New email").fill(new)
    email_form.get_by_label("Your current password").fill(PASSWORD)
    email_form.get_by_role("button", name="Change email").click()
    expect(page.get_by_text("Your email is changed")).to_be_visible()
    expect(page.get_by_text(new)).to_be_visible()
    expect(page.get_by_text("Your email is not confirmed yet", exact=False)).to_be_visible()
    assert "was changed" in mailbox.wait_for(old, "was changed")["Subject"]
    open_mailed_link(page, mailbox, new, "Confirm your email")
    expect(page.get_by_text("Your email is confirmed.")).to_be_visible()


# --- passkeys ------------------------------------------------------------------


def virtual_authenticator(page: Page) -> tuple[object, str]:
    """A platform authenticator in Chromium (the DevTools protocol's), with
    resident keys and a verified user: what a phone's fingerprint is."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return cdp, made["authenticatorId"]


def add_passkey(page: Page, name: str, password: str = PASSWORD) -> None:
    page.goto("/more")
    form = page.locator("form[data-passkey-add]")
    form.get_by_label("Name this passkey").fill(name)
    form.get_by_label("Your current password").fill(password)
    form.get_by_role("button", name="Add a passkey").click()


def sign_out_and_back_in_with_the_passkey(page: Page) -> None:
    """Signs out; the sign-in page's email field offers the phone's passkey,
    which the virtual authenticator (a verified user) takes at once."""
    page.goto("/more")
    page.get_by_role("button", name="Sign out").click()


def test_a_patient_signs_in_with_a_fingerprint(new_context):
    email = unique_email("passkey")
    page = new_context(**PHONE).new_page()
    cdp, authenticator = virtual_authenticator(page)
    sign_up(page, email)
    # The password is asked first: a stolen cookie cannot add itself a passkey.
    add_passkey(page, "My phone", password="not my password at all")
    expect_refusal_seen(page, "Not right. Type the password you sign in with.")
    add_passkey(page, "My phone")
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    expect(page.get_by_text("My phone", exact=True)).to_be_visible()
    expect(page.get_by_text("not used yet", exact=False)).to_be_visible()
    assert len(cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]) == 1
    # A second one on the same phone: said why nothing was added.
    add_passkey(page, "Same phone again")
    expect_refusal_seen(page, "This phone or browser already has a passkey for your journal.")

    # Captured on its way, to be sent again below.
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.post_data or "") if r.url.endswith("/api/passkeys/sign-in") else None)
    sign_out_and_back_in_with_the_passkey(page)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    page.goto("/more")
    expect(page.get_by_text(email)).to_be_visible()
    expect(page.get_by_text("last used", exact=False)).to_be_visible()

    # A replayed assertion (its one-time challenge is spent) signs nobody in.
    assert sent
    stranger = new_context().new_page()
    stranger.goto("/forgot-password")
    replay = stranger.request.post("/api/passkeys/sign-in", data=sent[0], headers={"content-type": "application/json"})
    assert replay.status == 422 and "passkey_failed" in replay.json()["to"]
    assert not any(c["name"].endswith("meso_session") for c in stranger.context.cookies())

    # Removed (after saying which), it no longer works: neither offered on the field nor tapped.
    asked: list[str] = []

    def accept(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="Remove the passkey My phone").click()
    expect(page.get_by_text("Passkey removed.")).to_be_visible()
    assert asked and "My phone" in asked[0]
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    sign_out_and_back_in_with_the_passkey(page)
    expect_refusal_seen(page, "This passkey no longer works for this journal")
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page).to_have_url(re.compile(r"/sign-in\?error=passkey_unknown$"))
    expect_refusal_seen(page, "This passkey no longer works for this journal")
    # The password still works (the patient deleted the dead passkey from the phone too).
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    sign_in(page, email)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()


def test_a_passkey_of_another_account_signs_in_only_to_that_account(new_context):
    alice, bob = unique_email("alice"), unique_email("bob")
    page = new_context(**PHONE).new_page()
    cdp, authenticator = virtual_authenticator(page)
    sign_up(page, alice)
    add_passkey(page, "Alice's phone")
    expect(page.get_by_text("Passkey added.")).to_be_visible()
    creds = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    # Bob signs up on the same phone, with the passkey put aside meanwhile.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    page.goto("/more")
    page.get_by_role("button", name="Sign out").click()
    expect_sign_in_page(page)
    sign_up(page, bob)
    page.goto("/more")
    expect(page.get_by_text("You have no passkeys.")).to_be_visible()
    # A passkey whose account id was altered on the device is refused...
    forged = {**creds[0], "userHandle": base64.b64encode(b"not the account it was made for!").decode()}
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": forged})
    sign_out_and_back_in_with_the_passkey(page)
    expect_refusal_seen(page, "That passkey did not work here.")
    # ...and Alice's own signs in as Alice, never as Bob, whoever was here before.
    cdp.send("WebAuthn.clearCredentials", {"authenticatorId": authenticator})
    cdp.send("WebAuthn.addCredential", {"authenticatorId": authenticator, "credential": creds[0]})
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    page.goto("/more")
    expect(page.get_by_text(alice)).to_be_visible()
