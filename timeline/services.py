"""Writes about circles, memberships and invitations.

Pages, API, admin and commands all call these functions; the rules of who
may do what to a circle live here and nowhere else. Callers find circles
through `Circle.objects.visible_to(user)` first, so a circle someone is not in
answers 404 before any of these run.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User, normalize_email
from accounts.tasks import send_email
from circleshare import ratelimit
from circleshare.links import absolute_url
from timeline.models import Circle, Invitation, Membership

Role = Membership.Role

ADMINS_ONLY = "Only the circle's admins and owner can do that."
OWNER_ONLY = "Only the circle's owner can do that."
OWNER_CANNOT_LEAVE = "You own this circle: transfer ownership to another member before leaving."
OWNER_STAYS = "The owner cannot be removed; the owner's role changes only by a transfer of ownership."
NOT_A_MEMBER = "That person is not a member of this circle."
INVITATION_INVALID = "This invitation link is not valid: it has expired, been revoked or been used up."
INVITATION_OTHER_EMAIL = "This invitation was sent to another email address. Log in with that address to accept it."
CIRCLE_FULL = "This circle is full: a circle has at most {limit} members."


def _membership(circle: Circle, user) -> Membership:
    try:
        return Membership.objects.select_related("user").get(circle=circle, user=user)
    except Membership.DoesNotExist:
        raise Http404(NOT_A_MEMBER) from None


def require_manager(circle: Circle, actor) -> Membership:
    """`actor`'s membership, if they are an admin or the owner of `circle`."""
    membership = _membership(circle, actor)
    if not membership.can_manage:
        raise PermissionDenied(ADMINS_ONLY)
    return membership


@transaction.atomic
def circle_create(*, creator: User, name: str, description: str = "") -> Circle:
    """Create a circle owned by `creator`."""
    circle = Circle.objects.create(name=name.strip(), description=description.strip())
    Membership.objects.create(circle=circle, user=creator, role=Role.OWNER)
    return circle


def circle_update(*, circle: Circle, actor: User, name: str | None = None, description: str | None = None) -> Circle:
    require_manager(circle, actor)
    fields = []
    if name is not None:
        circle.name = name.strip()
        fields.append("name")
    if description is not None:
        circle.description = description.strip()
        fields.append("description")
    if fields:
        circle.save(update_fields=fields)
    return circle


def circle_delete(*, circle: Circle, actor: User) -> None:
    if not _membership(circle, actor).is_owner:
        raise PermissionDenied(OWNER_ONLY)
    circle.delete()


@transaction.atomic
def membership_set_role(*, circle: Circle, actor: User, user: User, role: str) -> Membership:
    """Change `user`'s role; `role="owner"` transfers ownership (the old owner becomes an admin)."""
    acting = require_manager(circle, actor)
    target = _membership(circle, user)
    if role == target.role:
        return target
    if role == Role.OWNER:
        if not acting.is_owner:
            raise PermissionDenied(OWNER_ONLY)
        # Demote first: the database allows one owner per circle.
        acting.role = Role.ADMIN
        acting.save(update_fields=["role"])
    elif target.is_owner:
        raise PermissionDenied(OWNER_STAYS)
    elif Role.ADMIN in (role, target.role) and not acting.is_owner:
        raise PermissionDenied(OWNER_ONLY)
    target.role = role
    target.save(update_fields=["role"])
    return target


def membership_remove(*, circle: Circle, actor: User, user: User) -> None:
    """Remove `user` from `circle`; when `actor` is `user`, they leave."""
    target = _membership(circle, user)
    if actor.pk == user.pk:
        if target.is_owner:
            raise ValidationError(OWNER_CANNOT_LEAVE, code="owner_cannot_leave")
    else:
        acting = require_manager(circle, actor)
        if target.is_owner:
            raise PermissionDenied(OWNER_STAYS)
        if target.role == Role.ADMIN and not acting.is_owner:
            raise PermissionDenied(OWNER_ONLY)
    target.delete()


def invitation_create(
    *,
    circle: Circle,
    actor: User,
    email: str = "",
    max_uses: int = 1,
    expires_in_days: int = 14,
) -> Invitation:
    """Create an invitation link; when it names an email, send the link there."""
    require_manager(circle, actor)
    ratelimit.consume("invitation_create_user", str(actor.pk))
    invitation = Invitation.objects.create(
        circle=circle,
        created_by=actor,
        email=normalize_email(email) if email else "",
        max_uses=max_uses,
        expires_at=timezone.now() + timedelta(days=expires_in_days),
    )
    if invitation.email:
        transaction.on_commit(lambda: _send_invitation_email(invitation))
    return invitation


def _send_invitation_email(invitation: Invitation) -> None:
    context = {"invitation": invitation, "url": absolute_url(invitation.get_absolute_url())}
    send_email.enqueue(
        subject=f"{invitation.created_by.name} invites you to {invitation.circle.name} on CircleShare",
        body=render_to_string("timeline/invitation_email.txt", context),
        to=[invitation.email],
    )


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    require_manager(invitation.circle, actor)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_find(token: str) -> Invitation:
    """The usable invitation with `token`; unknown, expired, revoked and used-up ones all look alike."""
    invitation = Invitation.objects.usable().select_related("circle", "created_by").filter(token=token).first()
    if invitation is None:
        raise Http404(INVITATION_INVALID)
    return invitation


def invitation_check_email(invitation: Invitation, email: str) -> None:
    if invitation.email and normalize_email(invitation.email) != normalize_email(email):
        raise PermissionDenied(INVITATION_OTHER_EMAIL)


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Membership:
    """Join the invitation's circle. Joining a circle one is already in changes nothing.

    Race-free: the circle row is locked (PostgreSQL) or the whole database is
    (SQLite's immediate transactions), and a use is claimed by a conditional
    update, so neither `max_uses` nor the member cap can be exceeded.
    """
    invitation = invitation_find(token)
    invitation_check_email(invitation, user.email)
    circle = Circle.objects.select_for_update().get(pk=invitation.circle_id)
    existing = Membership.objects.filter(circle=circle, user=user).first()
    if existing:
        return existing
    if circle.memberships.count() >= settings.CIRCLE_MAX_MEMBERS:
        raise ValidationError(CIRCLE_FULL.format(limit=settings.CIRCLE_MAX_MEMBERS), code="circle_full")
    claimed = Invitation.objects.usable().filter(pk=invitation.pk).update(uses=F("uses") + 1)
    if not claimed:
        raise Http404(INVITATION_INVALID)
    return Membership.objects.create(circle=circle, user=user, role=Role.MEMBER)
