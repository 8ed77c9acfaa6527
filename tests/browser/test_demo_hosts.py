"""The running demo (``make demo``'s server) answers only its own host names: a request naming
another ``Host`` gets 400 for baked pages, static files, the static search's files and the
admin alike, and its log gets no traceback for it."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import BROWSER

pytestmark = BROWSER

PATHS = ["/", "/archives/", "/static/broadsheet/site.css", "/pagefind/pagefind.js", "/admin/"]


def get(url: str, path: str, host: str) -> tuple[int, dict[str, str]]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", path, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


@pytest.mark.parametrize("path", PATHS)
def test_the_demo_refuses_another_host(demo_site, path):
    port = urlsplit(demo_site.url).port
    own, _ = get(demo_site.url, path, f"127.0.0.1:{port}")
    assert own in (200, 302), path  # the admin sends a stranger to its login page
    status, headers = get(demo_site.url, path, "evil.example")
    assert status == 400, path
    assert "X-Broadsheet-Baked" not in headers


def test_refusals_leave_no_traceback_in_the_demos_log(demo_site):
    for n in range(20):
        get(demo_site.url, "/static/broadsheet/site.css", f"flood{n}.example")
    log = (demo_site.var.parent / "demo.log").read_text()
    assert "Traceback" not in log and "Invalid HTTP_HOST header" not in log
    assert log.count("Refused a request for the unknown host") <= 2  # one line a minute
