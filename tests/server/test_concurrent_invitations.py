"""Many people accepting one invitation at the same moment, against the real server
and a real database (a SQLite file, or PostgreSQL in the PostgreSQL run)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.server.harness import call, running_server

pytestmark = pytest.mark.server

CLIENTS = 24
MAX_MEMBERS = 10


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("concurrency")
    with running_server(
        tmp_path,
        CIRCLE_MAX_MEMBERS=str(MAX_MEMBERS),
        RATE_LIMITS="signup_ip=1000/h,login_ip=1000/h,invitation_create_user=1000/h",
    ) as server:
        yield server


def register(server, name):
    person = {"name": name, "email": f"{name}@example.com", "password": "a-long-and-unusual-passphrase"}
    status, body = call(f"{server.url}/api/v1/auth/register/", "POST", person)
    assert status == 201, body
    return body["token"]


def circle_with_invitation(server, name, **invitation):
    owner = register(server, f"owner-of-{name}")
    status, circle = call(f"{server.url}/api/v1/circles/", "POST", {"name": name}, token=owner)
    assert status == 201, circle
    url = f"{server.url}/api/v1/circles/{circle['id']}/invitations/"
    status, created = call(url, "POST", invitation, token=owner)
    assert status == 201, created
    return owner, circle["id"], created["token"]


def accept_all_at_once(server, invitation_token, tokens):
    """Every client accepts at the same moment; returns the (status, body) of each."""
    start = threading.Barrier(len(tokens))

    def accept(token):
        start.wait()
        return call(f"{server.url}/api/v1/invitations/{invitation_token}/accept/", "POST", token=token)

    with ThreadPoolExecutor(max_workers=len(tokens)) as pool:
        return list(pool.map(accept, tokens))


def members(server, circle_id, owner):
    status, page = call(f"{server.url}/api/v1/circles/{circle_id}/members/?page_size=100", token=owner)
    assert status == 200, page
    return page["results"]


def test_concurrent_acceptance_never_exceeds_max_uses(server):
    owner, circle_id, invitation = circle_with_invitation(server, "uses", max_uses=5)
    tokens = [register(server, f"uses-{n}") for n in range(CLIENTS)]

    results = accept_all_at_once(server, invitation, tokens)

    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * 5 + [404] * (CLIENTS - 5), results
    assert len(members(server, circle_id, owner)) == 1 + 5
    status, preview = call(f"{server.url}/api/v1/invitations/{invitation}/")
    assert status == 404, preview  # used up
    assert "database is locked" not in server.log()


def test_concurrent_acceptance_never_exceeds_the_member_cap(server):
    owner, circle_id, invitation = circle_with_invitation(server, "cap", max_uses=100)
    tokens = [register(server, f"cap-{n}") for n in range(CLIENTS)]

    results = accept_all_at_once(server, invitation, tokens)

    joined = [body for status, body in results if status == 200]
    refused = [body for status, body in results if status == 400]
    assert len(joined) == MAX_MEMBERS - 1
    assert len(refused) == CLIENTS - (MAX_MEMBERS - 1), results
    assert all("full" in str(body) for body in refused)
    assert len(members(server, circle_id, owner)) == MAX_MEMBERS
    assert "database is locked" not in server.log()
