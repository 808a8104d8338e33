"""Reporting from the browser: the Report buttons, the form, and who may use it."""

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import Report
from moderation.views import ALREADY_REPORTED, REPORT_RECEIVED
from tests.factories import CommentFactory
from timeline import services as timeline

pytestmark = pytest.mark.django_db

IN_CIRCLE = ["owner", "admin", "member"]
NOT_IN_CIRCLE = ["removed", "outsider", "staff"]


@pytest.fixture
def post(world):
    return timeline.post_create(author=world.member, body="Our secret picnic", circle_ids=[world.circle.pk])


@pytest.fixture
def comment(world, post):
    return CommentFactory(post=post, author=world.owner, body="A secret comment")


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_post_report_page_is_for_those_who_see_the_post(page_as, post, kind):
    response = page_as(kind).get(reverse("post-report", args=[post.pk]))

    if kind == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif kind == "member":  # the author
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if kind in IN_CIRCLE else 404)
    if response.status_code == 404:
        assert b"secret picnic" not in response.content


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE])
def test_comment_report_page_is_for_those_who_see_the_comment(page_as, comment, kind):
    response = page_as(kind).get(reverse("comment-report", args=[comment.pk]))

    expected = 302 if kind == "owner" else 200 if kind in IN_CIRCLE else 404
    assert response.status_code == expected
    if response.status_code == 404:
        assert b"secret comment" not in response.content


def test_report_form_offers_the_reasons_and_shows_what_is_reported(page_as, world, post):
    response = page_as("owner").get(reverse("post-report", args=[post.pk]))

    content = response.content.decode()
    assert "Report this post" in content
    assert "Our secret picnic" in content
    for reason in Report.Reason:
        assert f'value="{reason.value}"' in content
        assert reason.label in content
    assert 'role="radiogroup"' in content
    assert "Send the report" in content


def test_reporting_a_post_thanks_the_reporter_and_goes_back_to_it(page_as, world, post):
    response = page_as("owner").post(
        reverse("post-report", args=[post.pk]), {"reason": "offensive", "details": "Not nice"}, follow=True
    )

    assert response.redirect_chain[-1][0] == post.get_absolute_url()
    assert messages_of(response) == [REPORT_RECEIVED]
    saved = Report.objects.get()
    assert (saved.post, saved.reporter, saved.reason, saved.details) == (post, world.owner, "offensive", "Not nice")


def test_reporting_a_comment_goes_back_to_the_comment(page_as, world, comment):
    response = page_as("admin").post(reverse("comment-report", args=[comment.pk]), {"reason": "spam"})

    assert response["Location"] == reverse("post", args=[comment.post_id]) + f"#comment-{comment.pk}"
    assert Report.objects.get().comment == comment


def test_reporting_twice_says_it_was_already_reported(page_as, post):
    client = page_as("owner")
    first = client.post(reverse("post-report", args=[post.pk]), {"reason": "spam"}, follow=True)

    response = client.post(reverse("post-report", args=[post.pk]), {"reason": "other"}, follow=True)

    assert messages_of(first) == [REPORT_RECEIVED]

    assert messages_of(response) == [ALREADY_REPORTED]
    assert Report.objects.count() == 1


def test_a_report_without_a_reason_is_asked_again(page_as, post):
    response = page_as("owner").post(reverse("post-report", args=[post.pk]), {"details": "Hmm"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Report.objects.exists()


def test_reporting_ones_own_post_is_refused_with_a_message(page_as, post):
    response = page_as("member").post(reverse("post-report", args=[post.pk]), {"reason": "spam"}, follow=True)

    assert messages_of(response) == [services.REPORT_OWN_CONTENT]
    assert not Report.objects.exists()


@pytest.mark.parametrize("kind", NOT_IN_CIRCLE)
def test_posting_a_report_of_what_one_cannot_see_is_404(page_as, post, comment, kind):
    client = page_as(kind)

    assert client.post(reverse("post-report", args=[post.pk]), {"reason": "spam"}).status_code == 404
    assert client.post(reverse("comment-report", args=[comment.pk]), {"reason": "spam"}).status_code == 404
    assert not Report.objects.exists()


def test_report_pages_are_limited_per_person_with_a_message(page_as, settings, post):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "report_create_user": "0/d"}

    response = page_as("owner").post(reverse("post-report", args=[post.pk]), {"reason": "spam"}, follow=True)

    assert messages_of(response)[0].startswith("Too many attempts")
    assert not Report.objects.exists()


def test_report_buttons_are_on_others_posts_and_comments_only(page_as, world, post, comment):
    own_comment = CommentFactory(post=post, author=world.admin, body="My own comment")
    post_report = reverse("post-report", args=[post.pk])

    as_admin = page_as("admin").get(reverse("post", args=[post.pk])).content.decode()
    assert post_report in as_admin
    assert reverse("comment-report", args=[comment.pk]) in as_admin
    assert reverse("comment-report", args=[own_comment.pk]) not in as_admin
    assert post_report in page_as("admin").get(reverse("home")).content.decode()

    as_author = page_as("member").get(reverse("post", args=[post.pk])).content.decode()
    assert post_report not in as_author
    assert post_report not in page_as("member").get(reverse("home")).content.decode()
