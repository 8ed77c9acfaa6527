"""Mail to readers: signed links, one-click unsubscribe headers, and the message itself.

Shared by every feature that mails readers (newsletters now, forums next); it lives in the
content layer so that features, which never import each other, can all use it.

* :func:`sign` / :func:`unsign` — a link's token: ``django.core.signing`` (HMAC-SHA256 over
  ``SECRET_KEY``) with a salt per *purpose* (a confirmation token is no unsubscribe token),
  time-stamped, checked against a maximum age. :class:`LinkExpired` and :class:`LinkForged`
  say what is wrong with a token.
* :func:`unsubscribe_headers` — RFC 2369 ``List-Unsubscribe`` (an HTTPS URL, and a
  ``mailto:`` when there is one) with RFC 8058's ``List-Unsubscribe-Post:
  List-Unsubscribe=One-Click``.
* :func:`header_text` — a line of text made safe for a header (headlines may hold anything).
* :func:`isolate` / :func:`bdi` — a reader's or editor's text inside a sentence of the mail
  (a Persian topic title in an English mail, a Latin name in a Persian one): between Unicode's
  FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE in text parts and subject lines, in
  ``<bdi>`` in HTML, so that it neither reorders the sentence around it nor is reordered.
* :func:`sender` — the ``From:`` of every mail the newsroom sends, to readers and moderators
  alike: ``"Newsroom name" <DEFAULT_FROM_EMAIL>``.
* :func:`send` / :func:`outcome_of` — what the mail server's answer means, for every mail the
  newsroom sends (letters, messages to authors, the forums' notices, newsletters): accepted
  (``SENT``); refused for now — a ``4xx`` answer (RFC 5321 §4.2.1), a server that does not
  answer or a connection that breaks (``LATER``: tried again on the sender's schedule); or
  refused for good — a ``5xx`` answer to the recipient (``RCPT TO``) or to the message
  (``DATA``) (``REFUSED``: never tried again for that recipient, logged). A ``5xx`` refusal
  of our own sender address or of our login is the newsroom's set-up, not the recipient's,
  and counts as ``LATER``.
* :func:`html_document` / :func:`build_message` — a ``multipart/alternative`` message: the
  plain-text part first, the HTML part second (RFC 2046: the richer part last); the HTML part
  is a whole document with ``lang`` and ``dir`` (``dir="rtl"`` for Persian), loads nothing
  (no image, style sheet or font from anywhere: readable with images off), carries no tracking
  pixel, and its links are the site's own URLs, never rewritten through a redirector.

Why our own code: Django already gives signing and ``EmailMultiAlternatives``; what is here is
the newsroom's mail policy on top of them (which headers, which parts, what the HTML may hold),
a few lines that no library decides for us.
"""

from __future__ import annotations

import enum
import logging
import re
import smtplib
import unicodedata
from collections.abc import Mapping, Sequence
from email.utils import formataddr, parseaddr
from html.parser import HTMLParser
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.utils.html import escape

SALT_PREFIX = "broadsheet.mailing."

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    """What became of a message: accepted, refused for now, or refused for good. Only
    ``SENT`` is true (``if send(message):``)."""

    SENT = "sent"
    LATER = "later"
    REFUSED = "refused"

    def __bool__(self) -> bool:
        return self is Outcome.SENT


