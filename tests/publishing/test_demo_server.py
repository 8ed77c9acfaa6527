"""The demo's server of baked files: the live pages' security headers, only its own host
names, no symlink out of the folder, 404 (not 500) for over-long names; the demo's own secret
key and its warning on a public address."""

from __future__ import annotations

import importlib
import stat

import pytest

from broadsheet.__main__ import own_host_names
from broadsheet.demo.management.commands.demo import is_loopback

pytestmark = pytest.mark.django_db


@pytest.fixture
def baked(settings, tmp_path, monkeypatch, front_page):
    """The demo's middleware over a folder of baked files."""
    monkeypatch.setenv("SECRET_KEY", "test-only-insecure-key")  # the demo makes none then
    demo = importlib.import_module("broadsheet.settings.demo")
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news" / "index.html").write_text("<!DOCTYPE html><p>baked</p>")
    (tmp_path / "secret.txt").write_text("not for readers")
    (site / "leak.html").symlink_to(tmp_path / "secret.txt")
    settings.MIDDLEWARE = demo.MIDDLEWARE
    settings.BROADSHEET_BAKE_DIR = str(site)
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    return site


def test_baked_pages_carry_the_security_headers(client, baked):
    response = client.get("/news/", HTTP_HOST="127.0.0.1")
    assert response["X-Broadsheet-Baked"] == "1"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_only_its_own_host_is_answered(client, baked):
    assert client.get("/news/", HTTP_HOST="evil.example").status_code == 400


def test_a_symlink_out_of_the_folder_is_not_followed(client, baked):
    response = client.get("/leak.html", HTTP_HOST="127.0.0.1")
    assert response.status_code == 404
    assert b"not for readers" not in b"".join(response)


def test_an_over_long_name_is_404_not_500(client, baked):
    response = client.get("/" + "a" * 300 + "/", HTTP_HOST="127.0.0.1")
    assert response.status_code == 404
    response = client.get("/news/" + "ب" * 200 + ".html", HTTP_HOST="127.0.0.1")
    assert response.status_code == 404


def test_demo_secret_key_is_random_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test-only-insecure-key")
    dev = importlib.import_module("broadsheet.settings.dev")
    monkeypatch.setattr(dev, "VAR_DIR", tmp_path)
    key = dev._local_secret_key()
    assert len(key) >= 50 and key == dev._local_secret_key()
    assert stat.S_IMODE((tmp_path / "secret-key.txt").stat().st_mode) == 0o600
    monkeypatch.setattr(dev, "VAR_DIR", tmp_path / "other")
    (tmp_path / "other").mkdir()
    assert dev._local_secret_key() != key


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False)],  # noqa: S104
)
def test_public_addresses_are_told_apart(host, loopback):
    assert is_loopback(host) is loopback


def test_every_interface_answers_only_this_machines_names():
    names = own_host_names()
    assert "127.0.0.1" in names and "localhost" in names and "*" not in names


@pytest.mark.parametrize("path", ["/news/", "/static/broadsheet/site.css", "/leak.html"])
def test_another_host_gets_400_for_baked_and_static_files(client, baked, path, caplog):
    with caplog.at_level("DEBUG"):
        response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "X-Broadsheet-Baked" not in response
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]


def test_static_files_are_answered_to_the_demos_own_host(client, baked):
    assert client.get("/static/broadsheet/site.css", HTTP_HOST="127.0.0.1").status_code == 200
