"""Requests for a host that is not ours: answered 400 before anything serves them (static files
included), and logged as one warning line without a traceback — a flood of bad ``Host``
headers cannot fill the logs."""

from __future__ import annotations

import logging

import pytest

from broadsheet.security.middleware import AllowedHostMiddleware

STATIC = "/static/broadsheet/site.css"


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    return settings


def test_static_files_are_served_to_our_host(client, hosts):
    response = client.get(STATIC, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])


@pytest.mark.parametrize("path", [STATIC, "/", "/admin/login/", "/nope/"])
def test_another_host_is_refused_for_every_path(client, hosts, path):
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"body{" not in response.content and b"<html" not in response.content.lower()


def test_a_refusal_is_one_warning_line_without_traceback(client, hosts, caplog):
    with caplog.at_level(logging.DEBUG):
        assert client.get(STATIC, HTTP_HOST="evil.example\nINFO forged").status_code == 400
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    record = records[0]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.name == "broadsheet.security.middleware"
    assert "\n" not in record.getMessage()  # the forged line break stays quoted
    assert "'evil.example\\nINFO forged'" in record.getMessage()


def test_a_flood_of_bad_hosts_logs_one_line_a_minute(client, hosts, caplog, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr("broadsheet.security.middleware.time.monotonic", lambda: clock[0])
    with caplog.at_level(logging.DEBUG):
        for n in range(100):
            client.get("/", HTTP_HOST=f"flood{n}.example")
        assert [r.levelname for r in caplog.records if r.levelno >= logging.WARNING] == ["WARNING"]
        clock[0] += AllowedHostMiddleware.LOG_INTERVAL + 1
        client.get("/", HTTP_HOST="late.example")
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 2
    assert "'flood0.example'" in lines[0]
    assert "'late.example'" in lines[1] and "and 99 more since the last line" in lines[1]
    assert not any(r.exc_info for r in caplog.records)


def test_a_long_host_is_cut_in_the_log(client, hosts, caplog):
    with caplog.at_level(logging.WARNING):
        client.get("/", HTTP_HOST="a" * 5000 + ".example")
    assert len(caplog.records) == 1 and len(caplog.records[0].getMessage()) < 200
