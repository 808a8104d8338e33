"""Writers keep posting (text, and photos) while the real server is killed with SIGKILL and
restarted, again and again. Every post acknowledged with 2xx must survive with its photos, the
database must stay sound, and files of uploads that never committed must not linger (or
`cleanup_media` must find and remove them).

Always a SQLite file, even where CI points DATABASE_URL at PostgreSQL: this is the embedded
default's promise, and PRAGMA integrity_check and the orphan count read the file directly.
"""

import io
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

import pytest
from PIL import Image

from tests.server.harness import (
    PROJECT_ROOT,
    Server,
    all_pages,
    call,
    call_multipart,
    fetch,
    migrate,
    server_env,
)

pytestmark = pytest.mark.server

WRITERS = 4
KILLS = 4
RATE_LIMITS = "signup_ip=100000/h,login_ip=100000/h,post_create_user=100000/h,comment_create_user=100000/h"
PERSON = {"name": "Grace Hopper", "email": "grace@example.com", "password": "a-long-and-unusual-passphrase"}


def jpeg(rng, size=(320, 240)):
    """A real photo-like JPEG (noise, so that it does not compress to nothing), made in memory."""
    bands = [Image.effect_noise(size, rng.uniform(20, 80)) for _ in range(3)]
    buffer = io.BytesIO()
    Image.merge("RGB", bands).save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class Writers:
    """Threads posting to whichever server is up now; they record what was acknowledged."""

    def __init__(self, server, token, circle_id):
        self.server = server
        self.token = token
        self.circle_id = circle_id
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acknowledged = {}  # post id -> {"body", "images": [(original path, thumbnail path)]}
        self.statuses = Counter()  # of the answers that came, 201 or not
        self.refused = []  # non-2xx answers, in full
        self.errors = Counter()  # requests that got no answer (connection refused or cut by the kill)
        self.threads = [threading.Thread(target=self.run, args=(n,), daemon=True) for n in range(WRITERS)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)

    def run(self, writer):
        rng = random.Random(writer)
        for n in range(1, 1_000_000):
            if self.stop.is_set():
                return
            body = f"writer {writer} post {n}"
            url = f"{self.server.url}/api/v1/posts/"  # the current server's, new after each restart
            try:
                if n % 3 == 0:
                    photos = 1 + n % 2
                    fields = [("body", body), ("circle_ids", self.circle_id)]
                    fields += [("alt_texts", f"photo {i} of {body}") for i in range(photos)]
                    files = [("images", f"photo-{i}.jpg", jpeg(rng), "image/jpeg") for i in range(photos)]
                    status, answer = call_multipart(url, fields, files, token=self.token)
                else:
                    status, answer = call(url, "POST", {"body": body, "circle_ids": [self.circle_id]}, self.token)
            except Exception as error:  # unacknowledged: the server is down, or was killed mid-request
                with self.lock:
                    self.errors[type(error).__name__] += 1
                time.sleep(0.05)
                continue
            with self.lock:
                self.statuses[status] += 1
                if status == 201:
                    images = [(urlsplit(i["url"]).path, urlsplit(i["thumbnail_url"]).path) for i in answer["images"]]
                    self.acknowledged[answer["id"]] = {"body": body, "images": images}
                else:
                    self.refused.append((status, answer))

    def snapshot(self):
        with self.lock:
            return dict(self.acknowledged)


def integrity(database):
    """PRAGMA integrity_check and foreign_key_check of the SQLite file, opened directly."""
    connection = sqlite3.connect(database, timeout=10)
    try:
        return (
            connection.execute("PRAGMA integrity_check").fetchall(),
            connection.execute("PRAGMA foreign_key_check").fetchall(),
        )
    finally:
        connection.close()


def referenced_files(database):
    connection = sqlite3.connect(database, timeout=10)
    try:
        rows = connection.execute("SELECT post_id, original, thumbnail FROM timeline_postimage").fetchall()
        avatars = connection.execute("SELECT avatar FROM accounts_user WHERE avatar != ''").fetchall()
    finally:
        connection.close()
    by_post = {}
    for post_id, original, thumbnail in rows:
        by_post.setdefault(str(post_id), []).extend([original, thumbnail])
    return by_post, {name for files in by_post.values() for name in files} | {name for (name,) in avatars}


