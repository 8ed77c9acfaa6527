"""The frozen archive's WARC replays: every file of the offline bundle is found in it, by the URL
it had on the live site, as an HTTP 200 response with its media type and the same bytes.

The replay is done the way a web archive's replay system works (pywb's ``id_`` mode, which
returns a capture's original bytes): an index of the WARC's response records by target URL
and record offset, then each lookup seeks to its offset and reads that one record, with
warcio (the project's WARC library), for every file. ``test_warc_pywb.py`` replays a frozen
WARC in pywb itself (from its own environment, ``.venv-pywb/``), for sampled URLs."""

from __future__ import annotations

import io
import mimetypes
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from warcio.archiveiterator import ArchiveIterator

BASE = "https://ips.example.org"


def url_of(name: str) -> str:
    """The live URL of a bundle entry, worked out here independently of the code under test:
    ``index.html`` → ``BASE/``, ``iran/x/index.html`` → ``BASE/iran/x/``."""
    path = "/" + name
    if path.endswith("/index.html"):
        path = path.removesuffix("index.html")
    return BASE + quote(path, safe="/")


def index(warc: Path) -> dict[str, int]:
    """The offset of each response record in ``warc``, by its target URL (a CDX index)."""
    offsets = {}
    with open(warc, "rb") as fh:
        records = ArchiveIterator(fh)
        for record in records:
            if record.rec_type == "response":
                uri = record.rec_headers.get_header("WARC-Target-URI")
                offsets[uri] = records.get_record_offset()
    return offsets


def replay(warc: Path, offset: int) -> tuple[str, str, bytes]:
    """The HTTP status code, Content-Type and payload of the record at ``offset``."""
    with open(warc, "rb") as fh:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh, check_digests="raise")))
        return (
            record.http_headers.get_statuscode(),
            record.http_headers.get_header("Content-Type"),
            record.content_stream().read(),
        )


@pytest.mark.django_db
def test_every_file_of_the_bundle_replays_from_the_warc(front_page, tmp_path):
    from broadsheet.content.newsroom.models import InfoPage
    from broadsheet.publishing.archive import unfreeze
    from tests.content.factories import StoryFactory

    StoryFactory(title="The seed story", slug="seed")
    about = InfoPage(title="About us", slug="about", body="<p>Who we were.</p>")
    front_page.add_child(instance=about)
    about.save_revision().publish()
    folder = tmp_path / "archive"
    try:
        call_command(
            "freeze", output=str(folder), base_url=BASE, no_progress=True, stdout=io.StringIO()
        )
    finally:
        unfreeze()
    call_command("bundle", source=str(folder), output=str(tmp_path / "a.zip"), stdout=io.StringIO())
    warc = folder / "archive.warc.gz"
    offsets = index(warc)
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        names = [n for n in zf.namelist() if n not in ("archive.warc.gz", "SHA256SUMS")]
        assert "index.html" in names and "about/index.html" in names
        assert any(n.endswith("seed/index.html") for n in names)
        assert any(n.startswith("static/") and n.endswith(".css") for n in names)
        # one record per file of the bundle, and no other
        assert sorted(offsets) == sorted(url_of(n) for n in names)
        for name in names:
            status, kind, body = replay(warc, offsets[url_of(name)])
            assert status == "200", name
            assert body == zf.read(name), name
            expected = "text/html" if name.endswith(".html") else mimetypes.guess_type(name)[0]
            if expected:
                assert kind.split(";")[0] == expected, name
