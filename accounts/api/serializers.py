from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User
from circleshare.api.serializers import IdField, StrictModelSerializer, StrictSerializer


class PersonSerializer(serializers.ModelSerializer):
    """How a person appears to others: never with their email address."""

    id = serializers.CharField(read_only=True)
    avatar_url = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "name", "avatar_url"]


class MeSerializer(StrictModelSerializer):
    """One's own profile. Send `avatar` as a file (multipart) or null to remove it."""

    id = serializers.CharField(read_only=True)
    avatar_url = serializers.CharField(read_only=True, allow_null=True)
    avatar = serializers.ImageField(write_only=True, required=False, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "name", "email", "bio", "avatar_url", "avatar", "created_at"]
        read_only_fields = ["email", "created_at"]
        extra_kwargs = {"name": {"allow_blank": False}}

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("Enter a name.")
        return value


class RegisterSerializer(StrictSerializer):
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, max_length=128, style={"input_type": "password"})
    invitation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text="The token of an invitation link, to join its circle.",
    )

    def validate_name(self, value):
        if not value.strip():
            raise serializers.ValidationError("Enter a name.")
        return value

    def validate(self, attrs):
        candidate = User(email=attrs["email"], name=attrs["name"])
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": list(error.messages)}) from None
        return attrs


class TokenRequestSerializer(StrictSerializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class AuthResultSerializer(serializers.Serializer):
    """A new token (shown once) and the person it belongs to."""

    token = serializers.CharField()
    user = MeSerializer()


class MutedSerializer(serializers.Serializer):
    """Someone you muted or blocked, and since when."""

    user = PersonSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class PersonRefSerializer(StrictSerializer):
    user = IdField(help_text="The id of a person you can see.")
