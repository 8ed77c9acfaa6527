"""Abuse resistance for reader forms, without third-party services.

The forms are baked into static pages, so a per-visitor CSRF token cannot be in them. Each
submission is instead checked by (see docs/discussion.md for the reasoning):

* :func:`origin_allowed` — the ``Origin`` header (else ``Referer``) must name an origin of this
  site (``BROADSHEET_BASE_URL``, ``BROADSHEET_LIVE_URL``, ``CSRF_TRUSTED_ORIGINS``, the request's
  own host); ``Origin: null`` is refused; a request with neither header is let through to the
  other checks (old clients, privacy tools).
* a *form token* (:func:`issue_token` / :func:`read_token`): ``django.core.signing`` over the form
  kind, its target (story id, author slug…) and the time it was issued (0 in baked pages). It
  proves the post came from our form for that target, and gives the minimum time to fill: a
  token younger than ``MIN_FILL_SECONDS``, a baked one (the page's script did not fetch a fresh
  one: :mod:`.formtoken`) or a stale one is answered with a "check and send" page carrying a
  fresh token (:mod:`.views`). A fresh token carries a random nonce and is
  good for one post (:func:`spend_token`): its nonce is kept in the shared cache until the
  token would be stale anyway, and a second post with it is refused.
* a honeypot field (``website``), hidden from people and screen readers, which must stay empty.
* :func:`rate_limited` — fixed-window counters in Django's cache framework (shared by every
  process: ``CACHE_URL``), per client address (IPv6: per /64; minute and hour) and for everyone
  together (minute), which tightens the per-address limit rather than shutting everyone out;
  over a limit answers HTTP 429. :func:`client_address` believes ``X-Forwarded-For`` only from
  the configured proxies.
* :func:`akismet_is_spam` — only when an Akismet key is configured (plain HTTPS call).
"""

from __future__ import annotations

import logging
import secrets
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

from broadsheet.content.discussion import conf
from broadsheet.site.clients import client_address, count_hit, rate_key

__all__ = ["client_address", "rate_key"]  # re-exported: the views and tests use them from here

logger = logging.getLogger(__name__)

TOKEN_SALT = "broadsheet.discussion.form"  # noqa: S105 - a signing namespace, not a secret
HONEYPOT_FIELD = "website"
TOKEN_FIELD = "form_token"  # noqa: S105 - a field name


def clock() -> float:
    """Unix time in seconds (one place for tests to pin the clock)."""
    return time.time()


def _origin_of(url: str) -> str | None:
    parts = urllib.parse.urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def allowed_origins(request: HttpRequest, base_url: str = "") -> set[str]:
    """Origins (``scheme://host[:port]``) a reader form may be posted from: the site's public
    address ``base_url``, the live app's, the request's own host and ``CSRF_TRUSTED_ORIGINS``."""
    origins = {
        _origin_of(base_url),
        _origin_of(conf.live_url()) if conf.live_url() else None,
        f"{request.scheme}://{request.get_host().lower()}",
    }
    origins.update(_origin_of(o) for o in getattr(settings, "CSRF_TRUSTED_ORIGINS", []))
    return {o for o in origins if o}


def origin_allowed(request: HttpRequest, base_url: str = "") -> bool:
    """Whether the request's ``Origin`` (else ``Referer``) is one of :func:`allowed_origins`.

    ``Origin: null`` (sandboxed frames, some redirects) is refused; no header at all is allowed.
    """
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.strip().lower() == "null":
            return False
        return _origin_of(origin.strip()) in allowed_origins(request, base_url)
    referer = request.headers.get("Referer")
    if referer:
        return _origin_of(referer) in allowed_origins(request, base_url)
    return True


def issue_token(kind: str, target: str | int, issued_at: int | None = None) -> str:
    """A signed form token for ``kind`` (``"comment"``, ``"guestbook"``, ``"letter"``,
    ``"author"``) and ``target``. ``issued_at`` is Unix seconds; ``0`` makes the stable token of
    a baked page (same bytes at every bake, no nonce: it only ever earns a "check and send"
    page); ``None`` means now. Any other token gets a random nonce (72 bits) and is good for
    one post (:func:`spend_token`)."""
    at = int(clock()) if issued_at is None else int(issued_at)
    data: dict[str, object] = {"k": kind, "t": str(target), "at": at}
    if at:
        data["n"] = secrets.token_urlsafe(9)
    return signing.Signer(salt=TOKEN_SALT).sign_object(data)


@dataclass(frozen=True, slots=True)
class TokenCheck:
    """What a form token says: ``valid`` (signed, and for this kind and target), ``fresh``
    (issued by the live app less than ``FRESH_SECONDS`` ago) and ``too_fast`` (issued less than
    ``MIN_FILL_SECONDS`` ago). ``once`` is the key :func:`spend_token` keeps (the nonce, or the
    signature of a token without one) and ``issued_at`` its Unix time (0: baked)."""

    valid: bool
    fresh: bool = False
    too_fast: bool = False
    once: str = field(default="", compare=False)
    issued_at: int = field(default=0, compare=False)