def files_under(root):
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def assert_all_present(server, token, acknowledged):
    """Every acknowledged post is in the circle's timeline, with its body and as many photos."""
    status, circles = call(f"{server.url}/api/v1/circles/", token=token)
    assert status == 200, circles
    url = f"{server.url}/api/v1/circles/{circles['results'][0]['id']}/posts/?page_size=100"
    stored = {post["id"]: post for post in all_pages(url, token=token)}
    missing = sorted(set(acknowledged) - set(stored), key=int)
    assert missing == [], f"{len(missing)} acknowledged post(s) lost: {missing}\n{server.log()[-3000:]}"
    for post_id, sent in acknowledged.items():
        assert stored[post_id]["body"] == sent["body"]
        assert len(stored[post_id]["images"]) == len(sent["images"]), post_id
    return stored


def test_acknowledged_posts_and_photos_survive_repeated_sigkill(tmp_path):
    started = time.monotonic()
    database = tmp_path / "db.sqlite3"
    media = tmp_path / "media"
    env = server_env(tmp_path, f"sqlite:///{database}", RATE_LIMITS=RATE_LIMITS)
    migrate(env)
    server = Server(env, tmp_path / "gunicorn.log", workers=3)
    server.start()
    rng = random.Random()
    acknowledged_by_round = []
    try:
        status, body = call(f"{server.url}/api/v1/auth/register/", "POST", PERSON)
        assert status == 201, body
        token = body["token"]
        status, circle = call(f"{server.url}/api/v1/circles/", "POST", {"name": "Family"}, token=token)
        assert status == 201, circle

        with Writers(server, token, circle["id"]) as writers:
            for _ in range(KILLS):
                time.sleep(rng.uniform(0.3, 1.0))
                server.kill()  # mid-stream: writers are posting all the time
                result, foreign_keys = integrity(database)
                assert result == [("ok",)]
                assert foreign_keys == []
                server.start()  # on a new port, which writers pick up
                acknowledged = writers.snapshot()
                acknowledged_by_round.append(len(acknowledged))
                assert_all_present(server, token, acknowledged)
            time.sleep(0.5)
        # URLError: refused while the server was down; the others: cut off by a kill mid-request.
        cut_off = sum(n for name, n in writers.errors.items() if name != "URLError")
        assert cut_off > 0, f"the server was never killed mid-request: {writers.errors}"
        assert writers.refused == []  # any answer that came was a 201 (never 500, never locked)
        acknowledged = writers.snapshot()
        assert len(acknowledged) > acknowledged_by_round[-1] > acknowledged_by_round[0] > 0, acknowledged_by_round

        # Every acknowledged post, one by one, with its body and its photos.
        stored = assert_all_present(server, token, acknowledged)
        for post_id, sent in acknowledged.items():
            status, post = call(f"{server.url}/api/v1/posts/{post_id}/", token=token)
            assert status == 200, post
            assert post["body"] == sent["body"]
            paths = [(urlsplit(i["url"]).path, urlsplit(i["thumbnail_url"]).path) for i in post["images"]]
            assert paths == sent["images"]
            for path in (path for pair in sent["images"] for path in pair):
                status, content_type, content = fetch(f"{server.url}{path}", token=token)
                assert status == 200, (path, status)
                assert content_type.startswith("image/"), (path, content_type)
                Image.open(io.BytesIO(content)).verify()  # a whole image, not a torn file
        unacknowledged = len(stored) - len(acknowledged)  # committed, but the answer was lost in a kill
        log = server.log()
        assert "database is locked" not in log
        assert "Traceback" not in log, log[-5000:]
    finally:
        server.kill()

    result, foreign_keys = integrity(database)
    assert result == [("ok",)]
    assert foreign_keys == []
    by_post, referenced = referenced_files(database)
    on_disk = files_under(media)
    assert referenced - on_disk == set()  # no row points at a missing file
    orphans = on_disk - referenced  # written by uploads killed before their transaction committed

    cleanup = subprocess.run(
        [sys.executable, "manage.py", "cleanup_media", "--older-than", "0"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
    assert set(re.findall(r"^removed (\S+)$", cleanup.stdout, re.MULTILINE)) == orphans, cleanup.stdout
    assert files_under(media) == referenced  # no orphans left, nothing in use removed
    for post_id, sent in acknowledged.items():
        assert len(by_post.get(post_id, [])) == 2 * len(sent["images"]), post_id
        assert all((media / name).is_file() for name in by_post.get(post_id, []))

    print(
        f"\n{len(acknowledged)} posts acknowledged ({acknowledged_by_round} by restart), "
        f"{sum(len(s['images']) for s in acknowledged.values())} photos; {unacknowledged} committed unacknowledged; "
        f"{len(orphans)} orphan file(s) removed; errors {dict(writers.errors)}; "
        f"{time.monotonic() - started:.1f}s"
    )
