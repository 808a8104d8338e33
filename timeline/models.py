"""Circles and who is in them: the unit of privacy that every later rule asks about."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

INVITATION_DAYS = 14


class CircleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The circles `user` is a member of now; any other circle does not exist for them."""
        if not user.is_authenticated:
            return self.none()
        # A subquery rather than a join, so that annotations over the
        # members count all of them, not only `user`.
        return self.filter(pk__in=Membership.objects.filter(user=user).values("circle_id"))

    def with_member_count(self):
        return self.annotate(member_count=Count("memberships"))

    def with_role_of(self, user):
        """Annotate `role`: `user`'s role in each circle (None where not a member)."""
        role = Membership.objects.filter(circle=OuterRef("pk"), user=user).values("role")[:1]
        return self.annotate(role=Subquery(role))


class Circle(models.Model):
    """A group of people who share with each other: a family, a group of friends."""

    name = models.CharField(max_length=100)
    description = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="circles")

    objects = CircleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("circle", args=[self.pk])


class Membership(models.Model):
    """One person's place in one circle."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            # Also the index for "the members of circle Y".
            models.UniqueConstraint(fields=["circle", "user"], name="membership_one_per_person_and_circle"),
            models.UniqueConstraint(
                fields=["circle"], condition=Q(role="owner"), name="membership_one_owner_per_circle"
            ),
            models.CheckConstraint(condition=Q(role__in=["owner", "admin", "member"]), name="membership_role_is_known"),
        ]
        indexes = [models.Index(fields=["user", "circle"], name="membership_circles_of_person")]

    def __str__(self):
        return f"{self.user.name} in {self.circle.name} ({self.role})"

    @property
    def can_manage(self) -> bool:
        """Admins and the owner invite, remove members and edit the circle."""
        return self.role in (self.Role.OWNER, self.Role.ADMIN)

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)  # 192 bits


def default_invitation_expiry():
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        """Invitations that can still be accepted: not revoked, expired or used up."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now(), uses__lt=models.F("max_uses"))


class Invitation(models.Model):
    """A link that lets people join a circle."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations_sent")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token, editable=False)
    email = models.EmailField(blank=True, help_text="Only this address may accept, when set.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_max_uses_positive"),
            models.CheckConstraint(condition=Q(uses__lte=models.F("max_uses")), name="invitation_uses_within_max"),
        ]

    def __str__(self):
        return f"Invitation to {self.circle.name}"

    def get_absolute_url(self):
        return reverse("invitation", args=[self.token])

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.uses < self.max_uses

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.uses >= self.max_uses:
            return "used up"
        return "active"
