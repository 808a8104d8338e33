from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import PersonSerializer
from accounts.models import User
from circleshare.files import private_file_response
from moderation import services as moderation
from timeline import services
from timeline.api.serializers import (
    AudienceSerializer,
    CircleSerializer,
    CommentSerializer,
    CommentWriteSerializer,
    InvitationCreateSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    MemberSerializer,
    PersonProfileSerializer,
    PostSerializer,
    PostUpdateSerializer,
    PostWriteSerializer,
    ReactionSerializer,
    ReactionsSerializer,
    RoleChangeSerializer,
)
from timeline.models import Circle, Comment, Post, reload_card, unpack_cards


@extend_schema_view(
    list=extend_schema(responses={200: CircleSerializer, 404: None}),
    create=extend_schema(responses={201: CircleSerializer, 400: None, 415: None}),
    retrieve=extend_schema(responses={200: CircleSerializer, 404: None}),
    partial_update=extend_schema(responses={200: CircleSerializer, 400: None, 403: None, 404: None, 415: None}),
    destroy=extend_schema(responses={204: OpenApiResponse(description="Deleted."), 403: None, 404: None}),
)
class CircleViewSet(viewsets.ModelViewSet):
    """The circles you are in. Only admins and the owner may change a circle; only the owner may delete it."""

    serializer_class = CircleSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ("name", "pk")

    def get_queryset(self):
        return Circle.objects.listed_for(self.request.user)

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


