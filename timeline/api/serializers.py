from rest_framework import serializers

from accounts.api.serializers import PersonSerializer
from circleshare.api.serializers import StrictModelSerializer, StrictSerializer
from circleshare.links import absolute_url
from timeline.models import (
    INVITATION_DAYS,
    MAX_IMAGES_PER_POST,
    Circle,
    Comment,
    Emoji,
    Invitation,
    Membership,
    Post,
    PostImage,
)

MAX_INVITATION_DAYS = 90
MAX_ID = 2**63 - 1
MAX_INVITATION_USES = 1000
DATETIME = serializers.DateTimeField()


class CircleSerializer(StrictModelSerializer):
    id = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=Membership.Role.choices, read_only=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Circle
        fields = ["id", "name", "description", "role", "member_count", "created_at"]
        read_only_fields = ["created_at"]

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("Enter a name.")
        return value


class CircleRefSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)

    class Meta:
        model = Circle
        fields = ["id", "name"]


class MemberSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "role", "joined_at"]


class RoleChangeSerializer(StrictSerializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "token", "url", "email", "created_at", "expires_at", "max_uses", "uses", "status"]

    def get_url(self, invitation) -> str:
        return absolute_url(invitation.get_absolute_url(), self.context.get("request"))


class InvitationCreateSerializer(StrictSerializer):
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    max_uses = serializers.IntegerField(required=False, default=1, min_value=1, max_value=MAX_INVITATION_USES)
    expires_in_days = serializers.IntegerField(
        required=False, default=INVITATION_DAYS, min_value=1, max_value=MAX_INVITATION_DAYS
    )


class InvitationPreviewSerializer(serializers.ModelSerializer):
    """What the holder of a link may learn before joining: who invites them to what."""

    circle = serializers.SerializerMethodField()
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["circle", "invited_by", "expires_at"]

    def get_circle(self, invitation) -> dict[str, str]:
        return {"name": invitation.circle.name}

    def get_invited_by(self, invitation) -> dict[str, str]:
        return {"name": invitation.created_by.name}


class PostImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = PostImage
        fields = ["url", "thumbnail_url", "width", "height", "alt"]

    def get_url(self, image) -> str:
        return absolute_url(image.get_absolute_url(), self.context.get("request"))

    def get_thumbnail_url(self, image) -> str:
        return absolute_url(image.get_thumbnail_url(), self.context.get("request"))


class PostSerializer(serializers.ModelSerializer):
    """A post as everyone who may see it sees it. Load posts with `for_display(viewer)` and `unpack_cards()`."""

    id = serializers.CharField(read_only=True)
    author = PersonSerializer(read_only=True)
    circles = CircleRefSerializer(many=True, read_only=True, source="shown_circles")
    images = PostImageSerializer(many=True, read_only=True, source="shown_images")
    comment_count = serializers.IntegerField(read_only=True)
    reactions = serializers.DictField(child=serializers.IntegerField(), source="reaction_counts", read_only=True)
    my_reactions = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "id",
            "author",
            "body",
            "circles",
            "images",
            "created_at",
            "edited_at",
            "comment_count",
            "reactions",
            "my_reactions",
            "is_hidden",
            "hidden_reason",
        ]
        # Only the author ever gets a hidden post, so only they see why it was hidden.
        read_only_fields = ["hidden_reason"]

    def to_representation(self, post):
        """The fields above, built directly: a timeline page is twenty of these, and DRF's
        field-by-field walk cost more than the page's SQL. A test holds both to the same output."""
        request = self.context.get("request")
        author = post.author
        return {
            "id": str(post.pk),
            "author": {"id": str(author.pk), "name": author.name, "avatar_url": author.avatar_url},
            "body": post.body,
            "circles": [{"id": str(circle.pk), "name": circle.name} for circle in post.shown_circles],
            "images": [
                {
                    "url": absolute_url(image.get_absolute_url(), request),
                    "thumbnail_url": absolute_url(image.get_thumbnail_url(), request),
                    "width": image.width,
                    "height": image.height,
                    "alt": image.alt,
                }
                for image in post.shown_images
            ],
            "created_at": DATETIME.to_representation(post.created_at),
            "edited_at": post.edited_at and DATETIME.to_representation(post.edited_at),
            "comment_count": post.comment_count,
            "reactions": post.reaction_counts,
            "my_reactions": post.my_reactions,
            "is_hidden": post.is_hidden,
            "hidden_reason": post.hidden_reason,
        }


class PostWriteSerializer(StrictSerializer):
    """Create a post: JSON, or multipart with `images` (files) and `alt_texts` (one per image, in order)."""

    body = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="", trim_whitespace=False)
    circle_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, default=list, max_length=500
    )
    images = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, max_length=MAX_IMAGES_PER_POST
    )
    alt_texts = serializers.ListField(
        child=serializers.CharField(max_length=500, allow_blank=True), required=False, max_length=MAX_IMAGES_PER_POST
    )


class PostUpdateSerializer(StrictSerializer):
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True, trim_whitespace=False)
    circle_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False, max_length=500
    )


class AudienceSerializer(serializers.Serializer):
    circles = CircleRefSerializer(many=True)
    people = PersonSerializer(many=True)
    count = serializers.IntegerField()


class CommentSerializer(serializers.ModelSerializer):
    id = serializers.CharField(read_only=True)
    post = serializers.CharField(source="post_id", read_only=True)
    author = PersonSerializer(read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "post", "author", "body", "created_at", "edited_at", "is_hidden", "hidden_reason"]
        # Only the author ever gets a hidden comment, so only they see why it was hidden.
        read_only_fields = ["created_at", "edited_at", "hidden_reason"]


class CommentWriteSerializer(StrictSerializer):
    body = serializers.CharField(max_length=2000)


class ReactionSerializer(StrictSerializer):
    emoji = serializers.ChoiceField(choices=Emoji.choices)


class ReactionsSerializer(serializers.Serializer):
    reactions = serializers.DictField(child=serializers.IntegerField())
    my_reactions = serializers.ListField(child=serializers.CharField())


class PersonProfileSerializer(PersonSerializer):
    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "bio"]
