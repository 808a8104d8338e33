"""The founding promise: what the API stores survives the real server being killed."""

import pytest

from tests.server.harness import Server, call, migrate, server_env

pytestmark = pytest.mark.server

PERSON = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "a-long-and-unusual-passphrase"}


@pytest.fixture
def server(tmp_path):
    # Always a file database, even where CI points DATABASE_URL at PostgreSQL:
    # this is the embedded default's promise.
    env = server_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}")
    migrate(env)
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
