from rest_framework import serializers

from accounts.api.serializers import PersonSerializer
from circleshare.api.serializers import StrictModelSerializer, StrictSerializer
from circleshare.links import absolute_url
from timeline.models import INVITATION_DAYS, Circle, Invitation, Membership

MAX_INVITATION_DAYS = 90
MAX_INVITATION_USES = 1000


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
