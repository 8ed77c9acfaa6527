"""Settings: production passes Django's deployment checks; configuration comes from the env."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from broadsheet.settings.base import env_bool, env_list


def run_check(env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(env_extra)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "broadsheet",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings",
            "broadsheet.settings.production",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check(
        {
            "SECRET_KEY": "k" * 20 + "-Zq8" * 10,
            "ALLOWED_HOSTS": "news.example.org",
            "BROADSHEET_VAR_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_missing_secret_key(tmp_path):
    result = run_check({"SECRET_KEY": "", "BROADSHEET_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_FLAG", "no")
    assert env_bool("X_FLAG", True) is False
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ValueError, match="X_FLAG"):
        env_bool("X_FLAG", True)
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    assert env_list("X_UNSET_LIST", ["d"]) == ["d"]


def test_database_from_environment(tmp_path):
    code = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="broadsheet.settings.dev", BROADSHEET_VAR_DIR=str(tmp_path))
    default = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert default.stdout.split() == [
        "django.db.backends.sqlite3",
        str(tmp_path / "broadsheet.sqlite3"),
    ]
    env["DATABASE_URL"] = "postgres://newsroom@127.0.0.1:5432/agency"
    pg = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert pg.stdout.split() == ["django.db.backends.postgresql", "agency"]
