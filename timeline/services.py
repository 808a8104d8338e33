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

from accounts.models import Block, User, normalize_email
from accounts.tasks import send_email
from circleshare import ratelimit
from circleshare.images import clean_image
from circleshare.links import absolute_url
from moderation.models import Ban
from timeline.models import (
    MAX_IMAGES_PER_POST,
    Circle,
    Comment,
    Emoji,
    Invitation,
    Membership,
    Post,
    PostImage,
    PostRevision,
    Reaction,
)

Role = Membership.Role

ADMINS_ONLY = "Only the circle's admins and owner can do that."
OWNER_ONLY = "Only the circle's owner can do that."
OWNER_CANNOT_LEAVE = "You own this circle: transfer ownership to another member before leaving."
OWNER_STAYS = "The owner cannot be removed; the owner's role changes only by a transfer of ownership."
NOT_A_MEMBER = "That person is not a member of this circle."
INVITATION_INVALID = "This invitation link is not valid: it has expired, been revoked or been used up."
INVITATION_OTHER_EMAIL = "This invitation was sent to another email address. Log in with that address to accept it."
CIRCLE_FULL = "This circle is full: a circle has at most {limit} members."
BANNED = "You cannot join this circle: its admins have removed you from it for good."


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


def invitation_find(token: str, user=None) -> Invitation:
    """The usable invitation with `token`; unknown, expired, revoked and used-up ones all look alike.

    So does, for `user`, an invitation made by someone who blocked them or whom they blocked:
    blocking never shows itself.
    """
    invitation = Invitation.objects.usable().select_related("circle", "created_by").filter(token=token).first()
    if invitation is None:
        raise Http404(INVITATION_INVALID)
    if user is not None and user.is_authenticated and Block.objects.between(user.pk, invitation.created_by_id).exists():
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
    ratelimit.consume("invitation_accept_user", str(user.pk))
    invitation = invitation_find(token, user)
    invitation_check_email(invitation, user.email)
    circle = Circle.objects.select_for_update().get(pk=invitation.circle_id)
    # After the lock, which a ban takes too: a ban and an acceptance never cross.
    if Ban.objects.filter(circle=circle, user=user).exists():
        raise PermissionDenied(BANNED)
    existing = Membership.objects.filter(circle=circle, user=user).first()
    if existing:
        return existing
    if circle.memberships.count() >= settings.CIRCLE_MAX_MEMBERS:
        raise ValidationError(CIRCLE_FULL.format(limit=settings.CIRCLE_MAX_MEMBERS), code="circle_full")
    claimed = Invitation.objects.usable().filter(pk=invitation.pk).update(uses=F("uses") + 1)
    if not claimed:
        raise Http404(INVITATION_INVALID)
    return Membership.objects.create(circle=circle, user=user, role=Role.MEMBER)


# --- Posts, comments, reactions ---------------------------------------------

ONLY_YOUR_CIRCLES = "You can only share with circles you are a member of."
EMPTY_POST = "Write something or add a photo."
TOO_MANY_IMAGES = f"A post has at most {MAX_IMAGES_PER_POST} photos."
ALT_TEXTS_MISMATCH = "There are more alt texts than photos: give at most one per photo, in order."
NOT_YOUR_POST = "Only the author can change a post."
CANNOT_DELETE_POST = "Only the author or an admin of one of its circles can delete this post."
NOT_YOUR_COMMENT = "Only the author can change a comment."
CANNOT_DELETE_COMMENT = "Only its author, the post's author or a circle admin can delete this comment."
PHOTO_SIDE = 2048
THUMBNAIL_SIDE = 480


def _audience_for(author: User, circle_ids) -> list[Circle]:
    """The circles a post of `author` may be shared with: only those they are in now."""
    circle_ids = {int(pk) for pk in circle_ids}
    circles = list(Circle.objects.visible_to(author).filter(pk__in=circle_ids))
    if len(circles) != len(circle_ids):
        raise ValidationError({"circle_ids": ONLY_YOUR_CIRCLES}, code="not_your_circle")
    return circles


def manages_a_circle_of(post: Post, user: User) -> bool:
    """Whether `user` is an admin or the owner of one of `post`'s circles."""
    return managed_circles_of(post, user).exists()


def managed_circles_of(post: Post, user: User):
    """The circles of `post` that `user` runs (as an admin or the owner)."""
    managed = Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.ADMIN]).values("circle_id")
    return post.circles.filter(pk__in=managed).order_by("name", "pk")


def _clean_images(images) -> list:
    """Verify and re-encode each upload with its thumbnail; one refusal refuses the post."""
    cleaned = []
    for index, upload in enumerate(images):
        try:
            photo = clean_image(upload, max_side=PHOTO_SIDE)
            thumbnail = clean_image(photo.file, max_side=THUMBNAIL_SIDE)
        except ValidationError as error:
            raise ValidationError({"images": [f"Photo {index + 1}: {m}" for m in error.messages]}) from None
        cleaned.append((photo, thumbnail))
    return cleaned


