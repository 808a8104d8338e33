"""Many people writing at the same moment: joining through one shared invitation, posting,
commenting and reacting, against the real server (gunicorn, four workers) and a real database
(a SQLite file, or PostgreSQL in the PostgreSQL run).

Every write acknowledged with 2xx must be stored exactly once, nothing refused may be stored,
`max_uses` must hold, and no request may fail with a 500 or "database is locked".
"""

import random
import threading
import traceback
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest

from tests.server.harness import all_pages, call, running_server
from timeline.models import Emoji

pytestmark = pytest.mark.server

PEOPLE = 24  # besides the owner, each in a thread of their own
MAX_USES = 10
POSTS_EACH = 3
COMMENTS_EACH = 3
REACTIONS_EACH = 4
SCOPES = [
    "login_ip",
    "login_account",
    "signup_ip",
    "password_reset_ip",
    "invitation_create_user",
    "invitation_accept_user",
    "post_create_user",
    "comment_create_user",
]
RATE_LIMITS = ",".join(f"{scope}=100000/h" for scope in SCOPES)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("concurrent-writes")
    with running_server(tmp_path, RATE_LIMITS=RATE_LIMITS) as server:
        yield server


@dataclass
class Person:
    name: str
    token: str


@dataclass
class Record:
    """What the clients sent and what the server acknowledged."""

    run: str  # marks every text written, so that the read-back can tell them apart
    circle_id: str
    invitation: str
    owner: Person
    lock: threading.Lock = field(default_factory=threading.Lock)
    responses: list = field(default_factory=list)  # (action, person, status, body)
    posts: dict = field(default_factory=dict)  # id -> (body, author name)
    comments: dict = field(default_factory=dict)  # id -> (post id, body, author name)
    reactions: set = field(default_factory=set)  # (post id, emoji, person name)
    unexpected: list = field(default_factory=list)  # (action, person, status, body, what was expected)
    crashes: list = field(default_factory=list)  # client-side exceptions, formatted

    def answered(self, action, person, status, body, expected):
        with self.lock:
            self.responses.append((action, person.name, status, body))
            if status not in expected:
                self.unexpected.append((action, person.name, status, body, expected))

    def acknowledged_posts(self):
        with self.lock:
            return list(self.posts)


def register(server, name):
    person = {"name": name, "email": f"{name}@example.com", "password": "a-long-and-unusual-passphrase"}
    status, body = call(f"{server.url}/api/v1/auth/register/", "POST", person)
    assert status == 201, body
    return Person(name, body["token"])


def write(server, record, person):
    """One person's stream of writes: join, then post, comment and react, interleaved."""
    api = f"{server.url}/api/v1"
    rng = random.Random(person.name)
    if person is not record.owner:
        status, body = call(f"{api}/invitations/{record.invitation}/accept/", "POST", token=person.token)
        record.answered("accept", person, status, body, {200, 404})
        if status != 200:
            # Not a member: sharing with the circle must be refused, and stored nowhere.
            data = {"body": f"{record.run} refused post by {person.name}", "circle_ids": [record.circle_id]}
            status, body = call(f"{api}/posts/", "POST", data, token=person.token)
            record.answered("refused post", person, status, body, {400})
            return
    mine = set()  # (post id, emoji) this person has reacted with, acknowledged
    for n in range(max(POSTS_EACH, COMMENTS_EACH, REACTIONS_EACH)):
        if n < POSTS_EACH:
            text = f"{record.run} post {n} by {person.name}"
            data = {"body": text, "circle_ids": [record.circle_id]}
            status, body = call(f"{api}/posts/", "POST", data, token=person.token)
            record.answered("post", person, status, body, {201})
            if status == 201:
                with record.lock:
                    record.posts[body["id"]] = (text, person.name)
        if n < COMMENTS_EACH:
            post_id = rng.choice(record.acknowledged_posts())
            text = f"{record.run} comment {n} by {person.name} on {post_id}"
            status, body = call(f"{api}/posts/{post_id}/comments/", "POST", {"body": text}, token=person.token)
            record.answered("comment", person, status, body, {201})
            if status == 201:
                with record.lock:
                    record.comments[body["id"]] = (post_id, text, person.name)
        if n < REACTIONS_EACH:
            post_id = rng.choice(record.acknowledged_posts())
            emoji = rng.choice(Emoji.values[:2])  # few kinds, so that some reactions repeat
            expected = {200} if (post_id, emoji) in mine else {201}
            status, body = call(f"{api}/posts/{post_id}/reactions/", "POST", {"emoji": emoji}, token=person.token)
            record.answered("reaction", person, status, body, expected)
            if status in (200, 201):
                mine.add((post_id, emoji))
                with record.lock:
                    record.reactions.add((post_id, emoji, person.name))

    # The same person sending the same new reaction twice at once: stored once, one 201 and one 200.
    post_id = rng.choice(record.acknowledged_posts())
    emoji = Emoji.values[-1]
    both = threading.Barrier(2)

    def react(_):
        both.wait()
        return call(f"{api}/posts/{post_id}/reactions/", "POST", {"emoji": emoji}, token=person.token)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(react, range(2)))
    for status, body in results:
        record.answered("double reaction", person, status, body, {200, 201})
        if status in (200, 201):
            with record.lock:
                record.reactions.add((post_id, emoji, person.name))
    statuses = sorted(status for status, _ in results)
    if statuses != [200, 201]:
        with record.lock:
            record.unexpected.append(("double reaction", person.name, statuses, results, "one 201 and one 200"))


