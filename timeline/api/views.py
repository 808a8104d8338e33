from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from timeline import services
from timeline.api.serializers import (
    CircleSerializer,
    InvitationCreateSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    MemberSerializer,
    RoleChangeSerializer,
)
from timeline.models import Circle


def my_circles(user):
    return Circle.objects.visible_to(user).with_member_count().with_role_of(user)


class CircleViewSet(viewsets.ModelViewSet):
    """The circles you are in. Only admins and the owner may change a circle; only the owner may delete it."""

    serializer_class = CircleSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ("name", "pk")

    def get_queryset(self):
        return my_circles(self.request.user)

    def perform_create(self, serializer):
        circle = services.circle_create(creator=self.request.user, **serializer.validated_data)
        serializer.instance = self.get_queryset().get(pk=circle.pk)

    def perform_update(self, serializer):
        circle = services.circle_update(
            circle=serializer.instance, actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=circle.pk)

    def perform_destroy(self, instance):
        services.circle_delete(circle=instance, actor=self.request.user)


class CircleScopedMixin:
    """For paths under circles/{circle_pk}/: the circle, or 404 if you are not in it."""

    @cached_property
    def circle(self):
        return get_object_or_404(Circle.objects.visible_to(self.request.user), pk=self.kwargs["circle_pk"])


class CircleMemberViewSet(CircleScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members of a circle. Admins change roles and remove members; anyone may remove themselves (leave)."""

    serializer_class = MemberSerializer
    ordering = ("joined_at", "pk")

    def get_queryset(self):
        return self.circle.memberships.select_related("user")

    def target(self):
        return get_object_or_404(self.get_queryset(), user_id=self.kwargs["user_pk"]).user

    @extend_schema(request=RoleChangeSerializer, responses={200: MemberSerializer, 400: None, 403: None, 404: None})
    def partial_update(self, request, *args, **kwargs):
        serializer = RoleChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_set_role(
            circle=self.circle, actor=request.user, user=self.target(), role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: OpenApiResponse(description="Removed."), 400: None, 403: None, 404: None})
    def destroy(self, request, *args, **kwargs):
        services.membership_remove(circle=self.circle, actor=request.user, user=self.target())
        return Response(status=status.HTTP_204_NO_CONTENT)


class CircleInvitationViewSet(
    CircleScopedMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Invitation links of a circle, for its admins and owner."""

    serializer_class = InvitationSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        services.require_manager(self.circle, self.request.user)
        return self.circle.invitations.all()

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer, 400: None, 403: None})
    def create(self, request, *args, **kwargs):
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invitation = services.invitation_create(circle=self.circle, actor=request.user, **serializer.validated_data)
        data = InvitationSerializer(invitation, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: OpenApiResponse(description="Revoked."), 403: None, 404: None})
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.invitation_revoke(invitation=instance, actor=self.request.user)


class InvitationPreviewView(APIView):
    """Who invites you to what. Unknown, expired, revoked and used-up links all answer 404."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: InvitationPreviewSerializer, 404: None})
    def get(self, request, token):
        return Response(InvitationPreviewSerializer(services.invitation_find(token)).data)


class InvitationAcceptView(APIView):
    """Join the circle of an invitation; returns the circle."""

    @extend_schema(request=None, responses={200: CircleSerializer, 400: None, 403: None, 404: None})
    def post(self, request, token):
        membership = services.invitation_accept(token=token, user=request.user)
        circle = my_circles(request.user).get(pk=membership.circle_id)
        return Response(CircleSerializer(circle).data)
