"""Moderation by a circle's admins on the circle's page: the Reports and Banned sections and their buttons."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from moderation import services
from moderation.models import Ban, ModerationAction, Report
from tests.factories import CommentFactory, MembershipFactory, ReportFactory, UserFactory
from timeline import services as timeline
from timeline.models import Comment

pytestmark = pytest.mark.django_db

EVERYONE = ["owner", "admin", "member", "removed", "outsider", "staff", "anonymous"]
MANAGERS = ["owner", "admin"]


def expected(kind, ok):
    if kind == "anonymous":
        return 302  # to the login page
    if kind in MANAGERS:
        return ok
    return 403 if kind == "member" else 404


@pytest.fixture
def target(world):
    return MembershipFactory(circle=world.circle, user=UserFactory(name="Tess Target")).user


@pytest.fixture
def post(world, target):
    return timeline.post_create(author=target, body="Buy cheap watches", circle_ids=[world.circle.pk])


@pytest.fixture
def comment(post, target):
    return CommentFactory(post=post, author=target, body="Spam spam spam")


@pytest.fixture
def report(world, post):
    return ReportFactory(post=post, reporter=world.member, details="He sells watches to grandma")


@pytest.mark.parametrize("kind", ["owner", "admin", "member"])
def test_the_reports_and_bans_sections_are_for_managers(page_as, world, report, kind):
    page = page_as(kind).get(reverse("circle", args=[world.circle.pk])).content.decode()

    shown = kind in MANAGERS
    assert ('id="reports-heading"' in page) == shown
    assert ('id="bans-heading"' in page) == shown
    assert ("He sells watches to grandma" in page) == shown
    if shown:
        assert reverse("circle-post-remove", args=[world.circle.pk, report.post_id]) in page
        assert reverse("circle-report-dismiss", args=[world.circle.pk, report.pk]) in page
        assert world.member.name not in page.split('id="reports-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("kind", EVERYONE)
def test_remove_a_post_from_the_circle_page(page_as, world, post, kind):
    client = page_as(kind)
    page_url = reverse("circle-post-remove", args=[world.circle.pk, post.pk])

    asked = client.get(page_url)
    done = client.post(page_url, {"reason": "Spam"})

    assert asked.status_code == expected(kind, 200)
    assert done.status_code == expected(kind, 302)
    removed = kind in MANAGERS
    assert post.audience.filter(circle=world.circle).exists() != removed
    if removed:
        assert done.url == reverse("circle", args=[world.circle.pk]) + "#posts-heading"
        assert ModerationAction.objects.get().reason == "Spam"


@pytest.mark.parametrize("kind", EVERYONE)
def test_ban_a_member_page(page_as, world, target, kind):
    client = page_as(kind)
    page_url = reverse("circle-member-ban", args=[world.circle.pk, target.pk])

    asked = client.get(page_url)
    done = client.post(page_url, {"reason": ""})

    assert asked.status_code == expected(kind, 200)
    assert done.status_code == expected(kind, 302)
    assert Ban.objects.filter(user=target).exists() == (kind in MANAGERS)


@pytest.mark.parametrize("kind", EVERYONE)
def test_unban_button(page_as, world, target, kind):
    services.member_ban(actor=world.owner, circle=world.circle, user=target)

    response = page_as(kind).post(reverse("circle-member-unban", args=[world.circle.pk, target.pk]))

    assert response.status_code == expected(kind, 302)
    assert Ban.objects.filter(user=target).exists() == (kind not in MANAGERS)


@pytest.mark.parametrize("kind", EVERYONE)
def test_dismiss_button(page_as, world, report, kind):
    response = page_as(kind).post(reverse("circle-report-dismiss", args=[world.circle.pk, report.pk]))

    assert response.status_code == expected(kind, 302)
    report.refresh_from_db()
    assert (report.state == Report.State.DISMISSED) == (kind in MANAGERS)


@pytest.mark.parametrize("kind", EVERYONE)
def test_delete_a_comment_page(page_as, world, comment, kind):
    client = page_as(kind)
    page_url = reverse("circle-comment-delete", args=[world.circle.pk, comment.pk])

    asked = client.get(page_url)
    done = client.post(page_url)

    assert asked.status_code == expected(kind, 200)
    assert done.status_code == expected(kind, 302)
    assert Comment.objects.filter(pk=comment.pk).exists() == (kind not in MANAGERS)


def test_an_admin_cannot_ban_the_owner_from_the_page(page_as, world):
    response = page_as("admin").post(
        reverse("circle-member-ban", args=[world.circle.pk, world.owner.pk]), {"reason": ""}, follow=True
    )

    assert escape(timeline.OWNER_STAYS) in response.content.decode()
    assert not Ban.objects.exists()


def test_removing_a_member_from_the_page_is_recorded(page_as, world, target):
    page_as("admin").post(reverse("member-remove", args=[world.circle.pk, target.pk]))

    entry = ModerationAction.objects.get()
    assert (entry.action, entry.circle, entry.target_id) == (
        ModerationAction.Action.REMOVE_MEMBER,
        world.circle,
        target.pk,
    )


def test_deleting_a_post_as_a_circle_admin_from_its_page_removes_it_from_their_circles(page_as, world, post):
    client = page_as("admin")

    asked = client.get(reverse("post-delete", args=[post.pk]))
    client.post(reverse("post-delete", args=[post.pk]))

    assert "Remove this post from “Family”?" in asked.content.decode()
    assert not post.circles.exists()
    assert ModerationAction.objects.get().action == ModerationAction.Action.REMOVE_FROM_CIRCLE
