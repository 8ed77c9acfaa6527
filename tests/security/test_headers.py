"""Security headers: a strict Content-Security-Policy on live reader pages, the admin's own
policy, violation reports logged."""

from __future__ import annotations

import json
import logging

import pytest

from tests.content.factories import StoryFactory

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.mark.parametrize("path", ["/", "/archives/", "/guestbook/", "/search/?q=x", "/nope/"])
def test_reader_pages_have_a_strict_policy(client, path):
    StoryFactory()
    response = client.get(path)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'", "'wasm-unsafe-eval'"]  # Pagefind's WebAssembly
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert csp["report-uri"] == ["/csp-report/"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_story_page_has_the_policy_and_no_inline_script_or_style(client):
    story = StoryFactory()
    response = client.get(story.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert " style=" not in html and "<style" not in html
    for script in html.split("<script")[1:]:
        assert script.startswith(' type="application/ld+json"') or " src=" in script.split(">")[0]


def test_admin_has_its_own_policy_with_no_other_origin(client):
    response = client.get("/admin/login/")
    csp = policy(response)
    assert csp["frame-ancestors"] == ["'self'"]
    assert all(
        source.startswith("'") or source in {"data:", "blob:", "/csp-report/"}
        for sources in csp.values()
        for source in sources
    )


def test_violation_reports_are_logged(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://news.example/story/",
            "violated-directive": "script-src",
            "blocked-uri": "https://tracker.example/t.js",
        }
    }
    with caplog.at_level(logging.WARNING, logger="broadsheet.security.csp"):
        response = client.post(
            "/csp-report/", json.dumps(report), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert "script-src blocked https://tracker.example/t.js" in caplog.text


@pytest.mark.parametrize("body", [b"not json", b"[1]", b"{" + b" " * 20000 + b"}"])
def test_bad_reports_are_refused(client, body):
    response = client.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 400


def test_server_errors_are_logged_to_stderr_not_only_mailed():
    """A 500 goes to ``django.request`` at ERROR: it must reach a stream handler (stderr,
    journald) with no debug-only filter, also with an empty ``ADMINS``."""
    handlers = logging.getLogger("django").handlers
    streams = [h for h in handlers if isinstance(h, logging.StreamHandler)]
    assert streams and not any(f for h in streams for f in h.filters)
    assert logging.getLogger("django.request").getEffectiveLevel() <= logging.ERROR


def test_nginx_in_docs_sends_the_reader_policy_of_the_settings(settings):
    """docs/deploy.md gives nginx the header for the baked files: the same policy as the app's
    (without a separate live address)."""
    import re
    from pathlib import Path

    deploy = (Path(__file__).resolve().parents[2] / "docs" / "deploy.md").read_text()
    header = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', deploy)[1]
    documented = {p.split()[0]: p.split()[1:] for p in header.split("; ")}
    assert documented == settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
