"""API fuzzing: Schemathesis sends generated requests to every operation of our own OpenAPI schema.

The schema is the one the app serves, and the requests go to the WSGI app in
this process, so they see the test database. Every request carries the bearer
token of a real member whose circles hold posts, comments, reactions and an
invitation, and most path parameters are swapped for the ids of those objects,
so detail endpoints are exercised beyond their 404s.

Each operation gets positive data (valid by the schema) and negative data
(invalid by it), in Schemathesis's examples, coverage and fuzzing phases, and
every response must pass four checks: no server error, a status code the
schema documents, a body that matches the documented schema, and a documented
content type.

The run is bounded for CI: `FUZZ_EXAMPLES_DEFAULT` generated examples per
operation in the fuzzing phase (on top of the fixed coverage cases),
derandomized so that every run sends the same requests. For a deeper run with
fresh random data each time, set the number of examples per operation:

    FUZZ_EXAMPLES=500 .venv/bin/python -m pytest tests/test_api_fuzzing.py
"""

import os
import zlib
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from circleshare.wsgi import application
from moderation import services as moderation
from tests.factories import (
    TEST_PASSWORD,
    AccessTokenFactory,
    BanFactory,
    BlockFactory,
    CircleFactory,
    MembershipFactory,
    MuteFactory,
    UserFactory,
)
from tests.images import image_upload
from timeline import services
from timeline.models import Emoji

FUZZ_EXAMPLES_DEFAULT = 10
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or FUZZ_EXAMPLES_DEFAULT)
DEEP = bool(os.environ.get("FUZZ_EXAMPLES"))

CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance, content_type_conformance]

schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json",
    application,
    config=schemathesis.Config.from_dict(
        {
            "generation": {"mode": "all", "deterministic": not DEEP},
            # Each test case is one request; sequences of calls are not this test's concern.
            "phases": {"stateful": {"enabled": False}},
        }
    ),
)


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection open across requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@dataclass
class Member:
    """A member's bearer token, and the real values that generated requests are pointed at."""

    key: str
    # By operation path, then by name: the ids of real objects.
    path_values: dict[str, dict[str, list[str]]]
    # By operation label ("POST /api/v1/auth/token/"), the body fields that reach past validation.
    body_fields: dict[str, dict[str, object]]


