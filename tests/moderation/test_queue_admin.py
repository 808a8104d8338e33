"""The moderation queue in the Django admin: what it lists, how it filters, and every action, through its own views."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from moderation import services
from moderation.models import ModerationAction, Report
from tests.factories import (
    CircleFactory,
    CommentFactory,
    MembershipFactory,
    PostFactory,
    ReportFactory,
    UserFactory,
)
from timeline import services as timeline
from timeline.models import Comment, Post

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:moderation_report_changelist")
Action = ModerationAction.Action


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.staff)
    return client


@dataclass
class Queue:
    post: Post  # world.member's, in Family, reported twice
    comment: Comment  # world.admin's, under the post, reported once
    far_post: Post  # in another circle, reported once
    post_reports: list[Report]
    comment_report: Report
    far_report: Report
    closed: Report  # an older, dismissed report of the far post


@pytest.fixture
def queue(world):
    post = timeline.post_create(author=world.member, body="Buy cheap watches", circle_ids=[world.circle.pk])
    comment = CommentFactory(post=post, author=world.admin, body="You are all fools")
    club = CircleFactory(name="Book club")
    reader = MembershipFactory(circle=club, user__name="Rita Reader").user
    far_post = PostFactory(author=reader, body="Spoilers for the last chapter", circles=[club])
    closed = ReportFactory(post=far_post, reason=Report.Reason.OTHER)
    Report.objects.filter(pk=closed.pk).update(state=Report.State.DISMISSED, resolved_at=timezone.now())
    post_reports = [
        ReportFactory(post=post, reporter=world.owner, reason=Report.Reason.SPAM),
        ReportFactory(post=post, reporter=world.admin, reason=Report.Reason.SPAM, details="Again and again"),
    ]
    comment_report = ReportFactory(comment=comment, reporter=world.member, reason=Report.Reason.HARASSMENT)
    far_report = ReportFactory(post=far_post, reason=Report.Reason.OFFENSIVE)
    return Queue(post, comment, far_post, post_reports, comment_report, far_report, Report.objects.get(pk=closed.pk))


def listed(response):
    return list(response.context["cl"].result_list)


def act(client, action, reports, url=QUEUE, **data):
    """Run an admin action on the change list, as its action form does."""
    payload = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in reports], "index": "0", **data}
    return client.post(url, payload)


def confirm(client, action, reports, url=QUEUE, **data):
    """Send an action's intermediate confirmation page, as its form does (without `index`)."""
    payload = {"action": action, ACTION_CHECKBOX_NAME: [str(r.pk) for r in reports], "confirm": "yes", **data}
    return client.post(url, payload)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def refreshed(obj):
    obj.refresh_from_db()
    return obj


# --- the list ------------------------------------------------------------------------


def test_queue_lists_open_reports_first_the_most_reported_content_first_each_contents_together(admin_client, queue):
    rows = listed(admin_client.get(QUEUE))

    assert rows[:2] == queue.post_reports
    assert set(rows[2:4]) == {queue.comment_report, queue.far_report}
    assert rows[4] == queue.closed
    assert [row.open_reports for row in rows] == [2, 2, 1, 1, 1]


def test_queue_shows_the_content_its_author_circles_reason_and_count(admin_client, queue, world):
    content = admin_client.get(QUEUE).content.decode()

    for text in ("Buy cheap watches", "You are all fools", world.member.email, "Family", "Book club", "Harassment"):
        assert text in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"state__exact": "open"}, 4),
        ({"state__exact": "dismissed"}, 1),
        ({"reason__exact": "spam"}, 2),
        ({"reason__exact": "harassment"}, 1),
    ],
)
def test_queue_filters_by_state_and_reason(admin_client, queue, query, expected):
    assert len(listed(admin_client.get(QUEUE, query))) == expected


def test_queue_filters_by_date(admin_client, queue):
    Report.objects.filter(pk=queue.far_report.pk).update(created_at=timezone.now() - timedelta(days=60))
    since = (timezone.now() - timedelta(days=7)).isoformat()

    rows = listed(admin_client.get(QUEUE, {"created_at__gte": since}))

    assert queue.far_report not in rows
    assert len(rows) == 4


def test_queue_filters_by_circle_of_the_post_or_of_the_comments_post(admin_client, queue, world):
    rows = listed(admin_client.get(QUEUE, {"circle": str(world.circle.pk)}))

    assert set(rows) == {*queue.post_reports, queue.comment_report}


