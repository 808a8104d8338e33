"""The founding promise: what the API stores survives the real server being killed."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.server

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PERSON = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "a-long-and-unusual-passphrase"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url, method="GET", data=None, token=None):
    """Send a JSON request; return (status, decoded body), error statuses included."""
    headers = {"Accept": "application/json"}
    body = None
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


class Server:
    """gunicorn in its own process group, so that SIGKILL takes its workers too."""

    def __init__(self, env, log_path):
        self.env = env
        self.log_path = log_path
        self.process = None

    def start(self, timeout=30):
        # A fresh port each time, so that no dying worker of a killed server can answer.
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "circleshare.wsgi"]
                + ["--bind", f"127.0.0.1:{self.port}", "--workers", "2"]
                # gunicorn 25.1+ otherwise leaves a control socket in ~/.gunicorn.
                + ["--no-control-socket"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                # Any HTTP answer, even 401, means a worker is serving.
                urllib.request.urlopen(f"{self.url}/api/v1/me/", timeout=1)
                return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.2)
        self.kill()
        pytest.fail(f"gunicorn did not come up within {timeout}s:\n{self.log_path.read_text()}")

    def kill(self):
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path):
    env = {
        **os.environ,
        # Always its own file database, even where CI points DATABASE_URL at PostgreSQL.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SIGNUP_MODE": "open",
        "DEBUG": "False",
        "HTTPS": "False",
        "SECRET_KEY": "server-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ENV_FILE": "",
        "REDIS_URL": "",
        "TASK_BACKEND": "immediate",  # the rq backend would need REDIS_URL
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    server = Server(env, tmp_path / "gunicorn.log")
    try:
        yield server
    finally:
        server.kill()


def test_a_person_created_through_the_api_survives_sigkill_and_restart(server):
    server.start()
    status, body = call(f"{server.url}/api/v1/auth/register/", "POST", PERSON)
    assert status == 201, body

    server.kill()
    server.start()

    credentials = {"email": PERSON["email"], "password": PERSON["password"]}
    status, body = call(f"{server.url}/api/v1/auth/token/", "POST", credentials)
    assert status == 200, body
    assert body["user"]["email"] == PERSON["email"]
    status, me = call(f"{server.url}/api/v1/me/", token=body["token"])
    assert status == 200, me
    assert me["email"] == PERSON["email"]
    assert me["name"] == PERSON["name"]
