"""The mail the app sends, and how it leaves.

Three messages, each written for a patient: confirm this address, set a new
password, and "your email was changed" (to the old address, so a patient
whose account was taken over hears of it). They go out through the SMTP
server of settings.SMTP, in one background thread, so a request never waits
for a mail server (and a "forgot your password" answer takes as long whether
or not the email has an account). With no SMTP configured, each message is
written to the server log instead, and the app says so at start-up: a
newcomer's `make run` still shows the links."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import make_msgid

from meso_journal import settings

logger = logging.getLogger("meso_journal")

_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meso-mail")
TIMEOUT = 20  # seconds for each step of a conversation with the mail server


def announce() -> None:
    """One line at start-up when mail has nowhere to go but the log."""
    if settings.SMTP is None:
        logger.warning(
            "No mail server configured (MESO_SMTP_URL): emails such as password-reset links are written to this log"
        )


def _message(to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.MAIL_FROM
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain=settings.MAIL_FROM.rsplit("@", 1)[-1].strip("> "))
    msg.set_content(body)
    return msg


def _safe_address(to: str) -> bool:
    """Only a plain address goes into a header: no line breaks, and no MIME
    encoded word, which a header would decode into other addresses. Sign-up
    refuses both (credentials.normalize_email); this also covers accounts
    made before it did."""
    return "=?" not in to and not any(ord(c) < 32 or ord(c) == 127 for c in to)


def _deliver(to: str, subject: str, body: str) -> None:
    if not _safe_address(to):
        logger.warning("a mail was not sent: its address cannot go into a mail header safely")
        return
    try:
        msg = _message(to, subject, body)
    except (ValueError, TypeError):
        logger.exception("a mail could not be written")
        return
    if settings.SMTP is None:
        logger.warning(
            "Mail to %s (no mail server configured)\nSubject: %s\n\n%s", msg["To"], msg["Subject"], msg.get_content()
        )
        return
    host, port, user, password, tls = settings.SMTP
    try:
        if tls == "tls":
            server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(host, port, timeout=TIMEOUT)
        with server:
            if tls == "starttls":
                server.starttls(context=ssl.create_default_context())
            if user:
                server.login(user, password)
            server.send_message(msg)
    except (OSError, smtplib.SMTPException):
        # The patient cannot be told from here; whoever runs the server can.
        logger.exception("could not send the mail %r to the mail server %s:%s", msg["Subject"], host, port)


def send(to: str, subject: str, body: str) -> None:
    """Queues the message and returns at once; nothing about it can fail the
    request that sent it (it is written, checked and sent in the mail thread)."""
    _sender.submit(_deliver, to, subject, body)


def in_background(job: Callable[[], None]) -> None:
    """Runs job in the mail thread, after the answer has gone: work whose
    duration must not show in the answer's timing (web/api.forgot_password)."""

    def run() -> None:
        try:
            job()
        except Exception:
            logger.exception("a background mail job failed")

    _sender.submit(run)


def wait_until_sent() -> None:
    """For tests and scripts: every message queued so far has been handed on,
    including those a background job queued as it ran (hence two rounds)."""
    for _ in range(2):
        _sender.submit(lambda: None).result()


# --- the messages ------------------------------------------------------------

_SIGNATURE = "\n\nMeso Journal\nYour private mesotherapy journal. Nobody at Meso Journal reads your records."


def confirm_address(to: str, link: str, *, changed: bool) -> None:
    why = "You changed the email of your Meso Journal account." if changed else "Welcome to Meso Journal."
    send(
        to,
        "Confirm your email for Meso Journal",
        f"{why} Confirm that this address is yours by opening this link:\n\n{link}\n\n"
        "Once it is confirmed, you can set a new password from the sign-in page if you ever forget yours. "
        "The link works for 3 days.\n\n"
        "If you did not ask for this, ignore this email: nothing happens without the link." + _SIGNATURE,
    )


def reset_password(to: str, link: str) -> None:
    send(
        to,
        "Set a new password for Meso Journal",
        "Someone, hopefully you, asked to set a new password for the Meso Journal account of this address. "
        f"To choose a new one, open this link:\n\n{link}\n\n"
        "The link works once, for 30 minutes. Setting a new password signs out every device where the "
        "journal is open.\n\n"
        "If you did not ask for this, ignore this email: your password stays as it is, and your journal "
        "is safe." + _SIGNATURE,
    )


def password_changed(to: str, how: str) -> None:
    """how: "reset" (a mailed link), "code" (a recovery code) or "changed" (in Menu)."""
    by = {
        "reset": "with a link sent to this address",
        "code": "with one of your recovery codes",
        "changed": "from the Menu of a signed-in device",
    }[how]
    send(
        to,
        "Your Meso Journal password was changed",
        f"The password of your Meso Journal account was changed just now, {by}. Every other device was "
        "signed out, and the account's passkeys no longer work"
        + ("" if how == "code" else ", nor its recovery codes")
        + ".\n\n"
        "If this was you, there is nothing to do. If it was not, someone else may have got into your journal: "
        'choose a new one at once with "Forgot your password?" on the sign-in page, or with a recovery code.'
        + _SIGNATURE,
    )


def address_changed(to: str, new_address: str) -> None:
    send(
        to,
        "The email of your Meso Journal account was changed",
        f"The email of your Meso Journal account was changed from this address to {new_address}.\n\n"
        "If you made this change, there is nothing to do.\n\n"
        f"If you did not, someone else may be in your journal, and it now signs in with {new_address}. "
        "Sign in with that address and your password if it still works, or use a recovery code with that "
        'address on the sign-in page ("Forgot your password?", then "Use a recovery code"). Then change '
        "your password, and the email back to this one, in Menu." + _SIGNATURE,
    )