def test_circle_filter_lists_only_the_circles_of_open_reports(admin_client, queue, world):
    quiet = CircleFactory(name="Quiet circle")

    choices = admin_client.get(QUEUE).context["cl"].filter_specs[-1].lookup_choices

    assert [name for _, name in choices] == [
        f"Book club (#{queue.far_post.circles.get().pk})",
        f"Family (#{world.circle.pk})",
    ]
    assert str(quiet.pk) not in dict(choices)


def test_circle_filter_takes_any_circle_by_id_and_shows_it_chosen(admin_client, queue):
    quiet = CircleFactory(name="Quiet circle")
    PostFactory(circles=[quiet])

    response = admin_client.get(QUEUE, {"circle": str(quiet.pk)})

    assert listed(response) == []
    assert f"Quiet circle (#{quiet.pk})" in dict(response.context["cl"].filter_specs[-1].lookup_choices).values()


@pytest.mark.parametrize("value", ["abc", "9" * 30, "-1"])
def test_circle_filter_with_a_value_that_is_no_id_lists_nothing(admin_client, queue, value):
    response = admin_client.get(QUEUE, {"circle": value})

    assert response.status_code == 200
    assert listed(response) == []


def test_circle_filter_stays_bounded_with_many_circles(admin_client, world, settings):
    circles = CircleFactory.create_batch(60)
    for circle in circles:
        ReportFactory(post=PostFactory(circles=[circle]))

    choices = admin_client.get(QUEUE).context["cl"].filter_specs[-1].lookup_choices

    assert len(choices) == 50


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("watches", "post"),
        ("fools", "comment"),
        ("spoilers", "far"),
        ("Rita Reader", "far"),
        ("again and again", "details"),
    ],
)
def test_queue_searches_authors_and_text(admin_client, queue, term, expected):
    rows = listed(admin_client.get(QUEUE, {"q": term}))

    reports = {
        "post": queue.post_reports,
        "details": queue.post_reports[1:],
        "comment": [queue.comment_report],
        "far": [queue.far_report, queue.closed],
    }
    assert set(rows) == set(reports[expected])


def test_queue_searches_author_email(admin_client, queue, world):
    assert set(listed(admin_client.get(QUEUE, {"q": world.admin.email}))) == {queue.comment_report}


def test_queue_list_costs_the_same_queries_for_any_number_of_reports(
    admin_client, world, django_assert_max_num_queries
):
    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(QUEUE).status_code == 200
        return len(queries)

    ReportFactory(post=PostFactory(circles=[world.circle]))
    ReportFactory(comment=CommentFactory(post=PostFactory(circles=[world.circle])))
    few = page_queries()
    for n in range(30):
        circle = CircleFactory()
        post = PostFactory(circles=[circle, world.circle])
        ReportFactory(post=post) if n % 2 else ReportFactory(comment=CommentFactory(post=post))

    assert page_queries() == few
    # The session and its user, the count, the reports (with their content and authors), the circles of
    # the posts and of the comments' posts, and the circles the filter offers.
    with django_assert_max_num_queries(7):
        admin_client.get(QUEUE)


def test_audit_list_costs_the_same_queries_for_any_number_of_entries(admin_client, world):
    def page_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:moderation_moderationaction_changelist")).status_code == 200
        return len(queries)

    post = PostFactory(circles=[world.circle])
    services.post_hide(actor=world.staff, post=post, reason="Spam")
    few = page_queries()
    for n in range(20):
        services.post_hide(actor=world.staff, post=PostFactory(), reason=f"Spam {n}", circle=CircleFactory())

    assert page_queries() == few


# --- the report page ---------------------------------------------------------------------


