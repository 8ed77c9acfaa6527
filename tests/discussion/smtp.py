"""A real SMTP server on 127.0.0.1 for the mail tests (aiosmtpd), and what it received."""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Mailbox:
    """The aiosmtpd handler: keeps every accepted message; ``answer`` is the reply to DATA
    (set it to e.g. ``"451 try later"`` to make the server refuse)."""

    answer: str = "250 Message accepted for delivery"
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.answer.startswith("250"):
            self.received.append(message_from_bytes(envelope.content, policy=policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return self.answer


def start(mailbox: Mailbox) -> Controller:
    """Start an SMTP server for ``mailbox`` on a free port of 127.0.0.1 (``.port``)."""
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
