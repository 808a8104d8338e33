"""Writes about reports and moderation: reporting, hiding, deleting, suspending.

The admin's moderation queue calls these functions, and so will the
moderation that circle admins do in their own circles: each takes the
`actor`, a `reason`, and the `circle` a circle admin acted in (None for site
staff); resolves the open reports of what it acted on; and records one
`ModerationAction`, in the same transaction. Callers decide who may act (the
admin checks staff permissions); these functions do not.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from circleshare import ratelimit
from moderation.models import ModerationAction, Report
from timeline import services as timeline
from timeline.models import HIDDEN_REASON_MAX_LENGTH, Circle, Comment, Moderation, Post

Action = ModerationAction.Action

REPORT_ONE_THING = "Report either a post or a comment: give exactly one of them."
REPORT_OWN_CONTENT = "You cannot report your own post or comment. You can edit or delete it instead."
UNKNOWN_REASON = "Choose one of the reasons offered."
HIDE_NEEDS_REASON = "Say why it is hidden: its author will read the reason."
REASON_TOO_LONG = f"Keep the reason under {HIDDEN_REASON_MAX_LENGTH} characters."
CANNOT_SUSPEND_SELF = "You cannot suspend yourself."
CANNOT_SUSPEND_STAFF = "Staff accounts are not suspended from the moderation queue; a superuser changes them in Users."


def report_create(
    *, reporter: User, reason: str, details: str = "", post: Post | None = None, comment: Comment | None = None
) -> tuple[Report, bool]:
    """Report a post or a comment that `reporter` can see (callers find it through `visible_to`).

    Returns the report and whether it is new: while `reporter` has an open
    report of the same thing, that one is returned instead of a second.
    """
    if (post is None) == (comment is None):
        raise ValidationError(REPORT_ONE_THING, code="one_thing")
    if reason not in Report.Reason.values:
        raise ValidationError({"reason": UNKNOWN_REASON}, code="unknown_reason")
    content, field = (post, "post") if post is not None else (comment, "comment")
    if content.author_id == reporter.pk:
        raise ValidationError({field: REPORT_OWN_CONTENT}, code="own_content")
    mine = Report.objects.open().about(content).filter(reporter=reporter)
    existing = mine.first()
    if existing:
        return existing, False
    ratelimit.consume("report_create_user", str(reporter.pk))
    try:
        with transaction.atomic():
            report = Report.objects.create(
                reporter=reporter, post=post, comment=comment, reason=reason, details=details.strip()
            )
    except IntegrityError:  # the same report, sent a moment ago
        existing = mine.first()
        if existing is None:
            raise
        return existing, False
    return report, True


def post_hide(*, actor: User, post: Post, reason: str, circle: Circle | None = None) -> Post:
    """Hide a post from everyone but its author, who sees it marked hidden with `reason`."""
    return _hide(actor=actor, content=post, reason=reason, circle=circle)


def comment_hide(*, actor: User, comment: Comment, reason: str, circle: Circle | None = None) -> Comment:
    """Hide a comment from everyone but its author, who sees it marked hidden with `reason`."""
    return _hide(actor=actor, content=comment, reason=reason, circle=circle)


def post_unhide(*, actor: User, post: Post, reason: str = "", circle: Circle | None = None) -> Post:
    return _unhide(actor=actor, content=post, reason=reason, circle=circle)


def comment_unhide(*, actor: User, comment: Comment, reason: str = "", circle: Circle | None = None) -> Comment:
    return _unhide(actor=actor, content=comment, reason=reason, circle=circle)


@transaction.atomic
def post_delete(*, actor: User, post: Post, reason: str = "", circle: Circle | None = None) -> None:
    """Delete a post with its photos, comments and reports; the audit entry keeps a copy of its text."""
    _record(actor=actor, action=Action.DELETE_POST, target=post, reason=reason, circle=circle)
    timeline.post_erase(post=post)


@transaction.atomic
def comment_delete(*, actor: User, comment: Comment, reason: str = "", circle: Circle | None = None) -> None:
    """Delete a comment and its reports; the audit entry keeps a copy of its text."""
    _record(actor=actor, action=Action.DELETE_COMMENT, target=comment, reason=reason, circle=circle)
    comment.delete()


@transaction.atomic
def report_dismiss(*, actor: User, content: Post | Comment, reason: str = "", circle: Circle | None = None) -> int:
    """Close every open report of `content` without acting on it; returns how many were open."""
    dismissed = _resolve(actor=actor, content=content, state=Report.State.DISMISSED)
    if dismissed:
        _record(actor=actor, action=Action.DISMISS, target=content, reason=reason, circle=circle)
    return dismissed


@transaction.atomic
def user_suspend(*, actor: User, user: User, reason: str = "", contents=()) -> User:
    """Suspend `user`, ending their sessions and tokens; the open reports of `contents` (theirs) are resolved."""
    if user.pk == actor.pk:
        raise PermissionDenied(CANNOT_SUSPEND_SELF)
    if user.is_staff:
        raise PermissionDenied(CANNOT_SUSPEND_STAFF)
    accounts.user_suspend(user=user)
    for content in contents:
        _resolve(actor=actor, content=content, state=Report.State.ACTIONED)
    _record(actor=actor, action=Action.SUSPEND, target=user, reason=reason)
    return user


@transaction.atomic
def user_reactivate(*, actor: User, user: User, reason: str = "") -> User:
    accounts.user_reactivate(user=user)
    _record(actor=actor, action=Action.REACTIVATE, target=user, reason=reason)
    return user


@transaction.atomic
def _hide(*, actor, content, reason, circle):
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": HIDE_NEEDS_REASON}, code="reason_required")
    if len(reason) > HIDDEN_REASON_MAX_LENGTH:
        raise ValidationError({"reason": REASON_TOO_LONG}, code="reason_too_long")
    content.set_moderation_state(Moderation.HIDDEN, reason)
    _resolve(actor=actor, content=content, state=Report.State.ACTIONED)
    _record(actor=actor, action=Action.HIDE, target=content, reason=reason, circle=circle)
    return content


@transaction.atomic
def _unhide(*, actor, content, reason, circle):
    """Show hidden content again; content that is not hidden is left as it is, and nothing is recorded."""
    if content.moderation_state != Moderation.HIDDEN:
        return content
    content.set_moderation_state(Moderation.VISIBLE)
    _resolve(actor=actor, content=content, state=Report.State.DISMISSED)
    _record(actor=actor, action=Action.UNHIDE, target=content, reason=reason.strip(), circle=circle)
    return content


def _resolve(*, actor, content, state) -> int:
    return Report.objects.open().about(content).update(state=state, resolved_at=timezone.now(), resolved_by=actor)


def _name(person: User | None) -> str:
    return f"{person.name} <{person.email}>" if person else ""


def _snapshot(target) -> str:
    if isinstance(target, User):
        return _name(target)
    if isinstance(target, Post):
        photos = target.images.count()
        return target.body + (f"\n[{photos} photo{'s' if photos != 1 else ''}]" if photos else "")
    return target.body


TARGET_TYPES = {
    Post: ModerationAction.Target.POST,
    Comment: ModerationAction.Target.COMMENT,
    User: ModerationAction.Target.USER,
}


def _record(*, actor, action, target, reason="", circle=None) -> ModerationAction:
    author = target if isinstance(target, User) else target.author
    return ModerationAction.objects.create(
        actor=actor,
        actor_name=_name(actor),
        action=action,
        target_type=TARGET_TYPES[type(target)],
        target_id=target.pk,
        target_snapshot=_snapshot(target),
        target_author=author,
        target_author_name=_name(author),
        circle=circle,
        reason=reason,
    )