def test_report_page_shows_the_content_its_author_other_reports_and_history(admin_client, queue, world):
    earlier = PostFactory(author=world.member, body="An older rant")
    ReportFactory(post=earlier, reason=Report.Reason.OFFENSIVE)
    services.post_hide(actor=world.staff, post=earlier, reason="Rant")

    response = admin_client.get(reverse("admin:moderation_report_change", args=[queue.post_reports[0].pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Buy cheap watches" in content
    assert world.member.email in content
    assert "Family" in content
    assert "Again and again" in content  # the other open report of the same post
    assert "An older rant" in content  # an earlier report of the same author
    assert "Rant" in content  # and what moderators did about it
    assert 'name="_save"' not in content
    for action in ("hide_content", "dismiss_reports", "suspend_authors", "delete_content"):
        assert f'value="{action}"' in content
    assert 'value="unhide_content"' not in content  # nothing to unhide


def test_report_page_buttons_run_the_action_on_this_report(admin_client, queue):
    report = queue.comment_report

    page = act(admin_client, "hide_content", [report])
    done = confirm(admin_client, "hide_content", [report], reason="Insults")

    assert page.status_code == 200
    assert done.status_code == 302
    assert refreshed(queue.comment).is_hidden
    assert not refreshed(queue.post).is_hidden


def test_reports_are_neither_added_nor_deleted_in_the_admin(admin_client, queue):
    report = queue.post_reports[0]

    assert admin_client.get(reverse("admin:moderation_report_add")).status_code == 403
    assert admin_client.post(reverse("admin:moderation_report_delete", args=[report.pk])).status_code == 403
    assert Report.objects.filter(pk=report.pk).exists()


# --- actions -------------------------------------------------------------------------------


def test_hide_asks_for_a_reason_suggested_by_the_reports_then_hides(admin_client, queue, world):
    page = act(admin_client, "hide_content", queue.post_reports)

    assert page.status_code == 200
    assert page.context["form"]["reason"].value() == "Spam"
    assert not refreshed(queue.post).is_hidden

    done = confirm(admin_client, "hide_content", queue.post_reports, reason="Advertising")

    assert done.status_code == 302
    assert messages_of(done) == ["Hid 1 post; their open reports are resolved."]
    post = refreshed(queue.post)
    assert (post.moderation_state, post.hidden_reason) == ("hidden", "Advertising")
    assert {refreshed(r).state for r in queue.post_reports} == {"actioned"}
    assert {refreshed(r).resolved_by for r in queue.post_reports} == {world.staff}
    assert refreshed(queue.comment_report).state == "open"
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.target_id, entry.reason, entry.actor) == (
        Action.HIDE,
        post.pk,
        "Advertising",
        world.staff,
    )


def test_hide_without_a_reason_asks_again(admin_client, queue):
    response = confirm(admin_client, "hide_content", [queue.comment_report], reason="  ")

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert not refreshed(queue.comment).is_hidden
    assert not ModerationAction.objects.exists()


def test_hide_several_contents_at_once(admin_client, queue):
    reports = [*queue.post_reports, queue.comment_report, queue.far_report]

    done = confirm(admin_client, "hide_content", reports, reason="Cleaning up")

    assert messages_of(done) == ["Hid 2 posts and 1 comment; their open reports are resolved."]
    assert all(refreshed(content).is_hidden for content in (queue.post, queue.comment, queue.far_post))
    assert ModerationAction.objects.filter(action=Action.HIDE).count() == 3
    assert Report.objects.open().count() == 0


def test_unhide_shows_the_content_again(admin_client, queue, world):
    services.post_hide(actor=world.staff, post=queue.post, reason="Spam")

    response = act(admin_client, "unhide_content", [queue.post_reports[0], queue.comment_report])

    assert response.status_code == 302
    assert messages_of(response) == ["Unhid 1 post."]
    assert not refreshed(queue.post).is_hidden
    assert ModerationAction.objects.filter(action=Action.UNHIDE).count() == 1


def test_dismiss_closes_every_open_report_of_the_content(admin_client, queue):
    response = act(admin_client, "dismiss_reports", [queue.post_reports[0]])

    assert messages_of(response) == ["Dismissed 2 reports."]
    assert {refreshed(r).state for r in queue.post_reports} == {"dismissed"}
    assert not refreshed(queue.post).is_hidden
    assert ModerationAction.objects.get().action == Action.DISMISS


def test_suspend_asks_to_confirm_then_suspends_the_author(admin_client, queue, world):
    page = act(admin_client, "suspend_authors", queue.post_reports)
    assert page.status_code == 200
    assert world.member.email in page.content.decode()
    assert refreshed(world.member).is_active

    done = confirm(admin_client, "suspend_authors", queue.post_reports, reason="Spam account")

    assert messages_of(done) == ["Suspended 1 person."]
    assert not refreshed(world.member).is_active
    assert {refreshed(r).state for r in queue.post_reports} == {"actioned"}
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.target_type, entry.target_id, entry.reason) == (
        Action.SUSPEND,
        "user",
        world.member.pk,
        "Spam account",
    )


def test_suspend_refuses_staff_authors_with_a_message(admin_client, queue, world):
    User.objects.filter(pk=world.admin.pk).update(is_staff=True)

    done = confirm(admin_client, "suspend_authors", [queue.comment_report], reason="")

    assert services.CANNOT_SUSPEND_STAFF in messages_of(done)
    assert refreshed(world.admin).is_active
    assert refreshed(queue.comment_report).state == "open"


def test_delete_asks_to_confirm_then_deletes_and_keeps_the_text_in_the_audit(admin_client, queue):
    page = act(admin_client, "delete_content", [queue.comment_report])
    assert page.status_code == 200
    assert "You are all fools" in page.content.decode()
    assert Comment.objects.filter(pk=queue.comment.pk).exists()

    done = confirm(admin_client, "delete_content", [queue.comment_report], reason="Abuse")

    assert messages_of(done) == ["Deleted 1 comment."]
    assert not Comment.objects.filter(pk=queue.comment.pk).exists()
    assert not Report.objects.filter(pk=queue.comment_report.pk).exists()
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.target_snapshot, entry.reason) == (Action.DELETE_COMMENT, "You are all fools", "Abuse")
    audit = admin_client.get(reverse("admin:moderation_moderationaction_changelist"), {"q": "fools"})
    assert listed(audit) == [entry]


