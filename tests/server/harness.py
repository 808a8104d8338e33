"""Running the real server (gunicorn) in its own processes, for tests that need it."""

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
import uuid
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


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
    return send(request)


def send(request):
    """Send a request; return (status, decoded JSON body or text), error statuses included."""
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read().decode(errors="replace")
        try:
            return error.code, json.loads(raw)
        except ValueError:
            return error.code, raw


def server_env(tmp_path, database_url, **overrides):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SIGNUP_MODE": "open",
        "DEBUG": "False",
        "HTTPS": "False",
        "SECRET_KEY": "server-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ENV_FILE": "",
        "REDIS_URL": "",
        "TASK_BACKEND": "immediate",  # the rq backend would need REDIS_URL
        "MEDIA_ROOT": str(tmp_path / "media"),
        **overrides,
    }


def migrate(env):
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class Server:
    """gunicorn in its own process group, so that SIGKILL takes its workers too."""

    def __init__(self, env, log_path, workers=2):
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.process = None

    def start(self, timeout=30):
        # A fresh port each time, so that no dying worker of a killed server can answer.
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "circleshare.wsgi"]
                + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)]
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

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def run_database(tmp_path):
    """A database of the kind this test run uses: a SQLite file, or a new PostgreSQL database.

    The server's database must be its own (the test database lives inside a
    transaction the server cannot see), but of the same engine as the run.
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'db.sqlite3'}"
        return
    import psycopg

    name = f"circleshare_server_{uuid.uuid4().hex[:12]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def call_multipart(url, fields=(), files=(), token=None, method="POST"):
    """Send a multipart/form-data request; return (status, decoded body) like `call`.

    `fields` are (name, value) pairs (a name may repeat); `files` are
    (name, filename, content bytes, content type) tuples.
    """
    boundary = f"----circleshare-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, content, content_type in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    headers = {"Accept": "application/json", "Content-Type": f"multipart/form-data; boundary={boundary}"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=b"".join(parts), headers=headers, method=method)
    return send(request)


def fetch(url, token=None):
    """GET `url` as it is; return (status, content type, body bytes), error statuses included."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def all_pages(url, token=None):
    """Every result of a paginated list, following `next` links from `url`."""
    results = []
    while url:
        status, page = call(url, token=token)
        assert status == 200, (url, status, page)
        results += page["results"]
        url = page["next"]
    return results


@contextlib.contextmanager
def running_server(tmp_path, workers=4, **overrides):
    """gunicorn on a database of the run's kind, migrated and started; killed at the end."""
    with run_database(tmp_path) as database_url:
        env = server_env(tmp_path, database_url, **overrides)
        migrate(env)
        server = Server(env, tmp_path / "gunicorn.log", workers=workers)
        server.start()
        try:
            yield server
        finally:
            server.kill()
