"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for
the tests of the mail the app sends."""

from __future__ import annotations

import re
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """Every message the server accepted, in order of arrival."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    @property
    def url(self) -> str:
        """The MESO_SMTP_URL for the app: no encryption, on loopback only."""
        return f"smtp+insecure://127.0.0.1:{self.port}"

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"

    def start(self) -> Mailbox:
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def to(self, address: str) -> list[EmailMessage]:
        with self._lock:
            return [m for m in self.messages if m["To"] == address]

    def wait_for(self, address: str, subject: str, *, after: int = 0, timeout: float = 15.0) -> EmailMessage:
        """The first message to address whose subject contains subject, beyond
        the first `after` messages to that address."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.to(address)[after:] if subject in m["Subject"]]
            if found:
                return found[0]
            time.sleep(0.05)
        raise AssertionError(f"no mail {subject!r} to {address} within {timeout} s; got {self.to(address)!r}")

    def all_of(self, address: str, subject: str) -> list[EmailMessage]:
        return [m for m in self.to(address) if subject in m["Subject"]]


def link_in(msg: EmailMessage) -> str:
    body = msg.get_content()
    links = LINK.findall(body)
    assert len(links) == 1, body
    return links[0]