# --- hide and unhide in the posts' and comments' own admins ----------------------------------------


def test_post_admin_hides_with_a_reason_and_unhides(admin_client, world):
    post = PostFactory(author=world.member, body="Off-topic rant", circles=[world.circle])
    url = reverse("admin:timeline_post_changelist")

    page = act(admin_client, "hide_selected", [post], url=url)
    assert page.status_code == 200
    confirm(admin_client, "hide_selected", [post], url=url, reason="Rant")
    assert refreshed(post).hidden_reason == "Rant"

    act(admin_client, "unhide_selected", [post], url=url)
    assert not refreshed(post).is_hidden
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.HIDE,
        Action.UNHIDE,
    ]


def test_comment_admin_hides_with_a_reason(admin_client, world):
    comment = CommentFactory(body="Rude")
    url = reverse("admin:timeline_comment_changelist")

    confirm(admin_client, "hide_selected", [comment], url=url, reason="Rude")

    assert refreshed(comment).is_hidden
    assert ModerationAction.objects.get().target_type == "comment"


def test_moderation_state_is_changed_only_by_the_actions(admin_client, world):
    post = PostFactory(author=world.member, body="Hello")
    url = reverse("admin:timeline_post_change", args=[post.pk])

    form = admin_client.get(url).context["adminform"].form

    assert "moderation_state" not in form.fields
    assert "hidden_reason" not in form.fields


def test_deleting_in_the_posts_admin_is_recorded(admin_client, world):
    post = PostFactory(author=world.member, body="Delete me")
    comment = CommentFactory(body="Me too")

    admin_client.post(reverse("admin:timeline_post_delete", args=[post.pk]), {"post": "yes"})
    confirm_delete = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(comment.pk)], "post": "yes"}
    admin_client.post(reverse("admin:timeline_comment_changelist"), confirm_delete)

    assert not Post.objects.filter(pk=post.pk).exists()
    assert not Comment.objects.filter(pk=comment.pk).exists()
    snapshots = set(ModerationAction.objects.values_list("action", "target_snapshot"))
    assert snapshots == {(Action.DELETE_POST, "Delete me"), (Action.DELETE_COMMENT, "Me too")}


# --- the audit trail --------------------------------------------------------------------------------


def test_audit_trail_is_read_only_even_for_superusers(admin_client, world):
    services.post_hide(actor=world.staff, post=PostFactory(), reason="Spam")
    entry = ModerationAction.objects.get()
    change = reverse("admin:moderation_moderationaction_change", args=[entry.pk])

    assert admin_client.get(reverse("admin:moderation_moderationaction_add")).status_code == 403
    assert admin_client.get(change).status_code == 200  # to read
    assert 'name="_save"' not in admin_client.get(change).content.decode()
    assert admin_client.post(change, {"reason": "Changed"}).status_code == 403
    assert admin_client.post(reverse("admin:moderation_moderationaction_delete", args=[entry.pk])).status_code == 403
    bulk = {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(entry.pk)], "post": "yes"}
    admin_client.post(reverse("admin:moderation_moderationaction_changelist"), bulk)
    assert refreshed(entry).reason == "Spam"


def test_audit_trail_filters_by_action_and_searches(admin_client, world):
    post = PostFactory(body="Watches for sale", author=UserFactory(name="Sam Spammer"))
    services.post_hide(actor=world.staff, post=post, reason="Advertising")
    services.user_suspend(actor=world.staff, user=post.author, reason="Spam account")
    url = reverse("admin:moderation_moderationaction_changelist")

    assert [e.action for e in listed(admin_client.get(url, {"action__exact": "suspend"}))] == [Action.SUSPEND]
    assert [e.action for e in listed(admin_client.get(url, {"q": "watches"}))] == [Action.HIDE]
    assert len(listed(admin_client.get(url, {"q": "Sam Spammer"}))) == 2
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0).isoformat()
    assert len(listed(admin_client.get(url, {"created_at__gte": today}))) == 2
