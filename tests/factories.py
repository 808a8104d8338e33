import factory

from accounts.models import AccessToken, Block, Mute, User
from timeline.models import Circle, Invitation, Membership

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


class AccessTokenFactory(factory.django.DjangoModelFactory):
    """A token; its key (to send) is on `.key`, since only the digest is stored."""

    class Meta:
        model = AccessToken

    user = factory.SubFactory(UserFactory)
    key = factory.LazyFunction(AccessToken.new_key)
    digest = factory.LazyAttribute(lambda token: AccessToken.digest_of(token.key))

    @classmethod
    def _create(cls, model_class, *args, key, **kwargs):
        token = super()._create(model_class, *args, **kwargs)
        token.key = key
        return token


class MuteFactory(factory.django.DjangoModelFactory):
    """`user` muted `muted`."""

    class Meta:
        model = Mute

    user = factory.SubFactory(UserFactory)
    muted = factory.SubFactory(UserFactory)


class BlockFactory(factory.django.DjangoModelFactory):
    """`user` blocked `blocked`."""

    class Meta:
        model = Block

    user = factory.SubFactory(UserFactory)
    blocked = factory.SubFactory(UserFactory)


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Circle {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    circle = factory.SubFactory(CircleFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    circle = factory.SubFactory(CircleFactory)
    created_by = factory.SubFactory(UserFactory)


# --- Posts ------------------------------------------------------------------
# Imported here so that the block can be read (and moved) on its own.
from timeline.models import Comment, Emoji, Post, PostAudience, PostImage, Reaction  # noqa: E402


class PostFactory(factory.django.DjangoModelFactory):
    """A post; `PostFactory(circles=[circle, ...])` shares it (with `created_at` copied onto each share)."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Post number {n}")

    @factory.post_generation
    def circles(post, create, circles, **kwargs):
        for circle in circles or ():
            PostAudienceFactory(post=post, circle=circle)


class PostAudienceFactory(factory.django.DjangoModelFactory):
    """A post shared with a circle; what the timeline index needs is copied from the post."""

    class Meta:
        model = PostAudience

    post = factory.SubFactory(PostFactory)
    circle = factory.SubFactory(CircleFactory)
    created_at = factory.LazyAttribute(lambda audience: audience.post.created_at)
    author = factory.LazyAttribute(lambda audience: audience.post.author)
    hidden = factory.LazyAttribute(lambda audience: audience.post.is_hidden)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment number {n}")


class ReactionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reaction

    post = factory.SubFactory(PostFactory)
    user = factory.SubFactory(UserFactory)
    emoji = Emoji.HEART


class PostImageFactory(factory.django.DjangoModelFactory):
    """A stored photo, written as is: for tests of serving files, not of cleaning uploads."""

    class Meta:
        model = PostImage

    post = factory.SubFactory(PostFactory)
    order = factory.Sequence(lambda n: n)
    width = 64
    height = 48
    original = factory.django.FileField(filename="photo.jpg", data=b"\xff\xd8\xff\xe0 not really a photo")
    thumbnail = factory.django.FileField(filename="thumb.jpg", data=b"\xff\xd8\xff\xe0 not really a thumbnail")


# --- Moderation -------------------------------------------------------------
from moderation.models import Ban, ModerationAction, Report  # noqa: E402


class ReportFactory(factory.django.DjangoModelFactory):
    """An open report of a post; `ReportFactory(comment=comment)` reports a comment instead."""

    class Meta:
        model = Report

    reporter = factory.SubFactory(UserFactory)
    comment = None
    post = factory.Maybe("comment", yes_declaration=None, no_declaration=factory.SubFactory(PostFactory))
    reason = Report.Reason.SPAM


class ModerationActionFactory(factory.django.DjangoModelFactory):
    """An audit entry: a staff member hid someone's post."""

    class Meta:
        model = ModerationAction

    actor = factory.SubFactory(UserFactory, is_staff=True)
    actor_name = factory.LazyAttribute(lambda entry: f"{entry.actor.name} <{entry.actor.email}>")
    action = ModerationAction.Action.HIDE
    target_type = ModerationAction.Target.POST
    target_id = factory.Sequence(lambda n: n + 1)
    target_snapshot = factory.Sequence(lambda n: f"Reported text number {n}")
    target_author = factory.SubFactory(UserFactory)
    target_author_name = factory.LazyAttribute(
        lambda entry: f"{entry.target_author.name} <{entry.target_author.email}>"
    )
    reason = "Spam"


class BanFactory(factory.django.DjangoModelFactory):
    """A person banned from a circle (written as is: `moderation.services.member_ban` also removes and records)."""

    class Meta:
        model = Ban

    circle = factory.SubFactory(CircleFactory)
    user = factory.SubFactory(UserFactory)
    banned_by = factory.SubFactory(UserFactory)
    reason = "Kept posting spam"
