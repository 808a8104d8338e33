"""Writes about reports and moderation: reporting, hiding, deleting, suspending, banning.

The admin's moderation queue calls these functions, and so do the circle
admins' pages and API: each takes the `actor`, a `reason`, and the `circle`
a circle admin acted in (None for site staff); resolves the open reports of
what it acted on; and records one `ModerationAction`, in the same
transaction. The staff functions leave the decision of who may act to their
callers (the admin checks staff permissions); the circle functions (`circle_*`,
`member_*`, `post_remove`, `comment_remove`) check it themselves, with the
rules of `timeline.services`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from accounts import services as accounts
from accounts.models import User
from circleshare import ratelimit
from moderation.models import DETAILS_MAX_LENGTH, Ban, ModerationAction, Report
from timeline import services as timeline
from timeline.models import HIDDEN_REASON_MAX_LENGTH, Circle, Comment, Membership, Moderation, Post

Action = ModerationAction.Action

REPORT_ONE_THING = "Report either a post or a comment: give exactly one of them."
REPORT_OWN_CONTENT = "You cannot report your own post or comment. You can edit or delete it instead."
UNKNOWN_REASON = "Choose one of the reasons offered."
HIDE_NEEDS_REASON = "Say why it is hidden: its author will read the reason."
REASON_TOO_LONG = f"Keep the reason under {HIDDEN_REASON_MAX_LENGTH} characters."
CANNOT_SUSPEND_SELF = "You cannot suspend yourself."
CANNOT_SUSPEND_STAFF = "Staff accounts are not suspended from the moderation queue; a superuser changes them in Users."
CANNOT_BAN_SELF = "You cannot ban yourself. To go, leave the circle."
BAN_REASON_TOO_LONG = f"Keep the reason under {DETAILS_MAX_LENGTH} characters."
NOT_BANNED = "That person is not banned from this circle."
NOT_IN_THIS_CIRCLE = "That is not shared with this circle."
OWN_CONTENT_REPORTS = "Reports of your own posts and comments are left to the site's moderators."


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
def user_suspend(*, actor: User, user: User, reason: str = "", contents=(), staff_too: bool = False) -> User:
    """Suspend `user`, ending their sessions and tokens; the open reports of `contents` (theirs) are resolved.

    Staff accounts only with `staff_too` (a superuser in the admin's Users).
    """
    if user.pk == actor.pk:
        raise PermissionDenied(CANNOT_SUSPEND_SELF)
    if user.is_staff and not staff_too:
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


# --- Moderation by circle admins, in their own circles ------------------------


@transaction.atomic
def circle_post_remove(*, actor: User, circle: Circle, post: Post, reason: str = "") -> Post:
    """Take `post` out of `circle`: its other circles keep it, and so does its author.

    Its open reports are resolved only when no circle is left to see it: the
    admins of its other circles and staff still read them otherwise.
    """
    timeline.require_manager(circle, actor)
    removed, _ = post.audience.filter(circle=circle).delete()
    if not removed:
        raise Http404(NOT_IN_THIS_CIRCLE)
    if not post.audience.exists():
        _resolve(actor=actor, content=post, state=Report.State.ACTIONED)
    _record(actor=actor, action=Action.REMOVE_FROM_CIRCLE, target=post, reason=reason.strip(), circle=circle)
    return post


@transaction.atomic
def circle_comment_delete(*, actor: User, circle: Circle, comment: Comment, reason: str = "") -> None:
    """Delete a comment under a post shared with `circle`, as one of its admins."""
    timeline.require_manager(circle, actor)
    if not comment.post.audience.filter(circle=circle).exists():
        raise Http404(NOT_IN_THIS_CIRCLE)
    comment_delete(actor=actor, comment=comment, reason=reason.strip(), circle=circle)


@transaction.atomic
def circle_report_dismiss(*, actor: User, circle: Circle, report: Report, reason: str = "") -> int:
    """Dismiss the open reports of what `report` concerns, as an admin of `circle`; returns how many."""
    timeline.require_manager(circle, actor)
    if report.content.author_id == actor.pk:
        raise PermissionDenied(OWN_CONTENT_REPORTS)
    return report_dismiss(actor=actor, content=report.content, reason=reason.strip(), circle=circle)


def post_remove(*, actor: User, post: Post, reason: str = "") -> None:
    """What "delete" does to a post: its author deletes it; an admin of its circles takes it out of theirs."""
    if post.author_id == actor.pk:
        timeline.post_delete(post=post, actor=actor)
        return
    circles = list(timeline.managed_circles_of(post, actor))
    if not circles:
        raise PermissionDenied(timeline.CANNOT_DELETE_POST)
    with transaction.atomic():
        for circle in circles:
            circle_post_remove(actor=actor, circle=circle, post=post, reason=reason)


def comment_remove(*, actor: User, comment: Comment, reason: str = "") -> None:
    """Delete a comment as its author or the post's author, or (recorded) as an admin of one of the post's circles."""
    if actor.pk in (comment.author_id, comment.post.author_id):
        timeline.comment_delete(comment=comment, actor=actor)
        return
    circle = timeline.managed_circles_of(comment.post, actor).first()
    if circle is None:
        raise PermissionDenied(timeline.CANNOT_DELETE_COMMENT)
    circle_comment_delete(actor=actor, circle=circle, comment=comment, reason=reason)


@transaction.atomic
def member_remove(*, actor: User, circle: Circle, user: User, reason: str = "") -> None:
    """Remove `user` from `circle` with the rules of `timeline.membership_remove`; recorded unless they leave."""
    timeline.membership_remove(circle=circle, actor=actor, user=user)
    if actor.pk != user.pk:
        _record(actor=actor, action=Action.REMOVE_MEMBER, target=user, reason=reason.strip(), circle=circle)


@transaction.atomic
def member_ban(*, actor: User, circle: Circle, user: User, reason: str = "") -> tuple[Ban, bool]:
    """Remove `user` from `circle` for good: no invitation lets them back until they are unbanned.

    Who may ban whom follows who may remove whom: admins ban members, only
    the owner bans admins, and nobody bans the owner. A person who is not a
    member (any more) may be banned too, so that no old link brings them
    back. Returns the ban and whether it is new.
    """
    reason = reason.strip()
    timeline.require_manager(circle, actor)
    if user.pk == actor.pk:
        raise ValidationError({"user": CANNOT_BAN_SELF}, code="self")
    if len(reason) > DETAILS_MAX_LENGTH:
        raise ValidationError({"reason": BAN_REASON_TOO_LONG}, code="reason_too_long")
    # The lock that `invitation_accept` takes: nobody joins while the ban is made.
    Circle.objects.select_for_update().filter(pk=circle.pk).first()
    if Membership.objects.filter(circle=circle, user=user).exists():
        timeline.membership_remove(circle=circle, actor=actor, user=user)
    ban, created = Ban.objects.get_or_create(circle=circle, user=user, defaults={"banned_by": actor, "reason": reason})
    if created:
        _record(actor=actor, action=Action.BAN_MEMBER, target=user, reason=reason, circle=circle)
    return ban, created


@transaction.atomic
def member_unban(*, actor: User, circle: Circle, user: User, reason: str = "") -> None:
    """Lift a ban: invitations work for `user` again (they are not put back in the circle)."""
    timeline.require_manager(circle, actor)
    deleted, _ = Ban.objects.filter(circle=circle, user=user).delete()
    if not deleted:
        raise Http404(NOT_BANNED)
    _record(actor=actor, action=Action.UNBAN_MEMBER, target=user, reason=reason.strip(), circle=circle)


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
