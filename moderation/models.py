"""Reports of posts and comments, and the audit trail of what moderators did about them."""

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from timeline.models import Circle, Comment, Post, PostAudience

DETAILS_MAX_LENGTH = 1000


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=Report.State.OPEN)

    def about(self, content):
        """The reports of exactly this post or this comment."""
        if isinstance(content, Comment):
            return self.filter(comment=content)
        return self.filter(post=content)

    def in_circle(self, circle):
        """The reports of the posts shared with `circle` and of the comments under them."""
        shared = PostAudience.objects.filter(circle=circle).values("post_id")
        return self.filter(Q(post_id__in=shared) | Q(comment__post_id__in=shared))

    def of_content_seen_by(self, user):
        """The reports of what `user` may see: circle admins read reports through the visibility rule too.

        Correlated, so that each report probes its own post or comment instead
        of listing everything `user` may see.
        """
        seen_post = Post.objects.visible_to(user).filter(pk=OuterRef("post_id"))
        seen_comment = Comment.objects.visible_to(user).filter(pk=OuterRef("comment_id"))
        return self.filter(Q(Exists(seen_post)) | Q(Exists(seen_comment)))

    def against(self, user):
        """The reports of anything `user` wrote."""
        return self.filter(Q(post__author=user) | Q(comment__author=user))

    def for_queue(self):
        """The moderation queue: open reports first, those of the most reported content first, each content's together.

        Annotates `open_reports`: how many open reports the same content has.
        """
        open_reports = Report.objects.open().order_by()
        of_post = open_reports.filter(post=OuterRef("post")).values("post").annotate(n=Count("pk")).values("n")
        of_comment = open_reports.filter(comment=OuterRef("comment")).values("comment").annotate(n=Count("pk"))
        return self.annotate(
            queue_rank=Case(When(state=Report.State.OPEN, then=Value(0)), default=Value(1)),
            open_reports=Coalesce(Subquery(of_post), Subquery(of_comment.values("n")), 0),
        ).order_by(*QUEUE_ORDER)


# The order of `for_queue()`, whose annotations it needs.
QUEUE_ORDER = [
    "queue_rank",
    F("open_reports").desc(),
    F("post_id").asc(nulls_last=True),
    F("comment_id").asc(nulls_last=True),
    "created_at",
    "id",
]


class ReportReason(models.TextChoices):
    SPAM = "spam", "Spam"
    HARASSMENT = "harassment", "Harassment or bullying"
    OFFENSIVE = "offensive", "Hurtful or offensive"
    PRIVATE_INFORMATION = "private_information", "Private information"
    OTHER = "other", "Something else"


class ReportState(models.TextChoices):
    OPEN = "open", "Open"
    DISMISSED = "dismissed", "Dismissed"
    ACTIONED = "actioned", "Actioned"


class Report(models.Model):
    """Someone telling the site's moderators that a post or a comment they can see is not right."""

    Reason = ReportReason
    State = ReportState

    # Kept when the reporter deletes their account: the report still concerns the content.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports_made"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=DETAILS_MAX_LENGTH, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reports_resolved"
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True) | Q(post__isnull=True, comment__isnull=False),
                name="report_of_a_post_or_a_comment",
            ),
            # A second report while the first is open would only add noise to the queue.
            models.UniqueConstraint(
                fields=["reporter", "post"],
                condition=Q(state=ReportState.OPEN),
                name="report_one_open_per_person_and_post",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(state=ReportState.OPEN),
                name="report_one_open_per_person_and_comment",
            ),
            models.CheckConstraint(condition=Q(reason__in=ReportReason.values), name="report_reason_is_known"),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="report_state_is_known"),
            models.CheckConstraint(
                condition=Q(state=ReportState.OPEN, resolved_at__isnull=True)
                | (~Q(state=ReportState.OPEN) & Q(resolved_at__isnull=False)),
                name="report_resolved_once_closed",
            ),
        ]
        indexes = [models.Index(fields=["state", "-created_at"], name="report_queue")]

    def __str__(self):
        what = f"post {self.post_id}" if self.post_id else f"comment {self.comment_id}"
        return f"Report of {what}: {self.get_reason_display()}"

    @property
    def content(self) -> Post | Comment:
        return self.post if self.post_id else self.comment

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ModerationKind(models.TextChoices):
    HIDE = "hide", "Hide"
    UNHIDE = "unhide", "Unhide"
    DISMISS = "dismiss", "Dismiss reports"
    SUSPEND = "suspend", "Suspend person"
    REACTIVATE = "reactivate", "Reactivate person"
    DELETE_POST = "delete_post", "Delete post"
    DELETE_COMMENT = "delete_comment", "Delete comment"
    # Circle moderation, by a circle's admins.
    REMOVE_FROM_CIRCLE = "remove_from_circle", "Remove post from circle"
    REMOVE_MEMBER = "remove_member", "Remove member"
    BAN_MEMBER = "ban_member", "Ban member"
    UNBAN_MEMBER = "unban_member", "Unban member"


class ModerationTarget(models.TextChoices):
    POST = "post", "Post"
    COMMENT = "comment", "Comment"
    USER = "user", "Person"


class ModerationAction(models.Model):
    """One thing a moderator did, kept for good: who, what, to what, why and when.

    The target is kept as a type, an id and a copy of its text, so that the
    entry still says what it was about once the content is deleted.
    """

    Action = ModerationKind
    Target = ModerationTarget

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="moderation_actions"
    )
    actor_name = models.CharField(max_length=400, help_text="Who acted, as they were named then.")
    action = models.CharField(max_length=20, choices=Action.choices)
    target_type = models.CharField(max_length=10, choices=Target.choices)
    target_id = models.PositiveBigIntegerField()
    target_snapshot = models.TextField(blank=True, help_text="The content (or the person) as it was then.")
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="moderation_received",
        db_index=False,  # `moderation_of_person` below starts with it
    )
    target_author_name = models.CharField(max_length=400, blank=True)
    circle = models.ForeignKey(
        Circle, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_actions"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ModerationKind.values), name="moderation_action_is_known"),
            models.CheckConstraint(
                condition=Q(target_type__in=ModerationTarget.values), name="moderation_target_is_known"
            ),
        ]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="moderation_newest_first"),
            # A person's history, on the report page.
            models.Index(fields=["target_author", "-created_at"], name="moderation_of_person"),
        ]

    def __str__(self):
        return f"{self.actor_name}: {self.get_action_display()} {self.target_type} {self.target_id}"


class Ban(models.Model):
    """A person a circle's admins removed for good: no invitation lets them back in until they are unbanned."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bans")
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="bans_made"
    )
    reason = models.TextField(max_length=DETAILS_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Also the index that every invitation's acceptance asks.
            models.UniqueConstraint(fields=["circle", "user"], name="ban_once_per_person_and_circle"),
        ]

    def __str__(self):
        return f"{self.user.name} banned from {self.circle.name}"