@pytest.fixture(scope="module")
def record(server):
    """Set up through the API, then run every person's writes at once."""
    owner = register(server, "owner")
    status, circle = call(f"{server.url}/api/v1/circles/", "POST", {"name": "Everyone"}, token=owner.token)
    assert status == 201, circle
    url = f"{server.url}/api/v1/circles/{circle['id']}/invitations/"
    status, invitation = call(url, "POST", {"max_uses": MAX_USES}, token=owner.token)
    assert status == 201, invitation
    with ThreadPoolExecutor(max_workers=4) as pool:
        people = list(pool.map(lambda n: register(server, f"person-{n}"), range(PEOPLE)))
    # The owner posts first, so that there is always something to comment on and react to.
    record = Record(run=uuid.uuid4().hex[:8], circle_id=circle["id"], invitation=invitation["token"], owner=owner)
    data = {"body": f"{record.run} welcome post by owner", "circle_ids": [circle["id"]]}
    status, body = call(f"{server.url}/api/v1/posts/", "POST", data, token=owner.token)
    assert status == 201, body
    record.posts[body["id"]] = (data["body"], owner.name)

    everyone = [owner, *people]
    start = threading.Barrier(len(everyone))

    def run(person):
        try:
            start.wait()
            write(server, record, person)
        except Exception:
            with record.lock:
                record.crashes.append(f"{person.name}: {traceback.format_exc()}")

    with ThreadPoolExecutor(max_workers=len(everyone)) as pool:
        list(pool.map(run, everyone))
    return record


def circle_posts(server, record):
    url = f"{server.url}/api/v1/circles/{record.circle_id}/posts/?page_size=100"
    return all_pages(url, token=record.owner.token)


def test_the_invitation_admits_exactly_max_uses_people(server, record):
    accepts = sorted(status for action, _, status, _ in record.responses if action == "accept")
    assert accepts == [200] * MAX_USES + [404] * (PEOPLE - MAX_USES), accepts

    api = f"{server.url}/api/v1"
    status, circle = call(f"{api}/circles/{record.circle_id}/", token=record.owner.token)
    assert status == 200, circle
    assert circle["member_count"] == 1 + MAX_USES
    members = all_pages(f"{api}/circles/{record.circle_id}/members/?page_size=100", token=record.owner.token)
    joined = {name for action, name, status, _ in record.responses if action == "accept" and status == 200}
    assert sorted(m["user"]["name"] for m in members) == sorted({"owner", *joined})
    invitations = all_pages(f"{api}/circles/{record.circle_id}/invitations/", token=record.owner.token)
    assert [i["uses"] for i in invitations] == [MAX_USES]
    status, preview = call(f"{api}/invitations/{record.invitation}/")
    assert status == 404, preview  # used up


def test_every_acknowledged_post_is_stored_exactly_once(server, record):
    assert len(record.posts) == 1 + (1 + MAX_USES) * POSTS_EACH
    timeline = all_pages(f"{server.url}/api/v1/timeline/?page_size=100", token=record.owner.token)
    for posts in (circle_posts(server, record), timeline):
        ids = Counter(post["id"] for post in posts)
        assert [pk for pk, n in ids.items() if n > 1] == []
        bodies = Counter(post["body"] for post in posts)
        assert [body for body, n in bodies.items() if n > 1] == []
        # Each acknowledged post, with its body and author; nothing refused, nothing else.
        stored = {post["id"]: (post["body"], post["author"]["name"]) for post in posts}
        assert stored == record.posts


def test_every_acknowledged_comment_is_stored_exactly_once(server, record):
    expected = Counter(post_id for post_id, _, _ in record.comments.values())
    posts = circle_posts(server, record)
    assert {post["id"]: post["comment_count"] for post in posts} == {pk: expected.get(pk, 0) for pk in record.posts}
    stored = {}
    for post_id in record.posts:
        url = f"{server.url}/api/v1/posts/{post_id}/comments/?page_size=100"
        for comment in all_pages(url, token=record.owner.token):
            assert comment["id"] not in stored, comment  # once, under one post
            stored[comment["id"]] = (comment["post"], comment["body"], comment["author"]["name"])
    assert stored == record.comments
    assert len(stored) == (1 + MAX_USES) * COMMENTS_EACH


def test_reaction_counts_match_the_acknowledged_reactions(server, record):
    expected = {pk: Counter() for pk in record.posts}
    for post_id, emoji, _ in record.reactions:
        expected[post_id][emoji] += 1
    posts = circle_posts(server, record)
    assert {post["id"]: post["reactions"] for post in posts} == {pk: dict(n) for pk, n in expected.items()}
    status, post = call(f"{server.url}/api/v1/posts/{posts[0]['id']}/", token=record.owner.token)
    assert status == 200, post
    assert post["reactions"] == dict(expected[post["id"]])


def test_no_request_failed_and_the_server_log_is_clean(server, record):
    assert record.crashes == []
    assert [r for r in record.responses if r[2] >= 500] == []
    assert record.unexpected == []
    log = server.log()
    assert "database is locked" not in log
    assert "Traceback" not in log, log[-5000:]
