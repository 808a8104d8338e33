"""The moderation services: each acts, resolves the open reports of what it acted on, and records itself."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from accounts.models import AccessToken
from moderation import services
from moderation.models import ModerationAction, Report, ReportQuerySet
from tests.factories import (
    AccessTokenFactory,
    CircleFactory,
    CommentFactory,
    PostFactory,
    PostImageFactory,
    ReportFactory,
    UserFactory,
)
from timeline.models import Comment, Post, PostImage

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


@pytest.fixture
def moderator(db):
    return UserFactory(name="Mo Derator", is_staff=True)


@pytest.fixture
def post(db):
    return PostFactory(body="Buy cheap watches at example.com", author__name="Sam Spammer")


def the_entry():
    [entry] = ModerationAction.objects.all()
    return entry


# --- report_create ------------------------------------------------------------------


def test_report_create_refuses_neither_or_both_an_unknown_reason_and_ones_own_content(post):
    comment = CommentFactory()
    reporter = UserFactory()

    with pytest.raises(ValidationError) as neither:
        services.report_create(reporter=reporter, reason="spam")
    with pytest.raises(ValidationError):
        services.report_create(reporter=reporter, reason="spam", post=post, comment=comment)
    with pytest.raises(ValidationError) as unknown:
        services.report_create(reporter=reporter, reason="boring", post=post)
    with pytest.raises(ValidationError) as own:
        services.report_create(reporter=post.author, reason="spam", post=post)

    assert neither.value.messages == [services.REPORT_ONE_THING]
    assert unknown.value.message_dict == {"reason": [services.UNKNOWN_REASON]}
    assert own.value.message_dict == {"post": [services.REPORT_OWN_CONTENT]}
    assert not Report.objects.exists()


def test_report_create_returns_the_open_report_when_it_loses_a_race(post, monkeypatch):
    """Two identical reports at once: the database refuses the second, which then returns the first."""
    reporter = UserFactory()
    first = ReportFactory(post=post, reporter=reporter)
    real_first = ReportQuerySet.first
    calls = []

    def first_after_the_other_committed(queryset):
        calls.append(queryset)
        return None if len(calls) == 1 else real_first(queryset)

    monkeypatch.setattr(ReportQuerySet, "first", first_after_the_other_committed)

    assert services.report_create(reporter=reporter, reason="spam", post=post) == (first, False)
    assert Report.objects.count() == 1


def test_report_create_lets_other_integrity_errors_through(post, monkeypatch):
    def broken_create(**fields):
        raise IntegrityError("something else")

    monkeypatch.setattr(Report.objects, "create", broken_create)

    with pytest.raises(IntegrityError):
        services.report_create(reporter=UserFactory(), reason="spam", post=post)


# --- hiding ---------------------------------------------------------------------------


def test_post_hide_hides_resolves_the_open_reports_and_records_it(moderator, post):
    open_reports = ReportFactory.create_batch(2, post=post)
    closed = ReportFactory(post=post)
    Report.objects.filter(pk=closed.pk).update(state="dismissed", resolved_at="2020-01-01T00:00:00Z")
    elsewhere = ReportFactory()

    services.post_hide(actor=moderator, post=post, reason="  Spam  ")

    post.refresh_from_db()
    assert (post.moderation_state, post.hidden_reason) == ("hidden", "Spam")
    for report in open_reports:
        report.refresh_from_db()
        assert (report.state, report.resolved_by) == ("actioned", moderator)
        assert report.resolved_at is not None
    assert Report.objects.get(pk=closed.pk).state == "dismissed"
    assert Report.objects.get(pk=elsewhere.pk).state == "open"
    entry = the_entry()
    assert (entry.action, entry.target_type, entry.target_id) == (Action.HIDE, "post", post.pk)
    assert (entry.actor, entry.actor_name) == (moderator, f"Mo Derator <{moderator.email}>")
    assert (entry.target_author, entry.target_author_name) == (post.author, f"Sam Spammer <{post.author.email}>")
    assert (entry.target_snapshot, entry.reason, entry.circle) == ("Buy cheap watches at example.com", "Spam", None)


def test_hiding_needs_a_reason_that_fits(moderator, post):
    with pytest.raises(ValidationError) as missing:
        services.post_hide(actor=moderator, post=post, reason="   ")
    with pytest.raises(ValidationError) as long:
        services.post_hide(actor=moderator, post=post, reason="x" * 501)

    assert missing.value.message_dict == {"reason": [services.HIDE_NEEDS_REASON]}
    assert long.value.message_dict == {"reason": [services.REASON_TOO_LONG]}
    assert Post.objects.get(pk=post.pk).moderation_state == "visible"
    assert not ModerationAction.objects.exists()


def test_comment_hide_and_unhide(moderator):
    comment = CommentFactory(body="You are all idiots")
    report = ReportFactory(comment=comment)

    services.comment_hide(actor=moderator, comment=comment, reason="Insults")
    services.comment_unhide(actor=moderator, comment=comment, reason="On appeal")

    comment.refresh_from_db()
    assert (comment.moderation_state, comment.hidden_reason) == ("visible", "")
    assert Report.objects.get(pk=report.pk).state == "actioned"
    entries = list(ModerationAction.objects.order_by("pk").values_list("action", "target_type", "reason"))
    assert entries == [(Action.HIDE, "comment", "Insults"), (Action.UNHIDE, "comment", "On appeal")]


def test_unhiding_dismisses_open_reports_and_records_it(moderator, post):
    services.post_hide(actor=moderator, post=post, reason="Spam")
    report = ReportFactory(post=post)

    services.post_unhide(actor=moderator, post=post)

    assert Report.objects.get(pk=report.pk).state == "dismissed"
    assert Post.objects.get(pk=post.pk).moderation_state == "visible"
    assert ModerationAction.objects.filter(action=Action.UNHIDE).count() == 1


def test_unhiding_what_is_not_hidden_changes_and_records_nothing(moderator, post):
    report = ReportFactory(post=post)

    services.post_unhide(actor=moderator, post=post)

    assert Report.objects.get(pk=report.pk).state == "open"
    assert not ModerationAction.objects.exists()


def test_a_circle_is_recorded_when_a_circle_admin_acts(moderator, post):
    circle = CircleFactory()

    services.post_hide(actor=moderator, post=post, reason="Off topic", circle=circle)

    assert the_entry().circle == circle


# --- deleting -------------------------------------------------------------------------


def test_post_delete_keeps_a_copy_in_the_audit_trail(moderator, post, django_capture_on_commit_callbacks):
    PostImageFactory(post=post)
    ReportFactory(post=post)
    files = [post.images.get().original.name]
    post_id = post.pk

    with django_capture_on_commit_callbacks(execute=True):
        services.post_delete(actor=moderator, post=post, reason="Scam")

    assert not Post.objects.filter(pk=post_id).exists()
    assert not Report.objects.exists()
    entry = the_entry()
    assert (entry.action, entry.target_id, entry.reason) == (Action.DELETE_POST, post_id, "Scam")
    assert entry.target_snapshot == "Buy cheap watches at example.com\n[1 photo]"
    assert entry.target_author == post.author
    assert not PostImage.original.field.storage.exists(files[0])


def test_comment_delete_keeps_a_copy_in_the_audit_trail(moderator):
    comment = CommentFactory(body="Rude words")

    services.comment_delete(actor=moderator, comment=comment)

    assert not Comment.objects.exists()
    entry = the_entry()
    assert (entry.action, entry.target_type, entry.target_snapshot) == (Action.DELETE_COMMENT, "comment", "Rude words")


# --- dismissing -----------------------------------------------------------------------


def test_report_dismiss_closes_every_open_report_of_the_content(moderator, post):
    ReportFactory.create_batch(3, post=post)

    assert services.report_dismiss(actor=moderator, content=post, reason="Fine") == 3

    assert set(Report.objects.values_list("state", flat=True)) == {"dismissed"}
    assert Post.objects.get(pk=post.pk).moderation_state == "visible"
    entry = the_entry()
    assert (entry.action, entry.target_id, entry.reason) == (Action.DISMISS, post.pk, "Fine")


def test_dismissing_nothing_records_nothing(moderator, post):
    assert services.report_dismiss(actor=moderator, content=post) == 0
    assert not ModerationAction.objects.exists()


# --- suspending -----------------------------------------------------------------------


def test_user_suspend_ends_sessions_and_tokens_and_resolves_the_reports(moderator, post, client):
    author = post.author
    client.force_login(author)
    AccessTokenFactory(user=author)
    report = ReportFactory(post=post)
    other = ReportFactory(post=PostFactory(author=author))

    services.user_suspend(actor=moderator, user=author, reason="Spam account", contents=[post])

    author.refresh_from_db()
    assert not author.is_active
    assert not author.sessions.exists()
    assert not AccessToken.objects.filter(user=author).exists()
    assert Report.objects.get(pk=report.pk).state == "actioned"
    assert Report.objects.get(pk=other.pk).state == "open"  # still to look at
    entry = the_entry()
    assert (entry.action, entry.target_type, entry.target_id) == (Action.SUSPEND, "user", author.pk)
    assert entry.target_snapshot == f"Sam Spammer <{author.email}>"
    assert (entry.target_author, entry.reason) == (author, "Spam account")


def test_user_suspend_refuses_oneself_and_staff(moderator):
    with pytest.raises(PermissionDenied, match=services.CANNOT_SUSPEND_SELF):
        services.user_suspend(actor=moderator, user=moderator)
    with pytest.raises(PermissionDenied, match="Staff accounts"):
        services.user_suspend(actor=moderator, user=UserFactory(is_staff=True))
    assert not ModerationAction.objects.exists()


def test_user_reactivate_is_recorded(moderator, post):
    services.user_suspend(actor=moderator, user=post.author)

    services.user_reactivate(actor=moderator, user=post.author, reason="Appeal accepted")

    post.author.refresh_from_db()
    assert post.author.is_active
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.SUSPEND,
        Action.REACTIVATE,
    ]
