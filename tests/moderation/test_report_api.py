"""POST /api/v1/reports/: who may report what, repeats, and bad input."""

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from circleshare.api.serializers import INVALID_ID, UNKNOWN_FIELD
from moderation import services
from moderation.models import Report
from tests.factories import CommentFactory, ReportFactory
from timeline import services as timeline

pytestmark = pytest.mark.django_db

URL = reverse("api-reports")
AUTHOR = "member"  # world.member writes the post; world.owner the comment under it
EVERYONE = ["owner", "admin", "member", "removed", "outsider", "staff", "anonymous"]


@pytest.fixture
def post(world):
    return timeline.post_create(author=world.member, body="Hello, family!", circle_ids=[world.circle.pk])


@pytest.fixture
def comment(world, post):
    return CommentFactory(post=post, author=world.owner, body="Hello to you")


def deleted_pk(obj):
    pk = obj.pk
    obj.delete()
    return pk


def report(client, **payload):
    return client.post(URL, {"reason": "spam", **payload}, format="json")


def expected(kind, *, allowed, own):
    if kind == "anonymous":
        return 401
    if kind == own:
        return 400
    return 201 if kind in allowed else 404


# --- who may report ---------------------------------------------------------------


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_post_is_reported_by_those_who_see_it_except_its_author(client_as, world, post, kind):
    response = report(client_as(kind), post=str(post.pk))

    assert response.status_code == expected(kind, allowed=["owner", "admin"], own=AUTHOR)
    assert Report.objects.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert Report.objects.get().reporter == world.person(kind)
    if response.status_code == 400:
        assert response.data == {"post": [services.REPORT_OWN_CONTENT]}


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_comment_is_reported_by_those_who_see_it_except_its_author(client_as, world, comment, kind):
    response = report(client_as(kind), comment=str(comment.pk))

    assert response.status_code == expected(kind, allowed=["admin", "member"], own="owner")
    assert Report.objects.count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 400:
        assert response.data == {"comment": [services.REPORT_OWN_CONTENT]}


@pytest.mark.parametrize("field", ["post", "comment"])
def test_what_one_cannot_see_answers_exactly_like_what_does_not_exist(client_as, world, post, comment, field):
    gone = deleted_pk(
        CommentFactory(post=post) if field == "comment" else timeline.post_create(author=world.owner, body="Soon gone")
    )
    target = comment if field == "comment" else post
    client = client_as("outsider")

    invisible = report(client, **{field: str(target.pk)})
    missing = report(client, **{field: str(gone)})

    assert invisible.status_code == missing.status_code == 404
    assert invisible.data == missing.data
    assert not Report.objects.exists()


def test_a_journal_entry_cannot_be_reported_by_anyone_else(client_as, world):
    journal = timeline.post_create(author=world.member, body="Dear diary")

    for kind in ["owner", "admin", "outsider", "staff"]:
        assert report(client_as(kind), post=str(journal.pk)).status_code == 404, kind
    assert not Report.objects.exists()


def test_hidden_content_cannot_be_reported_any_more(client_as, world, post, comment):
    services.comment_hide(actor=world.staff, comment=comment, reason="Rude")
    assert report(client_as("admin"), comment=str(comment.pk)).status_code == 404

    services.post_hide(actor=world.staff, post=post, reason="Rude")
    assert report(client_as("admin"), post=str(post.pk)).status_code == 404
    assert not Report.objects.exists()


def test_a_removed_member_can_no_longer_report(client_as, world, post):
    client = client_as("admin")
    assert report(client, post=str(post.pk)).status_code == 201

    timeline.membership_remove(circle=world.circle, actor=world.owner, user=world.admin)
    Report.objects.all().delete()

    assert report(client, post=str(post.pk)).status_code == 404
    assert not Report.objects.exists()


# --- what a report says ----------------------------------------------------------


def test_report_answers_with_the_report_ids_as_strings(client_as, world, post):
    response = client_as("owner").post(
        URL, {"post": str(post.pk), "reason": "harassment", "details": "  Mean to my sister  "}, format="json"
    )

    saved = Report.objects.get()
    assert response.status_code == 201
    assert set(response.data) == {"id", "post", "comment", "reason", "details", "state", "created_at"}
    assert response.data["id"] == str(saved.pk)
    assert (response.data["post"], response.data["comment"]) == (str(post.pk), None)
    assert (response.data["reason"], response.data["details"], response.data["state"]) == (
        "harassment",
        "Mean to my sister",
        "open",
    )
    assert parse_datetime(response.data["created_at"]) == saved.created_at
    assert (saved.post, saved.comment, saved.reporter) == (post, None, world.owner)


def test_a_comment_report_names_the_comment(client_as, comment):
    response = report(client_as("admin"), comment=comment.pk)  # an integer is accepted as well

    assert response.status_code == 201
    assert (response.data["post"], response.data["comment"]) == (None, str(comment.pk))


