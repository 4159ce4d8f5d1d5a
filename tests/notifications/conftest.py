"""A real SMTP server on loopback (aiosmtpd) that the app is pointed at, for the tests that mail."""

import socket

import pytest
from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 Không có hộp thư này"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on loopback; the app is pointed at it."""
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port, "MAIL_FROM": "thidua@syt.example.vn",
                "PUBLIC_BASE_URL": "https://thidua.example.vn/"}
    for name, value in settings.items():
        monkeypatch.setitem(app.config, name, value)
    yield handler
    controller.stop()
