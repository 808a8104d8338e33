"""A report from start to end: reported by a member, found in the admin's queue, hidden, and gone for the circle."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from moderation.models import ModerationAction, Report
from tests.factories import CommentFactory
from timeline import services as timeline

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_report_changelist")
REASON = "Advertising is not allowed here"


def api_as(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def pages_as(person):
    client = Client()
    client.force_login(person)
    return client


def hide_from_the_queue(staff, report, reason):
    client = pages_as(staff)
    assert report in client.get(QUEUE).context["cl"].result_list
    selected = {"action": "hide_content", ACTION_CHECKBOX_NAME: [str(report.pk)]}
    assert client.post(QUEUE, {**selected, "index": "0"}).status_code == 200  # asks for the reason
    assert client.post(QUEUE, {**selected, "confirm": "yes", "reason": reason}).status_code == 302


def test_a_post_reported_in_the_api_and_hidden_in_the_admin_is_gone_for_its_circle(world):
    post = timeline.post_create(author=world.member, body="Cheap watches, DM me", circle_ids=[world.circle.pk])
    CommentFactory(post=post, author=world.admin, body="Is this real?")
    reporter = api_as(world.owner)

    response = reporter.post(reverse("api-reports"), {"post": str(post.pk), "reason": "spam"}, format="json")
    assert response.status_code == 201
    hide_from_the_queue(world.staff, Report.objects.get(pk=response.data["id"]), REASON)

    for person in (world.owner, world.admin):
        api, pages = api_as(person), pages_as(person)
        assert api.get(reverse("api-timeline")).data["results"] == []
        assert api.get(reverse("api-circle-posts", args=[world.circle.pk])).data["results"] == []
        assert api.get(reverse("api-post", args=[post.pk])).status_code == 404
        assert api.get(reverse("api-post-comments", args=[post.pk])).status_code == 404
        assert "Cheap watches" not in pages.get(reverse("home")).content.decode()
        assert pages.get(reverse("post", args=[post.pk])).status_code == 404

    author_api, author_pages = api_as(world.member), pages_as(world.member)
    detail = author_api.get(reverse("api-post", args=[post.pk])).data
    assert (detail["is_hidden"], detail["hidden_reason"], detail["comment_count"]) == (True, REASON, 1)
    home = author_pages.get(reverse("home")).content.decode()
    assert "Cheap watches" in home
    assert f"Hidden by a moderator: {REASON}" in home
    assert Report.objects.get().state == "actioned"
    assert ModerationAction.objects.get().reason == REASON


def test_a_comment_reported_from_its_page_and_hidden_is_gone_from_lists_and_counts(world):
    post = timeline.post_create(author=world.member, body="Family lunch", circle_ids=[world.circle.pk])
    CommentFactory(post=post, author=world.owner, body="Lovely!")
    rude = CommentFactory(post=post, author=world.admin, body="Your cooking is awful")

    sent = pages_as(world.member).post(reverse("comment-report", args=[rude.pk]), {"reason": "harassment"})
    assert sent.status_code == 302
    hide_from_the_queue(world.staff, Report.objects.get(), "Unkind")

    for person in (world.owner, world.member):
        listed = api_as(person).get(reverse("api-post-comments", args=[post.pk])).data["results"]
        assert [comment["body"] for comment in listed] == ["Lovely!"]
        assert api_as(person).get(reverse("api-post", args=[post.pk])).data["comment_count"] == 1
        page = pages_as(person).get(reverse("post", args=[post.pk])).content.decode()
        assert "Your cooking is awful" not in page
        assert "1 comment<" in page

    own = api_as(world.admin).get(reverse("api-post-comments", args=[post.pk])).data["results"]
    assert [(c["body"], c["is_hidden"], c["hidden_reason"]) for c in own] == [
        ("Lovely!", False, ""),
        ("Your cooking is awful", True, "Unkind"),
    ]
    assert (
        "Hidden by a moderator: Unkind" in pages_as(world.admin).get(reverse("post", args=[post.pk])).content.decode()
    )