def test_reporting_again_while_the_report_is_open_returns_it_without_a_second(client_as, post):
    client = client_as("owner")

    first = report(client, post=str(post.pk))
    again = client.post(URL, {"post": str(post.pk), "reason": "other", "details": "Again"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data == first.data
    assert Report.objects.count() == 1


def test_others_reports_of_the_same_post_are_separate(client_as, post):
    report(client_as("owner"), post=str(post.pk))
    report(client_as("admin"), post=str(post.pk))

    assert Report.objects.count() == 2


def test_a_new_report_may_follow_a_resolved_one(client_as, world, post):
    client = client_as("owner")
    first = report(client, post=str(post.pk))
    services.report_dismiss(actor=world.staff, content=post)

    second = report(client, post=str(post.pk))

    assert second.status_code == 201
    assert second.data["id"] != first.data["id"]
    assert second.data["state"] == "open"


def test_the_reporter_never_learns_what_moderators_decided(client_as, world, post):
    """A repeat after a dismissal is a new open report, not the closed one."""
    client = client_as("owner")
    report(client, post=str(post.pk))
    services.report_dismiss(actor=world.staff, content=post)

    assert report(client, post=str(post.pk)).data["state"] == "open"


def test_reports_are_limited_per_person(client_as, settings, world):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report_create_user": "2/d"}
    posts = [
        timeline.post_create(author=world.member, body=f"Post {n}", circle_ids=[world.circle.pk]) for n in range(3)
    ]
    client = client_as("owner")

    statuses = [report(client, post=str(post.pk)).status_code for post in posts]
    repeat = report(client, post=str(posts[0].pk))

    assert statuses == [201, 201, 429]
    assert repeat.status_code == 200  # a repeat creates nothing, so it is not limited
    assert Report.objects.count() == 2


# --- bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"reason"}),
        ({"reason": "spam"}, {"non_field_errors"}),
        ({"post": "POST", "comment": "POST", "reason": "spam"}, {"non_field_errors"}),
        ({"post": "POST", "reason": "rude"}, {"reason"}),
        ({"post": "POST", "reason": ""}, {"reason"}),
        ({"post": "POST", "reason": None}, {"reason"}),
        ({"post": "POST", "reason": ["spam"]}, {"reason"}),
        ({"post": "POST", "reason": 1}, {"reason"}),
        ({"post": True, "reason": "spam"}, {"post"}),
        ({"post": None, "reason": "spam"}, {"post"}),
        ({"post": "", "reason": "spam"}, {"post"}),
        ({"post": "12abc", "reason": "spam"}, {"post"}),
        ({"post": "-1", "reason": "spam"}, {"post"}),
        ({"post": 1.5, "reason": "spam"}, {"post"}),
        ({"post": "9" * 19, "reason": "spam"}, {"post"}),
        ({"post": ["1"], "reason": "spam"}, {"post"}),
        ({"post": {"id": "1"}, "reason": "spam"}, {"post"}),
        ({"comment": "x", "reason": "spam"}, {"comment"}),
        ({"post": "POST", "reason": "spam", "details": "x" * 1001}, {"details"}),
        ({"post": "POST", "reason": "spam", "details": ["x"]}, {"details"}),
        ({"post": "POST", "reason": "spam", "reporter": "1"}, {"reporter"}),
        ({"post": "POST", "reason": "spam", "state": "dismissed"}, {"state"}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_reported(client_as, post, payload, errors):
    payload = {key: str(post.pk) if value == "POST" else value for key, value in payload.items()}

    response = client_as("owner").post(URL, payload, format="json")

    assert response.status_code == 400
    assert set(response.data) == errors
    assert not Report.objects.exists()


def test_an_id_that_is_not_one_says_so(client_as, post):
    response = report(client_as("owner"), post="twelve")

    assert response.data == {"post": [INVALID_ID]}


def test_both_or_neither_says_to_give_one(client_as, post, comment):
    response = report(client_as("admin"), post=str(post.pk), comment=str(comment.pk))

    assert response.data == {"non_field_errors": [services.REPORT_ONE_THING]}


def test_unknown_fields_are_named(client_as, post):
    response = report(client_as("owner"), post=str(post.pk), reasons="spam")

    assert response.data == {"reasons": [UNKNOWN_FIELD]}


@pytest.mark.parametrize("body", ["{", "[]", '"spam"', "null", "{'post': 1}"])
def test_malformed_json_is_refused(client_as, post, body):
    response = client_as("owner").post(URL, body, content_type="application/json")

    assert response.status_code == 400
    assert not Report.objects.exists()


def test_other_media_types_are_refused(client_as, post):
    response = client_as("owner").post(URL, "post=1&reason=spam", content_type="text/plain")

    assert response.status_code == 415
    assert not Report.objects.exists()


def test_only_post_is_allowed(client_as):
    assert client_as("owner").get(URL).status_code == 405


def test_reports_of_someone_else_stay_out_of_the_way_of_a_new_one(client_as, world, post):
    ReportFactory(post=post, reporter=world.admin)

    assert report(client_as("owner"), post=str(post.pk)).status_code == 201
