"""The SMTP backend of ``EMAIL_URL=smtp://…`` and ``smtps://…``: Django's, with the server's
certificate checked against the system's trusted authorities — or, when the URL names one
(``?cafile=/etc/broadsheet/mail-ca.pem``), against that file alone, for a newsroom's own mail
server with a self-signed certificate or a private authority (docs/security.md).

Django's backend already verifies the certificate and the host name with
``ssl.create_default_context()``, but offers no way to trust one more certificate short of
``SSL_CERT_FILE``, which would change what every HTTPS call of the process trusts. A
certificate that does not verify is never accepted: the message is not sent, ``mailed`` stays
False, and the task tries again later (``ssl.SSLError`` is a mail error like a refused
connection).
"""

from __future__ import annotations

import ssl

from django.conf import settings
from django.core.mail.backends import smtp
from django.utils.functional import cached_property


class EmailBackend(smtp.EmailBackend):
    """Django's SMTP backend; trusts ``settings.EMAIL_SSL_CAFILE`` (a PEM file) instead of the
    system's authorities when it is set. STARTTLS (``EMAIL_USE_TLS``) or TLS from the first byte
    (``EMAIL_USE_SSL``) as Django does; a server that does not offer STARTTLS is not sent to in
    plain text (``SMTPNotSupportedError``)."""

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(
            cafile=getattr(settings, "EMAIL_SSL_CAFILE", "") or None
        )
        if self.ssl_certfile or self.ssl_keyfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context
