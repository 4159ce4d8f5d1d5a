"""A real SMTP server on loopback for the password-reset mails, and helpers to read what it received."""

import email
import re
import socket
import time
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    """What the SMTP server received, as parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def wait(self, count=1, seconds=5.0):
        """The first `count` messages, waiting for them (the reset mail leaves from a thread of its own)."""
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(self.messages) >= count, f"{len(self.messages)} of {count} messages arrived"
        return self.messages[:count]


LINK = re.compile(r"https?://\S+/reset-password/\S+")


def reset_path(message) -> str:
    """The path of the reset link in a mail (the link is absolute, on PUBLIC_BASE_URL)."""
    link = LINK.search(message.get_content()).group(0)
    return "/" + link.split("/", 3)[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_inbox(app, monkeypatch):
    """A real SMTP server on loopback; the app is pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    for name, value in {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                        "MAIL_FROM": "thidua@syt.example.vn", "PUBLIC_BASE_URL": "https://thidua.example.vn"}.items():
        monkeypatch.setitem(app.config, name, value)
    yield inbox
    controller.stop()
