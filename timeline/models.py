"""Circles and who is in them: the unit of privacy that every later rule asks about."""

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User, blocked_either_way, blocked_either_way_sql, unwanted_authors_sql

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

    def listed_for(self, user):
        """`user`'s circles as lists show them: with member counts and `user`'s role."""
        return self.visible_to(user).with_member_count().with_role_of(user)

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


# --- Posts ------------------------------------------------------------------

MAX_IMAGES_PER_POST = 10
HIDDEN_REASON_MAX_LENGTH = 500


class Moderation(models.TextChoices):
    """Whether moderators have hidden a post or a comment from everyone but its author."""

    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden by a moderator"


class VisibleTo(models.Func):
    """Whether `user_id` may see the post of these columns: the rule of `PostQuerySet.visible_to`, in SQL.

    Written in SQL because the ORM took longer to build the rule's Q objects
    and subqueries than the database took to run them, on every page. The
    membership test is correlated, so that each post costs two index probes
    (its shares, then a membership) whatever the number of posts in that
    person's circles; the block list is one uncorrelated subquery.
    """

    output_field = models.BooleanField()

    def __init__(self, user_id):
        super().__init__(F("pk"), F("author_id"), F("moderation_state"))
        self.user_id = user_id

    def as_sql(self, compiler, connection, **extra_context):
        # Columns: no parameters.
        (post_id, _), (author_id, _), (state, _) = (compiler.compile(column) for column in self.source_expressions)
        audience, membership = PostAudience._meta.db_table, Membership._meta.db_table
        blocked, blocked_params = blocked_either_way_sql(self.user_id)
        # Nobody blocks themselves, so one's own posts are never excluded.
        sql = (
            f"(({author_id} = %s OR ({state} = %s AND EXISTS (SELECT 1 FROM {audience} a WHERE a.post_id = {post_id} "
            f"AND a.circle_id IN (SELECT circle_id FROM {membership} WHERE user_id = %s)))) "
            f"AND {author_id} NOT IN ({blocked}))"
        )
        return sql, [self.user_id, Moderation.VISIBLE, self.user_id, *blocked_params]


class PostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Posts `user` may see: THE visibility rule, and its only copy.

        A person sees a post if they wrote it, or if they are a member now of
        a circle it was shared with, it is not hidden by moderation, and
        neither of the two blocked the other. Every path that shows a post or
        anything about it (comments, reactions, photos, counts, notifications,
        exports) starts from this queryset. Staff see everything only in the
        admin, which does not use it.
        """
        if not user.is_authenticated:
            return self.none()
        return self.filter(VisibleTo(user.pk))

    def for_display(self, viewer):
        """Posts with their authors and their cards as `viewer` sees them, for `unpack_cards`."""
        return self.select_related("author").with_cards(viewer)

    def with_cards(self, viewer):
        """Posts with their `card` (`CardOf`): what each post's card shows as `viewer` sees it."""
        return self.annotate(card=CardOf(F("pk"), viewer))

    def in_order(self, ids) -> list:
        """The posts of `ids` in this queryset, in the order of `ids` (missing ones skipped)."""
        by_id = {post.pk: post for post in self.filter(pk__in=ids).order_by()}
        return [by_id[pk] for pk in ids if pk in by_id]

    def home_timeline_ids(self, user, sources=None, **keyset) -> list[int]:
        """Ids for `user`'s home timeline: their circles' posts and their own (journal included).

        Without the posts of people `user` muted or blocked or who blocked
        them. `sources` is `timeline_sources(user)`, for a caller that has it.
        """
        circles, unwanted_ids = sources or timeline_sources(user)
        # A list of values, not the subquery: it would be run again in every circle's branch.
        exclude = (", ".join(["%s"] * len(unwanted_ids)), unwanted_ids) if unwanted_ids else None
        circle_ids = [circle.pk for circle in circles]
        return self.timeline_ids(circle_ids=circle_ids, author=user, exclude_authors=exclude, **keyset)

    def circle_timeline_ids(self, circle, viewer, **keyset) -> list[int]:
        """Ids for one circle's timeline as `viewer` sees it: without the posts of people muted or blocked.

        One branch, so the subquery of those people runs once, in the same query.
        """
        return self.timeline_ids(circle_ids=[circle.pk], exclude_authors=unwanted_authors_sql(viewer.pk), **keyset)

    def timeline_ids(
        self, *, circle_ids, author=None, exclude_authors=None, position=None, backwards=False, limit=20
    ) -> list[int]:
        """Ids of the newest posts shared with `circle_ids` (or written by `author`), by keyset.

        Built for speed at any depth and any number of circles: each circle
        contributes its own newest `limit` posts from the audience index, the
        author's own posts come from theirs, and only those few rows are
        merged. Posts by `exclude_authors` (SQL and its parameters: a list of
        placeholders or a subquery) are skipped on the way, by the author
        copied onto each share, so that a page stays full. The caller must
        still filter the ids through `visible_to`.
        """
        post, audience = Post._meta.db_table, PostAudience._meta.db_table
        compare, direction = (">", "ASC") if backwards else ("<", "DESC")
        if position is not None:
            moment = parse_datetime(position[0]) if isinstance(position[0], str) else None
            if moment is None or not isinstance(position[1], int):
                raise ValueError("Not a timeline position.")
            created_at = connection.ops.adapt_datetimefield_value(moment)
            # The first bound lets the index scan start at the position.
            after = [created_at, created_at, position[1]]
        unwanted, unwanted_params = (
            (f"AND a.author_id NOT IN ({exclude_authors[0]})", exclude_authors[1]) if exclude_authors else ("", [])
        )
        branches, params = [], []
        for circle_id in circle_ids:
            keyset = f"AND a.created_at {compare}= %s AND (a.created_at {compare} %s OR a.post_id {compare} %s)"
            branches.append(
                f"SELECT a.post_id AS id, a.created_at AS created_at FROM {audience} a "
                f"WHERE a.circle_id = %s AND a.hidden = %s {unwanted} {keyset if position else ''} "
                f"ORDER BY a.created_at {direction}, a.post_id {direction} LIMIT %s"
            )
            params += [circle_id, False, *unwanted_params, *(after if position else []), limit]
        if author is not None:
            keyset = f"AND created_at {compare}= %s AND (created_at {compare} %s OR id {compare} %s)"
            branches.append(
                f"SELECT id, created_at FROM {post} WHERE author_id = %s {keyset if position else ''} "
                f"ORDER BY created_at {direction}, id {direction} LIMIT %s"
            )
            params += [author.pk, *(after if position else []), limit]
        if not branches:
            return []
        union = " UNION ".join(f"SELECT * FROM ({sql}) AS b{n}" for n, sql in enumerate(branches))
        sql = f"SELECT id FROM ({union}) AS merged ORDER BY created_at {direction}, id {direction} LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit])
            return [row[0] for row in cursor.fetchall()]


def timeline_sources(user) -> tuple[list[Circle], list[int]]:
    """`user`'s circles now (by name), and the people whose posts stay out of their timelines, in one query."""
    membership, circle = Membership._meta.db_table, Circle._meta.db_table
    unwanted, params = unwanted_authors_sql(user.pk)
    sql = (
        f"SELECT 0, c.id, c.name FROM {membership} m JOIN {circle} c ON c.id = m.circle_id WHERE m.user_id = %s "
        f"UNION ALL SELECT 1, id, NULL FROM ({unwanted}) AS unwanted"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, *params])
        rows = cursor.fetchall()
    circles = sorted((Circle(pk=pk, name=name) for kind, pk, name in rows if kind == 0), key=lambda c: (c.name, c.pk))
    return circles, [pk for kind, pk, _ in rows if kind == 1]


