"""A real SMTP server on loopback (aiosmtpd) that records what it accepts, and refuses or stalls on demand."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Received:
    message_id: str
    subject: str
    rcpt_tos: tuple[str, ...]
    at: float  # time.monotonic() when the server answered 250 to DATA
    raw: bytes = b""  # the whole message as it arrived, attachments included
    peer: tuple = ()  # the client's address and port: one per connection


class Recorder:
    """The handler: counts messages at DATA; `refusing` answers 451 (try later), `rejected` 550."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.refusing = False
        self.rejected: set[str] = set()
        self.rcpt_delay = 0.0
        self.holding = threading.Event()
        self.held = 0  # sessions waiting at RCPT while holding
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.holding.is_set():
            with self._lock:
                self.held += 1
            try:
                while self.holding.is_set():
                    await asyncio.sleep(0.01)
            finally:
                with self._lock:
                    self.held -= 1
        if self.rcpt_delay:
            # Before DATA: a client killed while it waits here has sent nothing.
            await asyncio.sleep(self.rcpt_delay)
        if self.refusing:
            return "451 4.3.0 Try again later"
        if address.lower() in self.rejected:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        received = Received(
            str(message["Message-ID"]),
            str(message["Subject"]),
            tuple(envelope.rcpt_tos),
            time.monotonic(),
            envelope.content,
            tuple(session.peer or ()),
        )
        with self._lock:
            self.messages.append(received)
        return "250 2.0.0 Accepted"

    def count(self) -> int:
        with self._lock:
            return len(self.messages)

    def by_message_id(self) -> Counter:
        with self._lock:
            return Counter(m.message_id for m in self.messages)


class SmtpServer:
    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.handler = Recorder()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Received]:
        return list(self.handler.messages)

    def start(self) -> SmtpServer:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop listening: clients now get 'connection refused'."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def django_settings(self, settings) -> None:
        """Point Django's SMTP backend at this server (pytest-django's `settings` fixture)."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", self.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
