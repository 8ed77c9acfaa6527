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


PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "-Zq8" * 10,
    "ALLOWED_HOSTS": "news.example.org",
    "EMAIL_URL": "smtp://newsroom:secret@mail.example.org:587",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_check({**PRODUCTION_ENV, "BROADSHEET_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "errors"),
    [
        ({"EMAIL_URL": "", "CACHE_URL": ""}, ["security.E001", "security.E003"]),
        ({"EMAIL_URL": "smtp://mail.example.org:25?tls=0", "CACHE_URL": "locmem://"}, ["E002"]),
    ],
)
def test_production_refuses_console_mail_and_a_per_process_cache(tmp_path, override, errors):
    result = run_check({**PRODUCTION_ENV, **override, "BROADSHEET_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert all(error in result.stderr for error in errors), result.stderr
    if "locmem" in override["CACHE_URL"]:
        assert "security.E003" in result.stderr


def test_production_wsgi_application_refuses_to_load_without_mail(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(PRODUCTION_ENV, EMAIL_URL="", BROADSHEET_VAR_DIR=str(tmp_path))
    env["DJANGO_SETTINGS_MODULE"] = "broadsheet.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import broadsheet.wsgi"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "security.E001" in result.stderr


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


def test_the_admin_fetches_no_avatars_from_another_origin(client, django_user_model):
    editor = django_user_model.objects.create_superuser("ed", "ed@newsroom.example", "x" * 16)
    client.force_login(editor)
    page = client.get("/admin/").content.decode()
    assert "gravatar" not in page
