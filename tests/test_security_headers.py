import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/docs/"])
def test_pages_carry_a_content_security_policy_without_inline_scripts(client, path):
    policy = client.get(path)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_pages_refuse_framing_sniffing_and_leaking_referrers(client):
    response = client.get("/accounts/login/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


PRODUCTION_PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client, override_settings
# Static files are collected at deployment; here they are found in place.
finders = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
plain_static = {**settings.STORAGES, "staticfiles": finders}
client = Client()
with override_settings(STORAGES=plain_static):
    secure = client.get("/accounts/login/", secure=True)
    plain = client.get("/accounts/login/")
csrf = secure.cookies["csrftoken"]
print(json.dumps({
    "hsts": secure.get("Strict-Transport-Security"),
    "csp": secure.get("Content-Security-Policy"),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "csrf_cookie": {"secure": csrf["secure"], "samesite": csrf["samesite"]},
    "session_cookie": {
        "secure": settings.SESSION_COOKIE_SECURE,
        "httponly": settings.SESSION_COOKIE_HTTPONLY,
        "samesite": settings.SESSION_COOKIE_SAMESITE,
    },
    "forwarded_proto_trusted": settings.SECURE_PROXY_SSL_HEADER,
}))
"""


def test_production_settings_send_hsts_redirect_to_https_and_secure_cookies(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("HTTPS", "DEBUG", "DATABASE_URL")},
        "DJANGO_SETTINGS_MODULE": "circleshare.settings",
        "ENV_FILE": "",
        "DEBUG": "False",
        "SECRET_KEY": "k3y-" + "f9Zq!2xLw@8" * 6,
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)

    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in probe["csp"]
    assert probe["plain_status"] == 301
    assert probe["plain_location"].startswith("https://")
    assert probe["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert probe["session_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert probe["forwarded_proto_trusted"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.django_db
def test_forms_refuse_posts_without_the_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)

    response = client.post("/accounts/settings/", {"name": "Changed"})

    assert response.status_code == 403
    assert b"Please try again" in response.content
    user.refresh_from_db()
    assert user.name != "Changed"
