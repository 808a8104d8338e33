"""What the database itself holds true about reports and the audit trail."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from moderation.models import ModerationAction, Report
from tests.factories import CommentFactory, ModerationActionFactory, PostFactory, ReportFactory, UserFactory

pytestmark = pytest.mark.django_db


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(**fields)


def test_a_report_concerns_exactly_one_post_or_comment():
    reporter, post, comment = UserFactory(), PostFactory(), CommentFactory()

    refused(reporter=reporter, reason="spam")
    refused(reporter=reporter, post=post, comment=comment, reason="spam")
    assert Report.objects.create(reporter=reporter, post=post, reason="spam")
    assert Report.objects.create(reporter=reporter, comment=comment, reason="spam")


def test_one_open_report_per_person_and_thing():
    first = ReportFactory()
    comment_report = ReportFactory(comment=CommentFactory())

    refused(reporter=first.reporter, post=first.post, reason="other")
    refused(reporter=comment_report.reporter, comment=comment_report.comment, reason="other")
    assert ReportFactory(post=first.post)  # someone else
    Report.objects.filter(pk=first.pk).update(state="dismissed", resolved_at=timezone.now())
    assert ReportFactory(post=first.post, reporter=first.reporter)  # once the first is closed


def test_unknown_reasons_and_states_are_refused():
    post = PostFactory()

    refused(reporter=UserFactory(), post=post, reason="boring")
    refused(reporter=UserFactory(), post=post, reason="spam", state="pending")


def test_a_closed_report_says_when_it_was_resolved():
    post = PostFactory()

    refused(reporter=UserFactory(), post=post, reason="spam", state="dismissed")
    refused(reporter=UserFactory(), post=post, reason="spam", resolved_at=timezone.now())


def test_report_factory_reports_a_post_or_a_comment():
    comment = CommentFactory()

    assert ReportFactory().post is not None
    of_comment = ReportFactory(comment=comment)
    assert (of_comment.post, of_comment.comment, of_comment.content) == (None, comment, comment)
    assert str(of_comment) == f"Report of comment {comment.pk}: Spam"


def test_audit_entries_name_only_known_actions():
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationActionFactory(action="shout")
    with pytest.raises(IntegrityError), transaction.atomic():
        ModerationActionFactory(target_type="circle")
    entry = ModerationActionFactory()
    assert str(entry) == f"{entry.actor_name}: Hide post {entry.target_id}"


def test_audit_entries_outlive_the_people_they_name():
    entry = ModerationActionFactory()

    entry.actor.delete()
    entry.target_author.delete()

    entry.refresh_from_db()
    assert (entry.actor, entry.target_author) == (None, None)
    assert entry.actor_name.endswith(">")
    assert entry.target_author_name.endswith(">")
    assert ModerationAction.objects.count() == 1
