"""Archive (sunset) mode: freeze the live site into a lasting, self-contained folder, check it,
and reopen the live site (docs/archive.md).

:func:`freeze` puts the site in archive mode (``NewsroomSettings.frozen``: every reader form
closed, the closing notice on every page — nothing in the database is changed but those
settings), bakes every page through the one pipeline into a folder with relative links
(:class:`~.relative.RelativeOutput`), then writes the search fallback for ``file://``, a WARC
file and ``SHA256SUMS``. Its output is deterministic: two freezes of the same content give the
same bytes, the WARC included (its records are dated with the moment the site was frozen, kept
in the settings, and their ids are derived from their URL and payload).
:func:`verify` re-checks a frozen folder. :func:`unfreeze` reopens the live site.

The WARC (ISO 28500:2017, WARC 1.1) is written with warcio: a ``warcinfo`` record, then one
``response`` record per file of the folder, with the URL the file had on the live site and
its payload digest. ``SHA256SUMS`` is ``sha256sum -c`` compatible and covers every file and
the WARC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import mimetypes
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from django.core.exceptions import ValidationError
from django.utils import timezone

from broadsheet.content.newsroom.addresses import validate_web_address
from broadsheet.content.newsroom.models import CLOSING_NOTICE_MAX, NewsroomSettings
from broadsheet.site.context import default_site, for_site

from .engine import full_bake, known_base_url
from .files import STATE_DIR, SUMS_NAME, WARC_NAME, ForeignFolder, refuse_foreign
from .models import BakeRun
from .relative import URL_ATTRS, RelativeOutput

DEFAULT_NOTICE = "This site is closed. What you see is its archive."
NOT_IN_WARC = frozenset({WARC_NAME, SUMS_NAME})


class FreezeError(RuntimeError):
    """The freeze was refused (a notice, a folder of someone else's: nothing changed) or could
    not be completed (a page failed to bake…: the folder is incomplete)."""


# -- archive mode in the settings ------------------------------------------------------------------
def check_notice(notice: str | None, notice_url: str | None) -> None:
    """Raise :class:`FreezeError` if the closing notice is longer than
    :data:`~broadsheet.content.newsroom.models.CLOSING_NOTICE_MAX` characters or its link is
    not an absolute ``http(s)`` address (the settings' own rules: ``javascript:``, ``data:``,
    ``ftp://``, ``example.org/x`` or ``/farewell/`` would be a link on every page of the
    archive). ``None``: not given, nothing to check."""
    if notice is not None and len(notice.strip()) > CLOSING_NOTICE_MAX:
        raise FreezeError(
            f"the closing notice is {len(notice.strip())} characters long; at most "
            f"{CLOSING_NOTICE_MAX} (it stands at the top of every page)"
        )
    if notice_url is not None and notice_url.strip():
        try:
            validate_web_address(notice_url.strip())
        except ValidationError as error:
            raise FreezeError(f"--notice-url {notice_url!r}: {' '.join(error.messages)}") from None


def set_frozen(notice: str | None = None, notice_url: str | None = None) -> NewsroomSettings:
    """Put the default site in archive mode (idempotent: the moment it was first frozen is
    kept). ``notice``/``notice_url``: the closing notice and its link (default: the ones set
    before, else :data:`DEFAULT_NOTICE`). The site-wide notice is left as it was. Raises
    :class:`FreezeError` (nothing changed) if they break :func:`check_notice`."""
    check_notice(notice, notice_url)
    settings_ = NewsroomSettings.for_site(default_site())
    settings_.frozen = True
    settings_.frozen_at = settings_.frozen_at or timezone.now().replace(microsecond=0)
    if notice is not None:
        settings_.closing_notice = notice.strip()
    settings_.closing_notice = settings_.closing_notice or DEFAULT_NOTICE
    if notice_url is not None:
        settings_.closing_notice_url = notice_url.strip()
    settings_.save()
    return settings_


def unfreeze() -> bool:
    """Reopen the live site: forms open again as their own settings say, the site-wide notice
    back. The closing notice is kept for a later freeze. Returns whether it was frozen."""
    settings_ = NewsroomSettings.for_site(default_site())
    was = settings_.frozen
    settings_.frozen = False
    settings_.frozen_at = None
    settings_.save()
    return was


# -- the folder -------------------------------------------------------------------------------
def files_of(folder: Path) -> list[str]:
    """Every file of a frozen folder, as sorted POSIX paths relative to it."""
    out = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for name in names:
            out.append((Path(root) / name).relative_to(folder).as_posix())
    return sorted(out)


def live_url(base_url: str, rel: str) -> str:
    """The URL file ``rel`` of the folder had on the live site: ``a/index.html`` →
    ``https://host/a/``."""
    path = "/" + rel
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    from django.utils.encoding import iri_to_uri

    return iri_to_uri(base_url.rstrip("/") + path)


def content_type(rel: str) -> str:
    """The ``Content-Type`` a file is served with (UTF-8 for text)."""
    if rel.endswith(".html"):
        return "text/html; charset=utf-8"
    kind = mimetypes.guess_type(rel)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    return kind


def _warc_date(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def write_warc(folder: Path, base_url: str, when: dt.datetime, software: str) -> Path:
    """Write ``archive.warc.gz`` in ``folder``: a ``warcinfo`` record, then a ``response``
    record per file (see the module docstring), all dated ``when``. Returns its path."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    target = folder / WARC_NAME
    tmp = folder / (WARC_NAME + ".tmp")
    date = _warc_date(when)
    with open(tmp, "wb") as fh:
        writer = WARCWriter(fh, gzip=True, warc_version="1.1")
        info = (
            f"software: {software}\r\nformat: WARC File Format 1.1\r\n"
            "conformsTo: https://iipc.github.io/warc-specifications/specifications/"
            f"warc-format/warc-1.1/\r\nisPartOf: {base_url}\r\n"
        ).encode()
        writer.write_record(
            writer.create_warc_record(
                "",
                "warcinfo",
                payload=io.BytesIO(info),
                length=len(info),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Record-ID": _record_id("warcinfo", base_url, info),
                    "WARC-Date": date,
                    "WARC-Filename": WARC_NAME,
                },
            )
        )
        for rel in files_of(folder):
            if rel in NOT_IN_WARC or rel == WARC_NAME + ".tmp":
                continue
            data = (folder / rel).read_bytes()
            uri = live_url(base_url, rel)
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", content_type(rel)), ("Content-Length", str(len(data)))],
                protocol="HTTP/1.1",
            )
            writer.write_record(
                writer.create_warc_record(
                    uri,
                    "response",
                    payload=io.BytesIO(data),
                    length=len(data),
                    http_headers=headers,
                    warc_headers_dict={
                        "WARC-Record-ID": _record_id("response", uri, data),
                        "WARC-Date": date,
                    },
                )
            )
    os.replace(tmp, target)
    return target


def _record_id(kind: str, uri: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{kind} {uri} {digest}')}>"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sums(folder: Path) -> Path:
    """``SHA256SUMS`` over every other file of ``folder`` (``sha256sum -c`` format)."""
    lines = [f"{sha256_of(folder / rel)}  {rel}\n" for rel in files_of(folder) if rel != SUMS_NAME]
    target = folder / SUMS_NAME
    target.write_text("".join(lines), encoding="utf-8")
    return target


# -- freeze -----------------------------------------------------------------------------------
@dataclass
class FreezeResult:
    """What :func:`freeze` made: the folder, its files, the bake run, the public base URL
    written into the WARC, ``og:url`` and the live links."""

    folder: Path
    files: int
    run: BakeRun
    warc: Path
    sums: Path
    base_url: str


def freeze(
    output: str | Path,
    notice: str | None = None,
    notice_url: str | None = None,
    base_url: str | None = None,
    jobs: int = 1,
    progress: bool = False,
) -> FreezeResult:
    """Freeze the default site into the folder ``output`` (see the module docstring). Raises
    :class:`FreezeError` if a page failed to bake (the site stays in archive mode; run it
    again), or, before anything is changed, if ``output`` is a folder of someone else's
    (:func:`~.files.refuse_foreign`: the bake would delete its files)."""
    import broadsheet

    folder = Path(output).resolve()
    check_notice(notice, notice_url)
    try:
        refuse_foreign(folder, "a freeze", dot_folders=True)  # the WARC would hold .git
    except ForeignFolder as exc:
        raise FreezeError(str(exc)) from exc
    state = set_frozen(notice, notice_url)
    ctx = for_site(default_site(), base_url or known_base_url(folder))
    out = RelativeOutput(folder, ctx.base_url)
    for stale in NOT_IN_WARC:  # from an earlier freeze: written again below
        (folder / stale).unlink(missing_ok=True)
    run = full_bake(out, ctx.base_url, jobs, progress=progress, record=False)
    if run.status != BakeRun.Status.DONE:
        first = run.error.splitlines()[0] if run.error else ""
        raise FreezeError(f"the bake {run.status}: {first}")
    shutil.rmtree(folder / STATE_DIR, ignore_errors=True)  # the bake's lock and state
    version = getattr(broadsheet, "__version__", "")
    software = f"Broadsheet {version}".strip()
    warc = write_warc(folder, ctx.base_url, state.frozen_at, software)
    sums = write_sums(folder)
    return FreezeResult(folder, len(files_of(folder)), run, warc, sums, ctx.base_url)


# -- verify -----------------------------------------------------------------------------------
LINK_ATTRS = URL_ATTRS  # the attributes the relative rewrite makes relative
# data-* attributes that hold a URL path but name no address (Pagefind's result prefix)
NOT_ADDRESSES = frozenset({"data-search-base"})


@dataclass
class Report:
    """What :func:`verify` found: ``checked`` counts by kind, ``problems`` (empty: all good)."""

    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> Iterator[str]:
        for kind, n in self.checked.items():
            yield f"{kind}: {n} checked"
        for problem in self.problems:
            yield f"PROBLEM {problem}"
        yield "OK" if self.ok else f"{len(self.problems)} problem(s)"


def page_links(html: bytes) -> Iterator[tuple[str, str, str]]:
    """``(tag, attribute, url)`` of every URL a page links, loads or posts to (``srcset``
    split), with each ``<form>`` reported as ``("form", method, action)``; any other ``data-*``
    attribute whose value is a root-relative or absolute ``http(s)`` URL (``data-endpoint``,
    ``data-token-url``: what a script fetches) is reported too."""
    doc = lxml.html.document_fromstring(html)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "form":
            yield "form", (el.get("method") or "get").lower(), el.get("action") or ""
        for attr in LINK_ATTRS:
            value = el.get(attr)
            if value is not None:
                yield el.tag, attr, value
        for candidate in (el.get("srcset") or "").split(","):
            if candidate.strip():
                yield el.tag, "srcset", candidate.split()[0]
        for attr, value in el.attrib.items():
            if attr.startswith("data-") and attr not in LINK_ATTRS and attr not in NOT_ADDRESSES:
                url = value.strip()
                if url.startswith("/") or url.lower().startswith(("http://", "https://")):
                    yield el.tag, attr, url


def link_problems(folder: Path, rel: str, own_host: str) -> list[str]:
    """What is wrong with the links of the page ``rel`` of a frozen or relative folder: a
    root-relative link, one to the site's own host, one to a file the folder lacks, a form."""
    problems = []
    page = folder / rel
    for tag, attr, url in page_links(page.read_bytes()):
        if tag == "form":
            problems.append(f"{rel}: a <form> (method {attr}, action {url!r})")
            continue
        parts = urlsplit(url)
        if url.startswith("//") or (parts.netloc and parts.netloc == own_host):
            problems.append(f"{rel}: <{tag} {attr}> links the site's own host: {url}")
        elif parts.scheme or parts.netloc or not parts.path:
            continue  # another site, mailto:, a fragment or query of this page
        elif url.startswith("/"):
            problems.append(f"{rel}: <{tag} {attr}> is root-relative: {url}")
        else:
            target = (page.parent / unquote(parts.path)).resolve()
            if attr in ("data-pagefind-bundle", "data-site-root"):
                ok = target.is_dir()
            else:
                ok = target.is_file()
            inside = target == folder or folder in target.parents
            if not ok or not inside:
                problems.append(f"{rel}: <{tag} {attr}> leads to no file of the folder: {url}")
    return problems


def verify(folder: str | Path, base_url: str | None = None) -> Report:
    """Re-check a frozen folder: every page's links (:func:`link_problems`), ``SHA256SUMS``
    (every file listed, every sum right), the WARC (every file has its response record with
    the same bytes, and warcio's digest checks pass). ``base_url``: the site's own address
    (default: the warcinfo record's ``isPartOf``)."""
    from warcio.archiveiterator import ArchiveIterator

    folder = Path(folder).resolve()
    report = Report()
    if not folder.is_dir():
        report.problems.append(f"{folder} is not a folder")
        return report
    files = files_of(folder)
    # the WARC: read first, for the site's address
    records: dict[str, str] = {}
    warc = folder / WARC_NAME
    if not warc.is_file():
        report.problems.append(f"{WARC_NAME} is missing")
    else:
        try:
            with open(warc, "rb") as fh:
                for record in ArchiveIterator(fh, check_digests="raise"):
                    if record.rec_type == "warcinfo":
                        fields = record.content_stream().read().decode()
                        for line in fields.splitlines():
                            if line.startswith("isPartOf:") and not base_url:
                                base_url = line.split(":", 1)[1].strip()
                    elif record.rec_type == "response":
                        uri = record.rec_headers.get_header("WARC-Target-URI")
                        records[uri] = hashlib.sha256(record.content_stream().read()).hexdigest()
        except Exception as exc:  # a damaged WARC: report, don't crash
            report.problems.append(f"{WARC_NAME} cannot be read: {type(exc).__name__}: {exc}")
    own_host = urlsplit(base_url or "").netloc
    pages = [f for f in files if f.endswith(".html")]
    for rel in pages:
        report.problems += link_problems(folder, rel, own_host)
    report.checked["pages (links)"] = len(pages)
    if base_url:
        missing = [
            rel
            for rel in files
            if rel not in NOT_IN_WARC
            and records.get(live_url(base_url, rel)) != sha256_of(folder / rel)
        ]
        report.problems += [f"{rel}: not in the WARC, or not the same bytes" for rel in missing]
    report.checked["WARC records"] = len(records)
    # the sums
    sums = folder / SUMS_NAME
    if not sums.is_file():
        report.problems.append(f"{SUMS_NAME} is missing")
    else:
        listed = {}
        for line in sums.read_text(encoding="utf-8").splitlines():
            digest, _, rel = line.partition("  ")
            listed[rel] = digest
        for rel in files:
            if rel == SUMS_NAME:
                continue
            if rel not in listed:
                report.problems.append(f"{rel}: not in {SUMS_NAME}")
            elif listed[rel] != sha256_of(folder / rel):
                report.problems.append(f"{rel}: its SHA-256 differs from {SUMS_NAME}")
        gone = [rel for rel in listed if rel not in files]
        report.problems += [f"{rel}: in {SUMS_NAME} but missing" for rel in gone]
        report.checked["checksums"] = len(listed)
    return report
