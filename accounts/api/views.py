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
    RegisterSerializer,
    TokenRequestSerializer,
)
from accounts.models import AccessToken
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