class Post(models.Model):
    """Something a person shared with some of their circles, or with nobody (a journal entry)."""

    Moderation = Moderation

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    body = models.TextField(max_length=5000, blank=True)
    circles = models.ManyToManyField(Circle, through="PostAudience", related_name="posts", blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderation_state = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.VISIBLE)
    hidden_reason = models.CharField(
        max_length=HIDDEN_REASON_MAX_LENGTH, blank=True, help_text="Why moderators hid it; shown to its author."
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A person's posts, newest first, by keyset (and the home timeline's "my own" branch).
            models.Index(fields=["author", "-created_at", "-id"], name="post_author_timeline"),
            models.Index(fields=["-created_at", "-id"], name="post_newest_first"),
            # The few hidden posts, for moderators' "hidden" filter in the admin.
            models.Index(
                fields=["-created_at", "-id"], condition=Q(moderation_state=Moderation.HIDDEN), name="post_hidden"
            ),
        ]

    def __str__(self):
        return f"{self.author.name}: {self.body[:40]}"

    def get_absolute_url(self):
        return reverse("post", args=[self.pk])

    @property
    def is_hidden(self) -> bool:
        return self.moderation_state == self.Moderation.HIDDEN

    @transaction.atomic
    def set_moderation_state(self, state: str, reason: str = "") -> None:
        """Hide or show the post again, on its shares too (the timelines read those)."""
        self.moderation_state, self.hidden_reason = state, reason
        self.save(update_fields=["moderation_state", "hidden_reason"])
        self.audience.update(hidden=self.is_hidden)

    def share_with(self, circle_ids) -> None:
        PostAudience.objects.bulk_create(
            PostAudience(
                post=self, circle_id=pk, created_at=self.created_at, author_id=self.author_id, hidden=self.is_hidden
            )
            for pk in circle_ids
        )

    def audience_now(self):
        """The post's circles, and everyone who can see it now: their current members and the author."""
        circles = list(self.circles.order_by("name", "pk"))
        return circles, list(audience_of(self.author_id, circles))


def audience_of(author_id, circles):
    """Who sees a post of `author_id` shared with `circles`: their current members and the author."""
    members = Membership.objects.filter(circle__in=circles).values("user_id")
    # Whoever blocked the author, or whom the author blocked, does not see it.
    everyone = User.objects.filter(Q(pk=author_id) | Q(pk__in=members)).exclude(blocked_either_way(author_id, "pk"))
    return everyone.order_by("name", "pk")


class PostAudience(models.Model):
    """A post shared with one circle.

    The post's `created_at`, `author` and whether it is hidden are copied
    here, so that a circle's timeline is one walk down one index that never
    visits the posts table. `Post.set_moderation_state` keeps `hidden` true.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="audience")
    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="audience")
    created_at = models.DateTimeField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False, editable=False
    )
    hidden = models.BooleanField(default=False, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "circle"], name="post_shared_once_per_circle")]
        indexes = [models.Index(fields=["circle", "-created_at", "-post"], name="audience_circle_timeline")]

    def __str__(self):
        return f"Post {self.post_id} in {self.circle_id}"


def post_image_path(image, filename):
    return f"posts/{image.post_id}/{secrets.token_hex(12)}{filename[filename.rfind('.') :]}"


class PostImage(models.Model):
    """A photo of a post, re-encoded without metadata, with its thumbnail."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    order = models.PositiveSmallIntegerField(default=0)
    alt = models.CharField("alt text", max_length=500, blank=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original = models.FileField(upload_to=post_image_path, max_length=200)
    thumbnail = models.FileField(upload_to=post_image_path, max_length=200)
    content_type = models.CharField(max_length=20, default="image/jpeg")

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "order"], name="post_image_order_unique")]

    def __str__(self):
        return self.alt or f"Photo {self.order + 1} of post {self.post_id}"

    def get_absolute_url(self):
        return reverse("post-image", args=[self.post_id, self.pk, "original"])

    def get_thumbnail_url(self):
        return reverse("post-image", args=[self.post_id, self.pk, "thumbnail"])