def read_token(token: str, kind: str, target: str | int, now: float | None = None) -> TokenCheck:
    """Check a form token against the form it should belong to."""
    try:
        data = signing.Signer(salt=TOKEN_SALT).unsign_object(token or "")
    except (signing.BadSignature, ValueError, TypeError):
        return TokenCheck(valid=False)
    if not isinstance(data, dict) or data.get("k") != kind or data.get("t") != str(target):
        return TokenCheck(valid=False)
    at = data.get("at")
    if not isinstance(at, int) or at <= 0:
        return TokenCheck(valid=True)  # a baked form: confirm once with a fresh token
    age = (clock() if now is None else now) - at
    nonce = data.get("n")
    return TokenCheck(
        valid=True,
        fresh=-60 <= age <= conf.get("FRESH_SECONDS"),
        too_fast=age < conf.get("MIN_FILL_SECONDS"),
        once=nonce if isinstance(nonce, str) and nonce else token.rpartition(":")[2],
        issued_at=at,
    )


def spend_token(check: TokenCheck) -> bool:
    """Use up a fresh token (a :class:`TokenCheck` from :func:`read_token`): True the first
    time, False for a replay. The nonce is kept in the shared cache (``CACHE_URL``;
    ``cache.add`` is atomic on Redis and the database cache, so two processes cannot both
    spend it) until the token would no longer be fresh, when it is refused for that anyway.
    Baked tokens (``issued_at`` 0) are not spent: they never post by themselves."""
    if not check.issued_at or not check.once:
        return True
    remaining = check.issued_at + conf.get("FRESH_SECONDS") - clock()
    timeout = max(1, int(remaining) + 61)  # + the minute of clock skew read_token allows
    return cache.add(f"discussion:spent:{check.once}", 1, timeout=timeout)


def _hit(key: str, window: int) -> int:
    """Count one hit in the fixed window (:func:`~broadsheet.site.clients.count_hit`)."""
    return count_hit("discussion", key, window, clock())


def rate_limited(address: str) -> int | None:
    """Count a post from ``address``; return the seconds to wait if a limit is passed, else
    None.

    Limits, per minute and hour windows in the shared cache (``CACHE_URL``): per address
    (IPv6: per /64, :func:`rate_key`) ``RATE_PER_ADDRESS_MINUTE`` and ``…_HOUR``. Over
    ``RATE_GLOBAL_MINUTE`` posts from everyone, the site is *busy*: each address may then send
    only ``RATE_PER_ADDRESS_MINUTE_BUSY`` posts a minute, so the few addresses that filled the
    minute are refused and every other reader still gets through. Only past
    ``RATE_GLOBAL_MINUTE_HARD`` (a flood from very many addresses) is everyone refused. Posts
    refused for the per-address limits do not count towards the global ones."""
    key = rate_key(address)
    this_minute = _hit(f"addr-m:{key}", 60)
    if this_minute > conf.get("RATE_PER_ADDRESS_MINUTE"):
        return 60
    if _hit(f"addr-h:{key}", 3600) > conf.get("RATE_PER_ADDRESS_HOUR"):
        return 3600
    everyone = _hit("all-m", 60)
    if everyone > conf.get("RATE_GLOBAL_MINUTE_HARD"):
        return 60
    if everyone > conf.get("RATE_GLOBAL_MINUTE") and this_minute > conf.get(
        "RATE_PER_ADDRESS_MINUTE_BUSY"
    ):
        return 60
    return None


def akismet_is_spam(
    request: HttpRequest, kind: str, name: str, email: str, text: str, site_url: str = ""
) -> bool:
    """Ask Akismet (``comment-check``, https://akismet.com/developers/comment-check/) whether a
    submission is spam. Returns False without a key, and on any network or service error (the
    submission is held for moderation anyway). ``site_url``: the site's public address."""
    key = conf.akismet_key()
    if not key:
        return False
    data = urllib.parse.urlencode(
        {
            "blog": site_url,
            "user_ip": client_address(request),
            "user_agent": request.headers.get("User-Agent", "")[:300],
            "referrer": request.headers.get("Referer", "")[:500],
            "comment_type": {"comment": "comment", "guestbook": "comment"}.get(
                kind, "contact-form"
            ),
            "comment_author": name,
            "comment_author_email": email,
            "comment_content": text,
            "blog_charset": "UTF-8",
        }
    ).encode()
    url = f"https://{urllib.parse.quote(key, safe='')}.rest.akismet.com/1.1/comment-check"
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data), timeout=conf.get("AKISMET_TIMEOUT")
        ) as response:
            return response.read(16).strip() == b"true"
    except Exception:
        logger.warning("Akismet check failed; the submission is held as usual", exc_info=True)
        return False