def _store_images(post: Post, cleaned, alt_texts) -> None:
    """Store cleaned photos and their thumbnails.

    Files written before a failure are removed here; files of a transaction
    that fails to commit afterwards are found by `cleanup_media`.
    """
    stored = []
    try:
        for order, ((photo, thumbnail), alt) in enumerate(zip(cleaned, alt_texts, strict=True)):
            image = PostImage(
                post=post,
                order=order,
                alt=alt.strip(),
                width=photo.width,
                height=photo.height,
                content_type=photo.content_type,
            )
            image.original.save(photo.file.name, photo.file, save=False)
            stored.append(image.original.name)
            image.thumbnail.save(thumbnail.file.name, thumbnail.file, save=False)
            stored.append(image.thumbnail.name)
            image.save()
    except Exception:
        for name in stored:
            PostImage.original.field.storage.delete(name)
        raise


def post_create(*, author: User, body: str = "", circle_ids=(), images=(), alt_texts=None) -> Post:
    """Share text and photos with some of the author's circles, or with nobody (a journal entry).

    Photos are re-encoded before the transaction begins: on SQLite a
    transaction holds the database's write lock, which no other writer
    should wait on while Pillow works.
    """
    body = body.strip()
    images = list(images)
    alt_texts = list(alt_texts or [])
    if not body and not images:
        raise ValidationError({"body": EMPTY_POST}, code="empty")
    if len(images) > MAX_IMAGES_PER_POST:
        raise ValidationError({"images": TOO_MANY_IMAGES}, code="too_many_images")
    if len(alt_texts) > len(images):
        raise ValidationError({"alt_texts": ALT_TEXTS_MISMATCH}, code="alt_texts")
    alt_texts += [""] * (len(images) - len(alt_texts))
    circles = _audience_for(author, circle_ids)
    ratelimit.consume("post_create_user", str(author.pk))
    cleaned = _clean_images(images)
    with transaction.atomic():
        post = Post.objects.create(author=author, body=body)
        post.share_with(circle.pk for circle in circles)
        _store_images(post, cleaned, alt_texts)
    return post


@transaction.atomic
def post_update(*, post: Post, actor: User, body: str | None = None, circle_ids=None) -> Post:
    """Change a post's text or audience; the earlier text is kept as a revision."""
    if post.author_id != actor.pk:
        raise PermissionDenied(NOT_YOUR_POST)
    fields = []
    if body is not None and body.strip() != post.body:
        if not body.strip() and not post.images.exists():
            raise ValidationError({"body": EMPTY_POST}, code="empty")
        PostRevision.objects.create(post=post, body=post.body, created_at=post.edited_at or post.created_at)
        post.body = body.strip()
        post.edited_at = timezone.now()
        fields += ["body", "edited_at"]
    if circle_ids is not None:
        wanted = {int(pk) for pk in circle_ids}
        current = set(post.audience.values_list("circle_id", flat=True))
        # Circles the author has left may stay in the audience, but none may be added.
        _audience_for(actor, wanted - current)
        post.audience.exclude(circle_id__in=wanted).delete()
        post.share_with(wanted - current)
    if fields:
        post.save(update_fields=fields)
    return post


def post_delete(*, post: Post, actor: User) -> None:
    """Delete a post with its photos, by its author.

    Circle admins remove posts from their circles instead, through
    `moderation.services.post_remove`, which records it.
    """
    if post.author_id != actor.pk:
        raise PermissionDenied(CANNOT_DELETE_POST)
    post_erase(post=post)


def post_erase(*, post: Post) -> None:
    """Delete a post with its photo files, whoever asks: callers decide who may (see `post_delete`)."""
    files = [name for image in post.images.all() for name in (image.original.name, image.thumbnail.name)]
    with transaction.atomic():
        post.delete()
        transaction.on_commit(lambda: [PostImage.original.field.storage.delete(name) for name in files])


def comment_create(*, post: Post, author: User, body: str) -> Comment:
    """Reply under a post that `author` can see (callers find it through `visible_to`)."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a comment."}, code="empty")
    ratelimit.consume("comment_create_user", str(author.pk))
    return Comment.objects.create(post=post, author=author, body=body)


def comment_update(*, comment: Comment, actor: User, body: str) -> Comment:
    if comment.author_id != actor.pk:
        raise PermissionDenied(NOT_YOUR_COMMENT)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a comment."}, code="empty")
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


def comment_delete(*, comment: Comment, actor: User) -> None:
    """By its author or the post's author.

    Circle admins delete comments through `moderation.services.comment_remove`, which records it.
    """
    if actor.pk not in (comment.author_id, comment.post.author_id):
        raise PermissionDenied(CANNOT_DELETE_COMMENT)
    comment.delete()


def reaction_add(*, post: Post, user: User, emoji: str) -> bool:
    """React to a post; True if this is new, False if `user` had reacted so already."""
    if emoji not in Emoji.values:
        raise ValidationError({"emoji": f"Choose one of {' '.join(Emoji.values)}."}, code="unknown_emoji")
    _, created = Reaction.objects.get_or_create(post=post, user=user, emoji=emoji)
    return created


def reaction_remove(*, post: Post, user: User, emoji: str) -> None:
    Reaction.objects.filter(post=post, user=user, emoji=emoji).delete()