@extend_schema_view(list=extend_schema(responses={200: MemberSerializer, 404: None}))
class CircleMemberViewSet(CircleScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Members of a circle. Admins change roles and remove members; anyone may remove themselves (leave)."""

    serializer_class = MemberSerializer
    ordering = ("joined_at", "pk")

    def get_queryset(self):
        return self.circle.memberships.select_related("user")

    def target(self):
        return get_object_or_404(self.get_queryset(), user_id=self.kwargs["user_pk"]).user

    @extend_schema(
        request=RoleChangeSerializer, responses={200: MemberSerializer, 400: None, 403: None, 404: None, 415: None}
    )
    def partial_update(self, request, *args, **kwargs):
        serializer = RoleChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = services.membership_set_role(
            circle=self.circle, actor=request.user, user=self.target(), role=serializer.validated_data["role"]
        )
        return Response(MemberSerializer(membership).data)

    @extend_schema(responses={204: OpenApiResponse(description="Removed."), 400: None, 403: None, 404: None})
    def destroy(self, request, *args, **kwargs):
        moderation.member_remove(circle=self.circle, actor=request.user, user=self.target())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(responses={200: InvitationSerializer, 403: None, 404: None}))
class CircleInvitationViewSet(
    CircleScopedMixin, mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Invitation links of a circle, for its admins and owner."""

    serializer_class = InvitationSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        services.require_manager(self.circle, self.request.user)
        return self.circle.invitations.all()

    @extend_schema(
        request=InvitationCreateSerializer,
        responses={201: InvitationSerializer, 400: None, 403: None, 404: None, 415: None, 429: None},
    )
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
        return Response(InvitationPreviewSerializer(services.invitation_find(token, request.user)).data)


class InvitationAcceptView(APIView):
    """Join the circle of an invitation; returns the circle."""

    @extend_schema(request=None, responses={200: CircleSerializer, 400: None, 403: None, 404: None, 429: None})
    def post(self, request, token):
        membership = services.invitation_accept(token=token, user=request.user)
        circle = Circle.objects.listed_for(request.user).get(pk=membership.circle_id)
        return Response(CircleSerializer(circle).data)


# --- Posts ------------------------------------------------------------------


def visible_posts(user):
    return Post.objects.visible_to(user).for_display(user)


class PostListMixin:
    """A cursor-paginated list of posts, newest first, in a constant number of queries."""

    serializer_class = PostSerializer
    ordering = ("-created_at", "-pk")

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return unpack_cards(page)


@extend_schema_view(get=extend_schema(responses={200: PostSerializer, 404: None}))
class TimelineView(PostListMixin, generics.ListAPIView):
    """Your home timeline: what your circles shared, and your own posts (journal included), newest first."""

    def get_queryset(self):
        return Post.objects.none()  # pages come from fetch_page

    def timeline_ids(self, **keyset):
        return Post.objects.home_timeline_ids(self.request.user, **keyset)

    def fetch_page(self, *, position, backwards, limit):
        ids = self.timeline_ids(position=position, backwards=backwards, limit=limit)
        return visible_posts(self.request.user).in_order(ids)


class CirclePostsView(CircleScopedMixin, TimelineView):
    """The timeline of one circle you are in."""

    def timeline_ids(self, **keyset):
        return Post.objects.circle_timeline_ids(self.circle, self.request.user, **keyset)


@extend_schema_view(retrieve=extend_schema(responses={200: PostSerializer, 404: None}))
class PostViewSet(viewsets.ModelViewSet):
    """Posts: share with some of your circles (or none, for a journal entry); edit and delete your own.

    DELETE by an admin of the post's circles takes it out of the circles they run:
    its author and its other circles keep it.
    """

    serializer_class = PostSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser]

    def get_queryset(self):
        return visible_posts(self.request.user)

    def retrieve(self, request, *args, **kwargs):
        post = unpack_cards([self.get_object()])[0]
        return Response(PostSerializer(post, context=self.get_serializer_context()).data)

    def list(self, request, *args, **kwargs):
        raise MethodNotAllowed("GET", detail="Read posts from /api/v1/timeline/.")

    def shown(self, post):
        post = unpack_cards(visible_posts(self.request.user).in_order([post.pk]))[0]
        return PostSerializer(post, context=self.get_serializer_context())

    @extend_schema(
        request={"application/json": PostWriteSerializer, "multipart/form-data": PostWriteSerializer},
        responses={201: PostSerializer, 400: None, 415: None, 429: None},
    )
    def create(self, request, *args, **kwargs):
        serializer = PostWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        post = reload_card(services.post_create(author=request.user, **serializer.validated_data), request.user)
        return Response(
            PostSerializer(post, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=PostUpdateSerializer, responses={200: PostSerializer, 400: None, 403: None, 404: None, 415: None}
    )
    def partial_update(self, request, *args, **kwargs):
        post = self.get_object()
        serializer = PostUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.post_update(post=post, actor=request.user, **serializer.validated_data)
        return Response(self.shown(post).data)

    @extend_schema(responses={204: OpenApiResponse(description="Deleted."), 403: None, 404: None})
    def destroy(self, request, *args, **kwargs):
        moderation.post_remove(post=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PostScopedMixin:
    """For paths under posts/{post_pk}/: the post, or 404 if you may not see it."""

    @cached_property
    def scoped_post(self):
        return get_object_or_404(Post.objects.visible_to(self.request.user), pk=self.kwargs["post_pk"])


class PostAudienceView(PostScopedMixin, APIView):
    """Exactly who can see your post now: the members of its circles today, and you."""

    @extend_schema(responses={200: AudienceSerializer, 404: None})
    def get(self, request, post_pk):
        if self.scoped_post.author_id != request.user.pk:
            raise Http404
        circles, people = self.scoped_post.audience_now()
        return Response(AudienceSerializer({"circles": circles, "people": people, "count": len(people)}).data)


@extend_schema_view(get=extend_schema(responses={200: CommentSerializer, 404: None}))
class PostCommentsView(PostScopedMixin, generics.ListCreateAPIView):
    """Comments on a post, oldest first; anyone who sees the post may add one."""

    serializer_class = CommentSerializer
    ordering = ("created_at", "pk")

    def get_queryset(self):
        return Comment.objects.visible_to(self.request.user).filter(post=self.scoped_post).select_related("author")

    @extend_schema(
        request=CommentWriteSerializer,
        responses={201: CommentSerializer, 400: None, 404: None, 415: None, 429: None},
    )
    def post(self, request, *args, **kwargs):
        serializer = CommentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_create(post=self.scoped_post, author=request.user, **serializer.validated_data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentView(generics.GenericAPIView):
    """Edit your comment; delete it, or any comment on your post or in a circle you run."""

    serializer_class = CommentSerializer

    def get_queryset(self):
        return Comment.objects.visible_to(self.request.user).select_related("author", "post")

    @extend_schema(
        request=CommentWriteSerializer,
        responses={200: CommentSerializer, 400: None, 403: None, 404: None, 415: None},
    )
    def patch(self, request, pk):
        comment = self.get_object()
        serializer = CommentWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.comment_update(comment=comment, actor=request.user, **serializer.validated_data)
        return Response(CommentSerializer(comment).data)

    @extend_schema(responses={204: OpenApiResponse(description="Deleted."), 403: None, 404: None})
    def delete(self, request, pk):
        moderation.comment_remove(comment=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def reactions_of(post, user):
    post = reload_card(post, user)
    return {"reactions": post.reaction_counts, "my_reactions": post.my_reactions}


class PostReactionsView(PostScopedMixin, APIView):
    """React to a post with one of the fixed emoji."""

    @extend_schema(
        request=ReactionSerializer,
        responses={201: ReactionsSerializer, 200: ReactionsSerializer, 400: None, 404: None, 415: None},
    )
    def post(self, request, post_pk):
        serializer = ReactionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.reaction_add(post=self.scoped_post, user=request.user, **serializer.validated_data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(reactions_of(self.scoped_post, request.user), status=code)


class PostReactionView(PostScopedMixin, APIView):
    @extend_schema(responses={204: OpenApiResponse(description="Removed."), 404: None})
    def delete(self, request, post_pk, emoji):
        services.reaction_remove(post=self.scoped_post, user=request.user, emoji=emoji)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- People -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(responses={200: PersonSerializer, 404: None}),
    retrieve=extend_schema(responses={200: PersonProfileSerializer, 404: None}),
)
class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """People who share a circle with you now, and you."""

    ordering = ("name", "pk")

    def get_queryset(self):
        return User.objects.visible_to(self.request.user)

    def get_serializer_class(self):
        return PersonProfileSerializer if self.action == "retrieve" else PersonSerializer


@extend_schema_view(get=extend_schema(responses={200: PostSerializer, 404: None}))
class UserPostsView(PostListMixin, generics.ListAPIView):
    """A person's posts that you may see, newest first."""

    def get_queryset(self):
        person = get_object_or_404(User.objects.visible_to(self.request.user), pk=self.kwargs["user_pk"])
        return visible_posts(self.request.user).filter(author=person)


class PostImageFileView(APIView):
    """A photo file of a post, served only to those who may see the post (Bearer token or session)."""

    @extend_schema(exclude=True)
    def get(self, request, post_pk, pk, size):
        if size not in ("original", "thumbnail"):
            raise Http404
        post = get_object_or_404(Post.objects.visible_to(request.user), pk=post_pk)
        image = get_object_or_404(post.images, pk=pk)
        return private_file_response(getattr(image, size), content_type=image.content_type)