#: the errors of sending mail: SMTP's, and the network's (server down, timeout)
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def outcome_of(error: BaseException) -> tuple[Outcome, str]:
    """What a sending error means (``LATER`` or ``REFUSED``; see the module docstring), and
    the server's answer as text ("550 5.1.1 no such user"). A ``SMTPRecipientsRefused`` of
    several recipients is ``REFUSED`` only when every one of them was refused for good."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = list(error.recipients.values()) or [(0, b"")]
        permanent = all(500 <= int(code) < 600 for code, _text in answers)
        code, text = answers[0]
    elif isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPAuthenticationError):
        code, text, permanent = error.smtp_code, error.smtp_error, False
    elif isinstance(error, smtplib.SMTPResponseException):
        code, text = error.smtp_code, error.smtp_error
        permanent = 500 <= int(code) < 600
    else:
        return Outcome.LATER, f"{type(error).__name__}: {error}"
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return (Outcome.REFUSED if permanent else Outcome.LATER), f"{code} {text}"


def send(message: EmailMultiAlternatives | Any, what: str = "") -> Outcome:
    """Send ``message``; its :class:`Outcome`. A refusal is logged (``what`` names the mail
    in the log: "post 12", "letter 7"), for good as an error."""
    try:
        message.send()
    except MAIL_ERRORS as error:
        outcome, text = outcome_of(error)
        what = what or f"mail to {len(message.to)} recipient(s)"
        if outcome is Outcome.REFUSED:
            logger.error("%s refused for good (%s); gave up, not tried again", what, text)
        else:
            logger.warning("%s not accepted (%s)", what, text)
        return outcome
    return Outcome.SENT


class LinkError(ValueError):
    """A link token that cannot be used."""


class LinkForged(LinkError):
    """The token was not signed by this site for this purpose (or was altered)."""


class LinkExpired(LinkError):
    """The token is genuine but older than the link's maximum age."""


def sign(purpose: str, data: Mapping[str, Any]) -> str:
    """A URL-safe token holding ``data`` (JSON-serialisable), signed for ``purpose``
    (``"newsletter-confirm"``…) and time-stamped. Not encrypted: do not put secrets in it."""
    return signing.dumps(dict(data), salt=SALT_PREFIX + purpose, compress=True)


def unsign(purpose: str, token: str, max_age: float | None = None) -> dict[str, Any]:
    """The data of a token made by :func:`sign` for ``purpose``. ``max_age``: seconds (None:
    no expiry). Raises :class:`LinkExpired` or :class:`LinkForged`."""
    try:
        data = signing.loads(token or "", salt=SALT_PREFIX + purpose, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkExpired(purpose) from None
    except (signing.BadSignature, ValueError, TypeError, UnicodeError):
        raise LinkForged(purpose) from None
    if not isinstance(data, dict):
        raise LinkForged(purpose)
    return data


def unsubscribe_headers(url: str, mailto: str = "") -> dict[str, str]:
    """The headers of RFC 8058 one-click unsubscribe: ``List-Unsubscribe: <https://…>,
    <mailto:…>`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``. ``url`` must be an
    ``https://`` (or, on a test or local site, ``http://``) URL that unsubscribes on a POST
    with the body ``List-Unsubscribe=One-Click``; ``ValueError`` otherwise."""
    if not re.match(r"https?://[^\s<>]+\Z", url):
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    links = [f"<{url}>"]
    if mailto:
        if not re.match(r"mailto:[^\s<>]+\Z", mailto):
            raise ValueError(f"not a mailto: URL: {mailto!r}")
        links.append(f"<{mailto}>")
    return {
        "List-Unsubscribe": ", ".join(links),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(text: str, limit: int = 200) -> str:
    """``text`` as one header line: NFC, control characters and line breaks turned to
    spaces, whitespace collapsed, cut to ``limit`` characters (with "…")."""
    line = " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", text or "")).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


FSI, PDI = "\u2068", "\u2069"  # FIRST STRONG ISOLATE, POP DIRECTIONAL ISOLATE


def isolate(text: str, direction: str) -> str:
    """``text`` for a text part or a subject line of a mail written ``direction`` (``ltr``,
    ``rtl``): each line holding a letter of the other direction between FSI and PDI (a line
    break ends an isolate, so each line is isolated on its own); other lines as they are."""
    foreign = {"L"} if direction == "rtl" else {"R", "AL"}

    def one(line: str) -> str:
        if any(unicodedata.bidirectional(c) in foreign for c in line):
            return FSI + line + PDI
        return line

    return "\n".join(one(line) for line in (text or "").split("\n"))


