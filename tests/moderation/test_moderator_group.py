"""The "moderator" group made by a migration: enough to work the queue, nothing more."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.urls import reverse

from moderation.models import ModerationAction, Report
from tests.factories import CommentFactory, PostFactory, ReportFactory, UserFactory
from timeline.models import Comment, Post

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_report_changelist")
EXPECTED = {
    "accounts.change_user",
    "accounts.view_user",
    "moderation.change_report",
    "moderation.view_moderationaction",
    "moderation.view_report",
    "timeline.change_comment",
    "timeline.change_post",
    "timeline.delete_comment",
    "timeline.delete_post",
    "timeline.view_comment",
    "timeline.view_post",
}


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def run(client, action, reports, **data):
    payload = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in reports], "index": "0", **data}
    return client.post(QUEUE, payload)


def confirmed(client, action, reports, **data):
    payload = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in reports], "confirm": "yes", **data}
    return client.post(QUEUE, payload)


def test_the_group_has_exactly_the_permissions_moderators_need():
    group = Group.objects.get(name="moderator")

    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    assert granted == EXPECTED


def test_a_moderator_works_the_queue(moderator_client):
    report = ReportFactory(post=PostFactory(body="Spam here"))

    assert moderator_client.get(QUEUE).status_code == 200
    page = moderator_client.get(reverse("admin:moderation_report_change", args=[report.pk]))
    assert page.status_code == 200
    assert "Spam here" in page.content.decode()
    queue = moderator_client.get(QUEUE).content.decode()
    for action in ("hide_content", "unhide_content", "dismiss_reports", "suspend_authors", "delete_content"):
        assert f'value="{action}"' in queue


def test_a_moderator_runs_every_action(moderator_client, moderator):
    hidden, dismissed, suspended, deleted = (ReportFactory(post=PostFactory()) for _ in range(4))

    run(moderator_client, "hide_content", [hidden])
    confirmed(moderator_client, "hide_content", [hidden], reason="Spam")
    assert Post.objects.get(pk=hidden.post_id).is_hidden
    run(moderator_client, "unhide_content", [hidden])
    assert not Post.objects.get(pk=hidden.post_id).is_hidden
    run(moderator_client, "dismiss_reports", [dismissed])
    assert Report.objects.get(pk=dismissed.pk).state == "dismissed"
    confirmed(moderator_client, "suspend_authors", [suspended], reason="")
    assert not Post.objects.get(pk=suspended.post_id).author.is_active
    comment_report = ReportFactory(comment=CommentFactory())
    confirmed(moderator_client, "delete_content", [deleted, comment_report], reason="")
    assert not Post.objects.filter(pk=deleted.post_id).exists()
    assert not Comment.objects.filter(pk=comment_report.comment_id).exists()

    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["hide", "unhide", "dismiss", "suspend", "delete_post", "delete_comment"]
    assert set(ModerationAction.objects.values_list("actor", flat=True)) == {moderator.pk}


def test_a_moderator_hides_from_the_posts_admin(moderator_client):
    post = PostFactory()
    url = reverse("admin:timeline_post_changelist")

    moderator_client.post(
        url, {"action": "hide_selected", ACTION_CHECKBOX_NAME: [str(post.pk)], "confirm": "yes", "reason": "Spam"}
    )

    assert Post.objects.get(pk=post.pk).is_hidden


def test_a_moderator_reads_the_audit_trail_but_cannot_change_or_delete_it(moderator_client):
    report = ReportFactory(post=PostFactory())
    run(moderator_client, "dismiss_reports", [report])
    entry = ModerationAction.objects.get()
    change = reverse("admin:moderation_moderationaction_change", args=[entry.pk])

    assert moderator_client.get(reverse("admin:moderation_moderationaction_changelist")).status_code == 200
    assert moderator_client.get(change).status_code == 200
    assert moderator_client.post(change, {"reason": "Nothing happened"}).status_code == 403
    assert (
        moderator_client.post(reverse("admin:moderation_moderationaction_delete", args=[entry.pk])).status_code == 403
    )
    assert moderator_client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == ""


def test_a_moderator_cannot_add_or_delete_reports_nor_touch_circles(moderator_client):
    report = ReportFactory(post=PostFactory())

    assert moderator_client.get(reverse("admin:moderation_report_add")).status_code == 403
    assert moderator_client.post(reverse("admin:moderation_report_delete", args=[report.pk])).status_code == 403
    assert moderator_client.get(reverse("admin:timeline_circle_changelist")).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


def test_staff_outside_the_group_cannot_see_the_queue(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(QUEUE).status_code == 403
