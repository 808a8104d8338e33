"""Settings are read from the environment alone: each test imports them afresh
in a subprocess with a chosen environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BASE_ENV = {"ENV_FILE": "", "SECRET_KEY": "x" * 60, "DEBUG": "False"}


def run_python(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "HTTPS")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "circleshare.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            **BASE_ENV,
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )


def read_settings(tmp_path, *names, **env):
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = run_python(code, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_default_database_is_a_sqlite_file_under_data_with_wal_and_immediate_transactions(tmp_path):
    databases = read_settings(tmp_path, "DATABASES", DATABASE_URL="")["DATABASES"]["default"]

    assert databases["ENGINE"] == "django.db.backends.sqlite3"
    assert databases["NAME"].endswith("data/circleshare.sqlite3")
    assert databases["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert databases["OPTIONS"]["timeout"] == 20
    assert "journal_mode=WAL" in databases["OPTIONS"]["init_command"]


def test_a_sqlite_file_database_really_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )

    result = run_python(code, {}, tmp_path)

    assert result.stdout.strip() == "wal", result.stderr


def test_database_url_selects_postgresql_with_persistent_connections(tmp_path):
    databases = read_settings(tmp_path, "DATABASES", DATABASE_URL="postgres://u:p@db:5432/cs")["DATABASES"]

    assert databases["default"]["ENGINE"] == "django.db.backends.postgresql"
    assert databases["default"]["HOST"] == "db"
    assert databases["default"]["CONN_MAX_AGE"] == 60
    assert databases["default"]["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


def test_prepared_statements_can_be_turned_off_for_a_pooler(tmp_path):
    databases = read_settings(
        tmp_path, "DATABASES", DATABASE_URL="postgres://u:p@db:5432/cs", DATABASE_PREPARE_THRESHOLD=""
    )["DATABASES"]

    assert databases["default"]["OPTIONS"]["prepare_threshold"] is None


def test_redis_url_selects_the_redis_cache_and_local_memory_otherwise(tmp_path):
    with_redis = read_settings(tmp_path, "CACHES", REDIS_URL="redis://cache:6379/1")["CACHES"]
    without = read_settings(tmp_path, "CACHES")["CACHES"]

    assert with_redis["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert with_redis["default"]["LOCATION"] == "redis://cache:6379/1"
    assert without["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_email_url_configures_smtp_and_defaults_to_the_console(tmp_path):
    smtp = read_settings(tmp_path, "EMAIL_BACKEND", "EMAIL_HOST", EMAIL_URL="smtp+tls://u:p@mail:587")
    console = read_settings(tmp_path, "EMAIL_BACKEND")

    assert smtp == {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "mail"}
    assert console["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_defaults_for_signup_circles_and_media(tmp_path):
    values = read_settings(tmp_path, "SIGNUP_MODE", "CIRCLE_MAX_MEMBERS", "MEDIA_ROOT", "DEBUG")

    assert values["SIGNUP_MODE"] == "invite"
    assert values["CIRCLE_MAX_MEMBERS"] == 150
    assert values["MEDIA_ROOT"].endswith("data/media")
    assert values["DEBUG"] is False


def test_environment_overrides_signup_circles_media_and_rate_limits(tmp_path):
    values = read_settings(
        tmp_path,
        "SIGNUP_MODE",
        "CIRCLE_MAX_MEMBERS",
        "MEDIA_ROOT",
        "RATE_LIMITS",
        SIGNUP_MODE="open",
        CIRCLE_MAX_MEMBERS="12",
        MEDIA_ROOT="/srv/media",
        RATE_LIMITS="login_ip=5/m,signup_ip=1/d",
    )

    assert values["SIGNUP_MODE"] == "open"
    assert values["CIRCLE_MAX_MEMBERS"] == 12
    assert values["MEDIA_ROOT"] == "/srv/media"
    assert values["RATE_LIMITS"]["login_ip"] == "5/m"
    assert values["RATE_LIMITS"]["signup_ip"] == "1/d"
    assert values["RATE_LIMITS"]["login_account"] == "10/15m"


def test_a_dotenv_file_is_read_but_real_environment_variables_win(tmp_path):
    env_file = tmp_path / "custom.env"
    env_file.write_text("CIRCLE_MAX_MEMBERS=7\nSIGNUP_MODE=open\n")

    values = read_settings(tmp_path, "CIRCLE_MAX_MEMBERS", "SIGNUP_MODE", ENV_FILE=str(env_file), SIGNUP_MODE="invite")

    assert values == {"CIRCLE_MAX_MEMBERS": 7, "SIGNUP_MODE": "invite"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "Set SECRET_KEY"),
        ({"SIGNUP_MODE": "everyone"}, "SIGNUP_MODE must be"),
        ({"TASK_BACKEND": "rq"}, "TASK_BACKEND=rq needs REDIS_URL"),
    ],
)
def test_invalid_settings_stop_start_up_with_a_clear_message(tmp_path, env, message):
    result = run_python("from django.conf import settings; settings.DEBUG", env, tmp_path)

    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("HTTPS",)},
            **BASE_ENV,
            "SECRET_KEY": "k3y-" + "f9Zq!2xLw@8" * 6,
            "ALLOWED_HOSTS": "circles.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