class PostRevision(models.Model):
    """An earlier body of a post, kept on every edit."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField(help_text="When this text was written.")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-replaced_at", "-pk"]

    def __str__(self):
        return f"Revision of post {self.post_id} from {self.created_at:%Y-%m-%d %H:%M}"


class CommentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Comments `user` may see: THE comment rule, and its only copy.

        The comments of the posts `user` may see, except those that
        moderators hid, which only their own author still sees. Every path
        that lists, counts or finds a comment starts from this queryset.
        """
        if not user.is_authenticated:
            return self.none()
        # Correlated, so that each comment costs a probe of its own post, never a walk of all posts.
        visible_post = Post.objects.visible_to(user).filter(pk=OuterRef("post_id"))
        return self.filter(Exists(visible_post)).not_hidden_from(user)

    def not_hidden_from(self, user=None):
        """The per-comment half of `visible_to`, for callers that already hold posts `user` may see.

        Comments that moderators hid (but one's own), and those of people
        `user` blocked or who blocked `user`.
        """
        shown = Q(moderation_state=Moderation.VISIBLE)
        if user is None or not user.is_authenticated:
            return self.filter(shown)
        return self.filter(shown | Q(author_id=user.pk)).exclude(blocked_either_way(user.pk, "author_id"))


class Comment(models.Model):
    """A reply under a post, seen by whoever sees the post (unless moderators hid it)."""

    Moderation = Moderation

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderation_state = models.CharField(max_length=10, choices=Moderation.choices, default=Moderation.VISIBLE)
    hidden_reason = models.CharField(
        max_length=HIDDEN_REASON_MAX_LENGTH, blank=True, help_text="Why moderators hid it; shown to its author."
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="comment_post_oldest_first"),
            # The few hidden comments, for moderators' "hidden" filter in the admin.
            models.Index(fields=["-id"], condition=Q(moderation_state=Moderation.HIDDEN), name="comment_hidden"),
        ]

    def __str__(self):
        return f"{self.author.name} on post {self.post_id}: {self.body[:40]}"

    @property
    def is_hidden(self) -> bool:
        return self.moderation_state == self.Moderation.HIDDEN

    def set_moderation_state(self, state: str, reason: str = "") -> None:
        """Hide or show the comment again."""
        self.moderation_state, self.hidden_reason = state, reason
        self.save(update_fields=["moderation_state", "hidden_reason"])


class Emoji(models.TextChoices):
    HEART = "❤️", "Love"
    THUMBS_UP = "👍", "Like"
    LAUGH = "😂", "Haha"
    WOW = "😮", "Wow"
    SAD = "😢", "Sad"
    PARTY = "🎉", "Celebrate"


class Reaction(models.Model):
    """One person's emoji on a post; one of each kind per person and post."""

    Emoji = Emoji

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions")
    emoji = models.CharField(max_length=8, choices=Emoji.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "emoji"], name="reaction_one_of_each_kind"),
            models.CheckConstraint(condition=Q(emoji__in=Emoji.values), name="reaction_emoji_is_known"),
        ]

    def __str__(self):
        return f"{self.user.name} {self.emoji} post {self.post_id}"


# What a post's card shows besides the post and its author, loaded with the post.


