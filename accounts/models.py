import hashlib
import secrets

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


def normalize_email(email: str) -> str:
    """The one spelling of an address that we store and look up."""
    return email.strip().lower()


class UserQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """People whom `viewer` may see: themselves and whoever shares a circle with them now."""
        if not viewer.is_authenticated:
            return self.none()
        co_members = self.model.objects.filter(memberships__circle__memberships__user=viewer).values("pk")
        return self.filter(models.Q(pk=viewer.pk) | models.Q(pk__in=co_members))


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalize_email(email))

    def create_user(self, email, name, password=None, **extra_fields):
        user = self.model(email=normalize_email(email), name=name, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, name, password=None, **extra_fields):
        extra_fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, name, password, **extra_fields)


def avatar_upload_to(user, filename):
    return f"avatars/{user.pk}/{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1]}"


class User(AbstractBaseUser, PermissionsMixin):
    """A person: signs in with their email address and appears by name."""

    email = models.EmailField("email address", unique=True)
    name = models.CharField(max_length=100, help_text="How others see you.")
    bio = models.TextField(max_length=500, blank=True)
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)
    is_active = models.BooleanField(default=True, help_text="Unticked for suspended people, who cannot sign in.")
    is_staff = models.BooleanField(default=False, help_text="May use the admin site.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            # With the unique index on email, this makes addresses unique
            # whatever their case.
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="accounts_user_email_lowercase"),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    def clean(self):
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def avatar_url(self) -> str | None:
        if not self.avatar:
            return None
        # The file name changes with each upload, so it busts caches too.
        version = self.avatar.name.rsplit("/", 1)[-1].split(".")[0]
        return f"{reverse('avatar', args=[self.pk])}?v={version}"


class AccessToken(models.Model):
    """A bearer token of a REST client. Only a digest is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return f"Token of {self.user.name} from {self.created_at:%Y-%m-%d}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class Session(AbstractBaseSession):
    """A browser session that knows whose it is, so it can be ended at once."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="sessions")

    @classmethod
    def get_session_store_class(cls):
        from accounts.sessions import SessionStore

        return SessionStore


# --- People and people ---------------------------------------------------------


class Mute(models.Model):
    """`user` no longer wants `muted`'s posts in their timelines (they stay reachable by link)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index for "whom did I mute".
            models.UniqueConstraint(fields=["user", "muted"], name="mute_once_per_person"),
            models.CheckConstraint(condition=~models.Q(user=models.F("muted")), name="mute_not_oneself"),
        ]

    def __str__(self):
        return f"{self.user.name} muted {self.muted.name}"


class BlockQuerySet(models.QuerySet):
    def between(self, person_id, other_id):
        """The blocks between two people, whichever blocked whom."""
        return self.filter(
            models.Q(user_id=person_id, blocked_id=other_id) | models.Q(user_id=other_id, blocked_id=person_id)
        )


class Block(models.Model):
    """`user` blocked `blocked`: neither sees the other's posts, comments or reactions, or joins by their links."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocked_by")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index for "whom did I block".
            models.UniqueConstraint(fields=["user", "blocked"], name="block_once_per_person"),
            models.CheckConstraint(condition=~models.Q(user=models.F("blocked")), name="block_not_oneself"),
        ]
        # The other way round: "who blocked me", asked by every visibility check.
        indexes = [models.Index(fields=["blocked", "user"], name="block_of_person")]

    def __str__(self):
        return f"{self.user.name} blocked {self.blocked.name}"


def blocked_either_way_sql(person_id) -> tuple[str, list]:
    """SQL for the ids of the people `person_id` blocked or who blocked them, and its parameters."""
    block = Block._meta.db_table
    sql = f"SELECT blocked_id FROM {block} WHERE user_id = %s UNION SELECT user_id FROM {block} WHERE blocked_id = %s"
    return sql, [person_id, person_id]


def blocked_either_way(person_id, field: str) -> models.Q:
    """Rows whose `field` (a user id) is someone `person_id` blocked or who blocked them.

    One uncorrelated subquery, so that a list pays for it once, not per row;
    written in SQL because the ORM took longer to build it than the database
    to run it, on every timeline page.
    """
    return models.Q(**{f"{field}__in": RawSQL(*blocked_either_way_sql(person_id))})


def unwanted_authors_sql(person_id) -> tuple[str, list]:
    """SQL for the ids of the people whose posts stay out of `person_id`'s timelines: muted, blocked or blocking."""
    blocked, params = blocked_either_way_sql(person_id)
    return f"SELECT muted_id AS id FROM {Mute._meta.db_table} WHERE user_id = %s UNION {blocked}", [person_id, *params]
