"""``broadsheet bundle``: one zip, index.html at its root, the same bytes every time."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from broadsheet.publishing.bundle import write_bundle


def make_folder(root):
    (root / "iran" / "x").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><a href='iran/x/index.html'>x</a>")
    (root / "iran" / "x" / "index.html").write_text("<!doctype html><p>story</p>")
    (root / "archive.warc.gz").write_bytes(b"\x1f\x8b" + bytes(100))
    (root / ".bake").mkdir()
    (root / ".bake" / "lock").write_text("")
    return root


def test_the_bundle_holds_the_folder_with_index_at_its_root(tmp_path):
    folder = make_folder(tmp_path / "archive")
    out = io.StringIO()
    call_command("bundle", source=str(folder), output=str(tmp_path / "a.zip"), stdout=out)
    data = (tmp_path / "a.zip").read_bytes()
    assert f"{len(data)} bytes" in out.getvalue()
    assert f"sha256 {hashlib.sha256(data).hexdigest()}" in out.getvalue()
    with zipfile.ZipFile(tmp_path / "a.zip") as zf:
        assert zf.namelist() == ["archive.warc.gz", "index.html", "iran/x/index.html"]
        assert zf.read("iran/x/index.html") == b"<!doctype html><p>story</p>"
        assert zf.getinfo("archive.warc.gz").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("index.html").compress_type == zipfile.ZIP_DEFLATED
    # the same folder, later: the same bytes
    (folder / "index.html").touch()
    again = write_bundle(folder, tmp_path / "b.zip")
    assert (tmp_path / "b.zip").read_bytes() == data and again.files == 3


def test_a_folder_without_index_html_is_refused(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match=r"no index\.html"):
        call_command("bundle", source=str(tmp_path / "empty"), output=str(tmp_path / "e.zip"))
    folder = make_folder(tmp_path / "archive")
    with pytest.raises(CommandError, match="inside the folder"):
        call_command("bundle", source=str(folder), output=str(folder / "x.zip"))
    assert not (tmp_path / "e.zip").exists()