def bdi(text: str) -> str:
    """``text`` escaped inside ``<bdi>`` (its direction its own) for a mail's HTML part."""
    return f"<bdi>{escape(text)}</bdi>"


def sender(newsroom_name: str) -> str:
    """``"Newsroom name" <DEFAULT_FROM_EMAIL>``: the address of ``DEFAULT_FROM_EMAIL`` with
    the newsroom's name (a display name already in the setting wins; the name is made safe
    for a header and quoted as RFC 5322 wants)."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = name or header_text(newsroom_name, 100)
    return formataddr((name, address or settings.DEFAULT_FROM_EMAIL))


def plain_text(text: str) -> str:
    """``text`` for a mail body: NFC, without NUL and the other C0 controls but tab and line
    feed (``\\r\\n`` → ``\\n``)."""
    text = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n").replace("\r", "\n"))
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def html_document(title: str, body_html: str, language: str, direction: str) -> str:
    """A whole HTML document for a mail's HTML part: ``<html lang dir>``, UTF-8, the ``title``
    (escaped here) and ``body_html`` (already escaped by the caller). Nothing in it loads
    anything: no images, no external style sheets or fonts."""
    if direction not in ("ltr", "rtl"):
        raise ValueError(f"direction must be ltr or rtl, not {direction!r}")
    return (
        f'<!doctype html>\n<html lang="{escape(language)}" dir="{direction}">\n<head>\n'
        '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
        f"<title>{escape(plain_text(title))}</title>\n</head>\n"
        f'<body dir="{direction}">\n{body_html}\n</body>\n</html>\n'
    )


class _LoadsAnything(HTMLParser):
    """Finds what would make a mail client load something: an element that loads (``img``,
    ``link``, ``script``…), an attribute that names a resource (``src``, ``srcset``,
    ``background``, ``poster``), a ``style`` with ``url(``. Text is not looked at: an
    escaped headline that reads ``<img src=x>`` loads nothing."""

    TAGS = frozenset({"img", "link", "script", "iframe", "object", "embed", "video", "audio",
                      "source", "picture", "style", "frame", "input", "svg", "image"})  # fmt: skip
    ATTRS = frozenset({"src", "srcset", "background", "poster", "data", "lowsrc", "dynsrc"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name in self.ATTRS or (name == "style" and "url(" in (value or "").lower()):
                self.found.append(f"{tag} {name}")

    handle_startendtag = handle_starttag


def loads_anything(html: str) -> list[str]:
    """What in ``html`` would load a resource when the mail is opened ([] = nothing)."""
    parser = _LoadsAnything()
    parser.feed(html)
    parser.close()
    return parser.found


def build_message(
    subject: str,
    text: str,
    html: str,
    from_email: str,
    to: Sequence[str],
    headers: Mapping[str, str] | None = None,
    reply_to: Sequence[str] = (),
    connection: Any = None,
) -> EmailMultiAlternatives:
    """A ``multipart/alternative`` message (``text/plain`` then ``text/html``, UTF-8) to
    ``to``. ``subject`` goes through :func:`header_text`. ``html`` is a whole document
    (:func:`html_document`); ``ValueError`` if it loads anything (an ``<img>``, a ``src=``, a
    ``style`` with ``url(``…; :func:`loads_anything`): mail to readers carries no tracking
    pixel and no remote content."""
    found = loads_anything(html)
    if found:
        raise ValueError(f"the HTML part of a reader's mail may not load anything: {found}")
    message = EmailMultiAlternatives(
        header_text(subject, 250),
        plain_text(text),
        from_email,
        list(to),
        headers=dict(headers or {}),
        reply_to=list(reply_to),
        connection=connection,
    )
    message.attach_alternative(plain_text(html), "text/html")
    return message
