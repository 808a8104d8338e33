from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import (
    AuthResultSerializer,
    MeSerializer,
    MutedSerializer,
    PersonRefSerializer,
    RegisterSerializer,
    TokenRequestSerializer,
)
from accounts.models import AccessToken, Block, Mute, User
from circleshare.api.exceptions import BadRequest

NOT_A_TOKEN_REQUEST = "This request was not authenticated with a token."


def auth_result(user, key):
    return {"token": key, "user": MeSerializer(user).data}


class RegisterView(APIView):
    """Create an account and receive a token for it."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=RegisterSerializer,
        responses={201: AuthResultSerializer, 400: None, 403: None, 404: None, 415: None, 429: None},
    )
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.user_register(request=request, **serializer.validated_data)
        key = services.token_create(user=user)
        return Response(auth_result(user, key), status=status.HTTP_201_CREATED)


class TokenView(APIView):
    """Exchange an email and password for a bearer token, or revoke the token in use."""

    def get_permissions(self):
        if self.request.method == "POST":
            return [AllowAny()]
        return super().get_permissions()

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: AuthResultSerializer, 400: None, 401: None, 415: None, 429: None},
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = services.user_authenticate(request=request, **serializer.validated_data)
        except services.InvalidCredentials as error:
            raise AuthenticationFailed(str(error)) from None
        key = services.token_create(user=user)
        return Response(auth_result(user, key))

    @extend_schema(request=None, responses={204: OpenApiResponse(description="Revoked."), 400: None})
    def delete(self, request):
        if not isinstance(request.auth, AccessToken):
            raise BadRequest(NOT_A_TOKEN_REQUEST)
        services.token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(patch=extend_schema(responses={200: MeSerializer, 400: None, 415: None}))
class MeView(generics.RetrieveUpdateAPIView):
    """Your own profile."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        data = serializer.validated_data
        avatar = data.get("avatar")
        services.user_update_profile(
            user=self.request.user,
            name=data.get("name"),
            bio=data.get("bio"),
            avatar=avatar,
            remove_avatar="avatar" in data and avatar is None,
        )


class PeopleListMixin:
    """Your mutes or blocks: `model`'s rows of yours, with the other person as `user`."""

    serializer_class = MutedSerializer
    ordering = ("-created_at", "-pk")
    model, field = None, None  # and `create_row(user=..., <field>=person)`, a service

    def get_queryset(self):
        return self.model.objects.filter(user=self.request.user).select_related(self.field)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return [{"user": getattr(row, self.field), "created_at": row.created_at} for row in page]

    @extend_schema(
        request=PersonRefSerializer,
        responses={201: MutedSerializer, 200: MutedSerializer, 400: None, 404: None, 415: None},
    )
    def post(self, request):
        serializer = PersonRefSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = get_object_or_404(User.objects.visible_to(request.user), pk=serializer.validated_data["user"])
        row, created = self.create_row(user=request.user, **{self.field: person})
        data = MutedSerializer({"user": person, "created_at": row.created_at}).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema_view(get=extend_schema(responses={200: MutedSerializer, 404: None}))
class MutesView(PeopleListMixin, generics.ListAPIView):
    """The people you muted: their posts stay out of your timelines (a link still opens them). Mute someone."""

    model, field = Mute, "muted"
    create_row = staticmethod(services.mute_create)


class MuteView(APIView):
    """Unmute someone."""

    @extend_schema(responses={204: OpenApiResponse(description="Unmuted."), 404: None})
    def delete(self, request, user_pk):
        mute = get_object_or_404(Mute.objects.filter(user=request.user), muted_id=user_pk)
        services.mute_delete(user=request.user, muted_id=mute.muted_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(responses={200: MutedSerializer, 404: None}))
class BlocksView(PeopleListMixin, generics.ListAPIView):
    """The people you blocked: neither of you sees the other's posts, comments or reactions. Block someone.

    Nobody is told. You still see each other in lists of people, so that you can unblock.
    """

    model, field = Block, "blocked"
    create_row = staticmethod(services.block_create)


class BlockView(APIView):
    """Unblock someone."""

    @extend_schema(responses={204: OpenApiResponse(description="Unblocked."), 404: None})
    def delete(self, request, user_pk):
        block = get_object_or_404(Block.objects.filter(user=request.user), blocked_id=user_pk)
        services.block_delete(user=request.user, blocked_id=block.blocked_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