class CardOf(models.Func):
    """What the card of the post `post_id` shows besides the post and its author, as `viewer` sees it: JSON.

    Rows of (kind, id, text, number, number, number) from four parts, each
    probing its table's index on the post: the post's circles and photos,
    and its reactions and comments counted as `viewer` sees them (without the
    comments moderators hid but their own, without the comments and
    reactions of people blocked either way: `CommentQuerySet.not_hidden_from`,
    in SQL). It comes with the posts, in their query: on a timeline page,
    separate queries or prefetches cost more to build and wait for than to run.
    """

    output_field = models.TextField()

    def __init__(self, post_id, viewer):
        super().__init__(post_id)
        self.viewer = viewer

    def as_sql(self, compiler, connection, aggregate="json_group_array", array="json_array", **extra_context):
        post_id, _ = compiler.compile(self.source_expressions[0])  # a column: no parameters
        audience, circle, photo = PostAudience._meta.db_table, Circle._meta.db_table, PostImage._meta.db_table
        blocked, blocked_params = blocked_either_way_sql(self.viewer.pk)
        rows = (
            "SELECT 'circle' AS kind, c.id AS pk, c.name AS text, NULL AS n1, NULL AS n2, NULL AS n3 "
            f"FROM {audience} a JOIN {circle} c ON c.id = a.circle_id WHERE a.post_id = {post_id} "
            f"UNION ALL SELECT 'photo', id, alt, width, height, \"order\" FROM {photo} WHERE post_id = {post_id} "
            "UNION ALL SELECT 'reaction', NULL, emoji, COUNT(*), SUM(CASE WHEN user_id = %s THEN 1 ELSE 0 END), NULL "
            f"FROM {Reaction._meta.db_table} WHERE post_id = {post_id} AND user_id NOT IN ({blocked}) GROUP BY emoji "
            f"UNION ALL SELECT 'comments', NULL, NULL, COUNT(*), NULL, NULL FROM {Comment._meta.db_table} "
            f"WHERE post_id = {post_id} AND (moderation_state = %s OR author_id = %s) AND author_id NOT IN ({blocked})"
        )
        params = [self.viewer.pk, *blocked_params, Moderation.VISIBLE, self.viewer.pk, *blocked_params]
        return f"(SELECT CAST({aggregate}({array}(kind, pk, text, n1, n2, n3)) AS TEXT) FROM ({rows}) AS card)", params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, aggregate="json_agg", array="json_build_array", **extra_context)


@dataclass(slots=True)
class CardCircle:
    """A circle as a post's card shows it: a page holds dozens, and a `Circle` costs forty times more to make."""

    pk: int
    name: str

    get_absolute_url = Circle.get_absolute_url

    @property
    def id(self):
        return self.pk


@dataclass(slots=True)
class CardPhoto:
    """A photo as a post's card shows it (see `CardCircle`)."""

    pk: int
    post_id: int
    alt: str
    width: int
    height: int
    order: int

    get_absolute_url = PostImage.get_absolute_url
    get_thumbnail_url = PostImage.get_thumbnail_url

    @property
    def id(self):
        return self.pk


def unpack_cards(posts):
    """Set what each post's card shows from its `card` (see `for_display`), for the templates and the JSON.

    `shown_circles` (by name), `shown_images` (in order), `comment_count`,
    `reaction_counts` ({emoji: count}, in the fixed emoji order) and
    `my_reactions` (the viewer's own).
    """
    emojis = Emoji.values
    for post in posts:
        circles, images, reactions, mine, comments = [], [], {}, [], 0
        for kind, pk, text, first, second, third in json.loads(post.card or "[]"):
            if kind == "circle":
                circles.append(CardCircle(pk, text))
            elif kind == "photo":
                images.append(CardPhoto(pk, post.pk, text, first, second, third))
            elif kind == "reaction":
                reactions[text] = first
                if second:
                    mine.append(text)
            else:
                comments = first
        post.shown_circles = sorted(circles, key=lambda circle: (circle.name, circle.pk))
        post.shown_images = sorted(images, key=lambda image: (image.order, image.pk))
        post.reaction_counts = {emoji: reactions[emoji] for emoji in emojis if emoji in reactions}
        post.my_reactions = [emoji for emoji in emojis if emoji in mine]
        post.comment_count = comments
    return posts


def reload_card(post, viewer):
    """Read `post`'s card again as `viewer` sees it, after a reaction or once written: one query."""
    post.card = Post.objects.filter(pk=post.pk).with_cards(viewer).values_list("card", flat=True).get()
    return unpack_cards([post])[0]
