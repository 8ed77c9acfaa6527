"""The S3-compatible output backend (against moto's S3 server, started here) and the CDN purge
through Wagtail's frontend-cache backends."""

from __future__ import annotations

import hashlib

import pytest

from broadsheet.content.newsroom.models import StoryPage
from broadsheet.publishing.engine import full_bake, process_pending
from broadsheet.publishing.models import BakeRun
from broadsheet.publishing.s3 import S3Output, key_for_path, path_for_key

pytestmark = pytest.mark.django_db

BUCKET = "newsroom"


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3 server on a free local port (the tests talk to it over HTTP, like to any
    S3-compatible service)."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, tmp_path, settings):
    import boto3

    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", s3_server)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "us-east-1")
    settings.VAR_DIR = tmp_path / "var"
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        region_name="us-east-1",
    )
    name = f"{BUCKET}-{hashlib.md5(str(tmp_path).encode()).hexdigest()[:10]}"  # noqa: S324
    client.create_bucket(Bucket=name)
    return client, name


def objects(client, bucket: str, prefix: str) -> dict[str, dict]:
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for entry in page.get("Contents", ()):
            out[entry["Key"]] = entry
    return out


def test_keys_and_paths_are_inverse():
    for path in ("/", "/iran/story/", "/feeds/rss.xml", "/_redirects", "/404.html"):
        assert path_for_key(key_for_path(path)) == path
    with pytest.raises(ValueError):
        key_for_path("/a/../../etc/passwd")


def test_full_and_incremental_bake_into_a_bucket(newsroom, s3, settings, tmp_path):
    client, bucket = s3
    target = f"s3://{bucket}/site"
    settings.BROADSHEET_BAKE_ON_CHANGE = True
    run = full_bake(target)
    assert run.status == BakeRun.Status.DONE, run.error
    folder = tmp_path / "folder"
    full_bake(folder)  # the same site into a folder: the bucket must hold the same files
    stored = objects(client, bucket, "site/")
    keys = {k.removeprefix("site/") for k in stored}
    files = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).as_posix().startswith(".bake")
    }
    assert keys == files
    front = client.get_object(Bucket=bucket, Key="site/index.html")
    assert front["ContentType"] == "text/html; charset=utf-8"
    assert front["Body"].read() == (folder / "index.html").read_bytes()
    feed = client.get_object(Bucket=bucket, Key="site/feeds/rss.xml")
    assert feed["ContentType"].startswith("application/rss+xml")
    css = [k for k in keys if k.startswith("static/broadsheet/site.") and k.endswith(".css")]
    assert css, "hashed static assets are uploaded"
    assert not any(k.startswith(".bake") for k in keys), "the bake's state stays local"

    # an unchanged full bake writes nothing
    again = full_bake(target)
    assert again.pages_written == 0, again.written
    before = {k: v["ETag"] for k, v in objects(client, bucket, "site/").items()}

    # a story unpublished: its object goes, the pages listing it change, nothing else
    story = StoryPage.objects.get(slug="story-13")
    story.unpublish()
    run = process_pending(target)
    assert run is not None and run.status == BakeRun.Status.DONE, run and run.error
    after = {k: v["ETag"] for k, v in objects(client, bucket, "site/").items()}
    assert "site/iran/opposition/story-13/index.html" in before
    assert "site/iran/opposition/story-13/index.html" not in after
    changed = {k for k in before.keys() & after.keys() if before[k] != after[k]}
    assert changed == {"site/" + key_for_path(p) for p in run.written}
    assert "site/iran/index.html" in changed


def test_a_bucket_output_is_chosen_from_its_address(s3):
    _, bucket = s3
    out = S3Output.from_url(f"s3://{bucket}/a/b")
    assert (out.bucket, out.prefix, out.name) == (bucket, "a/b", f"s3://{bucket}/a/b")
    assert out.write("/x/", b"<p>x</p>", "text/html; charset=utf-8") is True
    assert out.write("/x/", b"<p>x</p>", "text/html; charset=utf-8") is False  # same bytes
    assert out.read("/x/") == b"<p>x</p>"
    assert out.pages() == {"/x/"}
    assert out.remove("/x/") is True and out.read("/x/") is None


class RecordingBackend:
    """A Wagtail frontend-cache backend that records what it is asked to purge."""

    purged: list[str] = []

    def __init__(self, params: dict) -> None:
        self.params = params

    def purge(self, url: str) -> None:
        self.purged.append(url)

    def purge_batch(self, urls) -> None:
        self.purged.extend(urls)

    def invalidates_hostname(self, hostname: str) -> bool:
        return True


def test_changed_urls_are_purged_from_the_cdn(newsroom, baking_on, settings):
    settings.WAGTAILFRONTENDCACHE = {"recording": {"BACKEND": f"{__name__}.RecordingBackend"}}
    full_bake(baking_on)
    RecordingBackend.purged.clear()
    story = StoryPage.objects.get(slug="story-3")
    story.title = "A corrected headline"
    story.save_revision().publish()
    run = process_pending(baking_on)
    assert run.status == BakeRun.Status.DONE
    expected = {settings.BROADSHEET_BASE_URL + p for p in run.written}
    assert "/middle-east/story-3/" in run.written or any("story-3" in p for p in run.written)
    assert set(RecordingBackend.purged) == expected