@pytest.fixture
def member(db, settings, in_process_requests):
    """A person who owns a circle with a friend in it and is a member of the friend's circle, with posts in both."""
    # Every generated request would count against the abuse limits of one address and one person.
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, "1000000/d")
    me = UserFactory(name="Fuzz Member")
    friend = UserFactory(name="Friend")
    family = services.circle_create(creator=me, name="Family", description="Us")
    MembershipFactory(circle=family, user=friend)
    club = services.circle_create(creator=friend, name="Book club")
    MembershipFactory(circle=club, user=me)
    MembershipFactory(circle=CircleFactory(name="Elsewhere"))  # someone the member cannot see

    mine = services.post_create(author=me, body="Hello family", circle_ids=[family.pk])
    services.post_create(author=me, body="Dear diary")
    photo = services.post_create(author=me, body="A photo", circle_ids=[family.pk, club.pk], images=[image_upload()])
    theirs = services.post_create(author=friend, body="Hello club", circle_ids=[club.pk])
    my_comment = services.comment_create(post=theirs, author=me, body="Nice")
    their_comment = services.comment_create(post=mine, author=friend, body="Thanks")
    services.reaction_add(post=mine, user=friend, emoji=Emoji.HEART)
    services.reaction_add(post=theirs, user=me, emoji=Emoji.PARTY)
    invitation = services.invitation_create(circle=family, actor=me, max_uses=5)
    token = AccessTokenFactory(user=me)
    # Someone in the family whom the member muted and blocked, and someone banned from it.
    cousin = MembershipFactory(circle=family, user=UserFactory(name="Cousin")).user
    MuteFactory(user=me, muted=cousin)
    BlockFactory(user=me, blocked=cousin)
    banned = BanFactory(circle=family, banned_by=me).user
    report, _ = moderation.report_create(reporter=me, comment=their_comment, reason="spam")

    circles = [family.pk, club.pk]
    posts = [mine.pk, photo.pk, theirs.pk]
    people = [me.pk, friend.pk]
    path_values = {
        "/circles/{id}/": {"id": circles},
        "/circles/{circle_pk}/members/": {"circle_pk": circles},
        "/circles/{circle_pk}/members/{user_pk}/": {"circle_pk": circles, "user_pk": people},
        "/circles/{circle_pk}/invitations/": {"circle_pk": circles},
        "/circles/{circle_pk}/invitations/{id}/": {"circle_pk": [family.pk], "id": [invitation.pk]},
        "/circles/{circle_pk}/posts/": {"circle_pk": circles},
        "/invitations/{token}/": {"token": [invitation.token]},
        "/invitations/{token}/accept/": {"token": [invitation.token]},
        "/posts/{id}/": {"id": posts},
        "/posts/{post_pk}/audience/": {"post_pk": posts},
        "/posts/{post_pk}/comments/": {"post_pk": posts},
        "/posts/{post_pk}/reactions/": {"post_pk": posts},
        "/posts/{post_pk}/reactions/{emoji}/": {"post_pk": posts, "emoji": [Emoji.HEART, Emoji.PARTY]},
        "/comments/{id}/": {"id": [my_comment.pk, their_comment.pk]},
        "/users/{id}/": {"id": people},
        "/users/{user_pk}/posts/": {"user_pk": people},
        "/circles/{circle_pk}/posts/{id}/": {"circle_pk": [family.pk], "id": posts},
        "/circles/{circle_pk}/comments/{id}/": {"circle_pk": [family.pk], "id": [my_comment.pk, their_comment.pk]},
        "/circles/{circle_pk}/reports/": {"circle_pk": circles},
        "/circles/{circle_pk}/reports/{id}/dismiss/": {"circle_pk": [family.pk], "id": [report.pk]},
        "/circles/{circle_pk}/bans/": {"circle_pk": circles},
        "/circles/{circle_pk}/bans/{user_pk}/": {"circle_pk": [family.pk], "user_pk": [banned.pk]},
        "/me/mutes/{user_pk}/": {"user_pk": [cousin.pk]},
        "/me/blocks/{user_pk}/": {"user_pk": [cousin.pk]},
    }
    body_fields = {
        "POST /auth/token/": {"email": me.email, "password": TEST_PASSWORD},
        "POST /auth/register/": {"invitation": invitation.token, "password": "a long and unusual passphrase"},
        "POST /posts/": {"circle_ids": circles},
        "PATCH /posts/{id}/": {"circle_ids": [family.pk]},
        # The friend's post and comment: the member may report them.
        "POST /reports/": {"post": str(theirs.pk), "comment": str(their_comment.pk)},
        "POST /circles/{circle_pk}/bans/": {"user": str(friend.pk)},
        "POST /me/mutes/": {"user": str(friend.pk)},
        "POST /me/blocks/": {"user": str(friend.pk)},
    }
    return Member(
        key=token.key,
        path_values={
            f"/api/v1{path}": {name: [str(value) for value in values] for name, values in parameters.items()}
            for path, parameters in path_values.items()
        },
        body_fields={label.replace(" /", " /api/v1/", 1): fields for label, fields in body_fields.items()},
    )


def chance(*parts) -> int:
    """A number from 0 to 99 that depends only on `parts`, so that the same generated request is sent the same way."""
    return zlib.crc32(repr(parts).encode()) % 100


def aim_at_real_objects(case, member):
    """Point three in four generated requests at the member's real objects, field by field."""
    # (A request without a body has a marker object there, whose repr would differ from run to run.)
    body = case.body if isinstance(case.body, dict | list | str | bytes | int | float | bool) else None
    for name, values in member.path_values.get(case.operation.path, {}).items():
        if case.path_parameters and name in case.path_parameters:
            pick = chance(name, case.path_parameters[name], case.query, body)
            if pick < 75:
                case.path_parameters[name] = values[pick % len(values)]
    fields = member.body_fields.get(case.operation.label, {})
    if isinstance(case.body, dict) and fields.keys() & case.body.keys() and chance(case.body) < 75:
        case.body.update({name: value for name, value in fields.items() if name in case.body})


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    database=None,
    # `member` is built once per operation; the rollback below gives every example the same data.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_conforms_to_its_schema(case, member):
    aim_at_real_objects(case, member)
    # Every request runs in a savepoint that is rolled back, so each one finds the member's data as
    # the fixture made it: a request that revokes the token (DELETE /auth/token/), deletes a circle
    # or leaves it changes nothing for the next one, and no operation needs to be excluded.
    with transaction.atomic():
        try:
            case.call_and_validate(
                headers={"Authorization": f"Bearer {member.key}"},
                # A real server always tells the client's address; the abuse limits count by it.
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
                checks=CHECKS,
            )
        finally:
            transaction.set_rollback(True)
