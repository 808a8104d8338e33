"""Writes about people: sign-up, sign-in, profiles, tokens and suspension.

The pages, the API, the admin and the commands all call these functions, so
each rule lives here once.
"""

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AccessToken, Block, Mute, User, normalize_email
from circleshare import ratelimit
from circleshare.images import clean_image
from timeline import services as circles

INVALID_CREDENTIALS = "The email address or password is incorrect."
SIGNUP_BY_INVITATION_ONLY = "CircleShare is by invitation only here. Ask a member for an invitation link."
EMAIL_TAKEN = "This email address cannot be used to sign up. If it is yours, log in or reset your password."
AVATAR_SIDE = 512
CANNOT_MUTE_SELF = "You cannot mute yourself."
CANNOT_BLOCK_SELF = "You cannot block yourself."


class InvalidCredentials(Exception):
    pass


def user_authenticate(*, request, email: str, password: str) -> User:
    """Check credentials within the per-address and per-account limits.

    Any failure, unknown email and suspended account included, gives one
    message, so that nobody can learn who has an account.
    """
    ip = ratelimit.client_ip(request)
    email = normalize_email(email)
    ratelimit.consume("login_ip", ip)
    ratelimit.check("login_account", email)
    user = authenticate(request, username=email, password=password)
    if user is None:
        ratelimit.hit("login_account", email)
        raise InvalidCredentials(INVALID_CREDENTIALS)
    return user


def user_register(*, request, email: str, name: str, password: str, invitation: str = "") -> User:
    """Create an account: with an invitation, which it accepts at once, or where sign-up is open."""
    if invitation:
        circles.invitation_check_email(circles.invitation_find(invitation), email)
    elif settings.SIGNUP_MODE != "open":
        raise PermissionDenied(SIGNUP_BY_INVITATION_ONLY)
    ratelimit.consume("signup_ip", ratelimit.client_ip(request))
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken")
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, name=name.strip(), password=password)
            if invitation:
                circles.invitation_accept(token=invitation, user=user)
            return user
    except IntegrityError:  # the same address, signed up a moment ago
        raise ValidationError({"email": EMAIL_TAKEN}, code="email_taken") from None


def user_update_profile(
    *, user: User, name: str | None = None, bio: str | None = None, avatar=None, remove_avatar: bool = False
) -> User:
    """Change what others see of `user`; a new avatar is cleaned and resized first."""
    fields = []
    if name is not None:
        user.name = name.strip()
        fields.append("name")
    if bio is not None:
        user.bio = bio.strip()
        fields.append("bio")
    old_avatar = user.avatar.name if user.avatar else None
    if avatar is not None:
        try:
            image = clean_image(avatar, max_side=AVATAR_SIDE)
        except ValidationError as error:
            raise ValidationError({"avatar": error.messages}) from None
        user.avatar.save(image.file.name, image.file, save=False)
        fields.append("avatar")
    elif remove_avatar:
        user.avatar = ""
        fields.append("avatar")
    if fields:
        user.save(update_fields=fields)
    if "avatar" in fields and old_avatar:
        transaction.on_commit(lambda: user.avatar.storage.delete(old_avatar))
    return user


def token_create(*, user: User) -> str:
    """Issue a new bearer token for `user` and return its key (shown only once)."""
    key = AccessToken.new_key()
    AccessToken.objects.create(user=user, digest=AccessToken.digest_of(key))
    return key


def token_revoke(*, token: AccessToken) -> None:
    token.delete()


@transaction.atomic
def user_suspend(*, user: User) -> User:
    """Stop `user` from signing in, and end every session and token they have."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    user.sessions.all().delete()
    user.access_tokens.all().delete()
    return user


def user_reactivate(*, user: User) -> User:
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


def mute_create(*, user: User, muted: User) -> tuple[Mute, bool]:
    """Take `muted`'s posts out of `user`'s timelines; returns the mute and whether it is new.

    Callers find `muted` among the people `user` may see (`User.objects.visible_to`).
    """
    if muted.pk == user.pk:
        raise ValidationError({"user": CANNOT_MUTE_SELF}, code="self")
    return _relation_create(Mute, user=user, muted=muted)


def mute_delete(*, user: User, muted_id: int) -> None:
    Mute.objects.filter(user=user, muted_id=muted_id).delete()


def block_create(*, user: User, blocked: User) -> tuple[Block, bool]:
    """Block `blocked`: from now on neither sees the other's posts, comments or reactions.

    Nothing is deleted and nobody is told: unblocking shows everything again.
    Callers find `blocked` among the people `user` may see.
    """
    if blocked.pk == user.pk:
        raise ValidationError({"user": CANNOT_BLOCK_SELF}, code="self")
    return _relation_create(Block, user=user, blocked=blocked)


def block_delete(*, user: User, blocked_id: int) -> None:
    Block.objects.filter(user=user, blocked_id=blocked_id).delete()


def _relation_create(model, **fields):
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**fields)
    except IntegrityError:  # the same, made a moment ago
        return model.objects.get(**fields), False
