"""Mail over real TLS: an aiosmtpd server on 127.0.0.1 with a self-signed certificate made by
the test (``cryptography``), speaking STARTTLS (``smtp://``) or TLS from the first byte
(``smtps://``). The letter arrives when ``EMAIL_URL`` trusts the certificate (``?cafile=``);
a certificate the settings do not trust, a name it was not made for, or a server that does not
offer STARTTLS get nothing — the letter stays stored with ``mailed`` False."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from broadsheet.content.discussion.models import Letter
from broadsheet.settings.envurls import email_settings

from . import smtp

pytestmark = pytest.mark.django_db


def self_signed(folder: Path, name: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for the address ``name`` and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "newsroom test mail")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(name))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / f"{name}.pem", folder / f"{name}.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


class TLSMailbox(smtp.Mailbox):
    """A mailbox that also notes whether each message came over TLS."""

    def __init__(self) -> None:
        super().__init__()
        self.over_tls: list[bool] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        implicit = server.transport.get_extra_info("ssl_object") is not None
        self.over_tls.append(implicit or session.ssl is not None)  # or after STARTTLS
        return await super().handle_DATA(server, session, envelope)


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


@pytest.fixture
def certificate(tmp_path):
    return self_signed(tmp_path)


@pytest.fixture
def starttls_server(certificate):
    """An SMTP server that offers STARTTLS and accepts mail only after it."""
    box = TLSMailbox()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=smtp.free_port(),
        tls_context=server_context(*certificate),
        require_starttls=True,
    )
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def smtps_server(certificate):
    """An SMTP server speaking TLS from the first byte (port 465's way)."""
    box = TLSMailbox()
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=smtp.free_port(),
        ssl_context=server_context(*certificate),
    )
    controller.start()
    yield box, controller.port
    controller.stop()


def use(settings, url: str) -> None:
    for name, value in email_settings(url).items():
        setattr(settings, name, value)
    settings.DEFAULT_FROM_EMAIL = "newsroom@newsroom.example"


def send_letter(post_form) -> Letter:
    response = post_form(
        "letter", name="Reza", email="reza@example.org", subject="Over TLS", text="Sealed."
    )
    assert response.status_code == 303
    return Letter.objects.get()


def test_starttls_to_a_trusted_certificate_delivers(
    settings, front_page, post_form, starttls_server, certificate
):
    box, port = starttls_server
    use(settings, f"smtp://127.0.0.1:{port}?cafile={certificate[0]}")
    assert settings.EMAIL_USE_TLS and not settings.EMAIL_USE_SSL
    letter = send_letter(post_form)
    assert letter.mailed
    assert box.over_tls == [True]
    (message,) = box.received
    assert message["Subject"] == "[Letter] Over TLS" and "Sealed." in message.get_content()


def test_starttls_to_an_untrusted_certificate_sends_nothing(
    settings, front_page, post_form, starttls_server, caplog
):
    box, port = starttls_server
    use(settings, f"smtp://127.0.0.1:{port}")  # the system's authorities: not this one
    letter = send_letter(post_form)
    assert not letter.mailed
    assert box.received == [] and box.over_tls == []
    assert "certificate verify failed: self-signed certificate" in caplog.text


def test_smtps_to_a_trusted_certificate_delivers(
    settings, front_page, post_form, smtps_server, certificate
):
    box, port = smtps_server
    use(settings, f"smtps://127.0.0.1:{port}?cafile={certificate[0]}")
    assert settings.EMAIL_USE_SSL and not settings.EMAIL_USE_TLS
    letter = send_letter(post_form)
    assert letter.mailed
    assert box.over_tls == [True] and len(box.received) == 1


def test_smtps_to_an_untrusted_certificate_sends_nothing(
    settings, front_page, post_form, smtps_server, tmp_path, caplog
):
    box, port = smtps_server
    (tmp_path / "other").mkdir()
    other, _ = self_signed(tmp_path / "other")
    use(settings, f"smtps://127.0.0.1:{port}?cafile={other}")  # trusts another certificate
    letter = send_letter(post_form)
    assert not letter.mailed and box.received == []
    assert "certificate verify failed" in caplog.text


def test_a_certificate_for_another_name_is_refused(
    settings, front_page, post_form, tmp_path, caplog
):
    cert, key = self_signed(tmp_path, name="127.0.0.2")  # trusted, but not for 127.0.0.1
    box = TLSMailbox()
    controller = Controller(
        box, hostname="127.0.0.1", port=smtp.free_port(), ssl_context=server_context(cert, key)
    )
    controller.start()
    try:
        use(settings, f"smtps://127.0.0.1:{controller.port}?cafile={cert}")
        letter = send_letter(post_form)
    finally:
        controller.stop()
    assert not letter.mailed and box.received == []
    assert "IP address mismatch" in caplog.text


def test_a_server_without_starttls_gets_no_plain_text(settings, front_page, post_form, caplog):
    box = TLSMailbox()
    controller = Controller(box, hostname="127.0.0.1", port=smtp.free_port())
    controller.start()
    try:
        use(settings, f"smtp://127.0.0.1:{controller.port}")  # STARTTLS required by smtp://
        letter = send_letter(post_form)
    finally:
        controller.stop()
    assert not letter.mailed and box.received == []
    assert "STARTTLS extension not supported by server" in caplog.text


def test_email_url_names_the_certificate_to_trust():
    parsed = email_settings("smtps://u:p@mail.example.org?cafile=/etc/broadsheet/mail.pem")
    assert parsed["EMAIL_SSL_CAFILE"] == "/etc/broadsheet/mail.pem"
    assert parsed["EMAIL_BACKEND"] == "broadsheet.security.mail.EmailBackend"
    assert email_settings("smtp://mail.example.org")["EMAIL_SSL_CAFILE"] == ""
