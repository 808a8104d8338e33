from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from moderation import services
from moderation.api.serializers import (
    BanCreateSerializer,
    BanSerializer,
    CircleReportSerializer,
    ModerationReasonSerializer,
    ReportCreateSerializer,
    ReportSerializer,
)
from moderation.models import Report
from timeline.api.views import CircleScopedMixin
from timeline.models import Comment, Post
from timeline.services import require_manager


class ReportCreateView(APIView):
    """Report a post or a comment you can see to the site's moderators.

    Anything you cannot see answers 404, like something that does not exist;
    your own post or comment answers 400. Reporting the same thing again while
    your report of it is open creates nothing: the answer is 200 with that
    report (201 when the report is new). The author is never told who
    reported, and the report never tells you what moderators did.
    """

    @extend_schema(
        request=ReportCreateSerializer,
        responses={201: ReportSerializer, 200: ReportSerializer, 400: None, 404: None, 415: None, 429: None},
    )
    def post(self, request):
        serializer = ReportCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "post" in data:
            target = {"post": get_object_or_404(Post.objects.visible_to(request.user), pk=data["post"])}
        else:
            target = {"comment": get_object_or_404(Comment.objects.visible_to(request.user), pk=data["comment"])}
        report, created = services.report_create(
            reporter=request.user, reason=data["reason"], details=data["details"], **target
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(ReportSerializer(report).data, status=code)


# --- Moderation by a circle's admins and owner --------------------------------
# Every path is under circles/{circle_pk}/: a circle you are not in answers 404,
# and one you are in but do not run answers 403.


class CircleManagerMixin(CircleScopedMixin):
    def managed_circle(self):
        require_manager(self.circle, self.request.user)
        return self.circle


@extend_schema_view(get=extend_schema(responses={200: CircleReportSerializer, 403: None, 404: None}))
class CircleReportsView(CircleManagerMixin, generics.ListAPIView):
    """Open reports of the posts shared with this circle and of the comments under them, newest first.

    For the circle's admins and owner. The reporters are never named.
    """

    serializer_class = CircleReportSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        circle = self.managed_circle()
        reports = Report.objects.open().in_circle(circle).of_content_seen_by(self.request.user)
        return reports.select_related("post__author", "comment__author")


class CircleReportDismissView(CircleManagerMixin, APIView):
    """Dismiss the open reports of what this report concerns (nothing to do about it).

    Reports of your own posts and comments are left to the site's moderators (403).
    """

    @extend_schema(
        request=ModerationReasonSerializer,
        responses={204: OpenApiResponse(description="Dismissed."), 400: None, 403: None, 404: None, 415: None},
    )
    def post(self, request, circle_pk, pk):
        serializer = ModerationReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        circle = self.managed_circle()
        reports = Report.objects.open().in_circle(circle).of_content_seen_by(request.user)
        report = get_object_or_404(reports.select_related("post", "comment"), pk=pk)
        services.circle_report_dismiss(actor=request.user, circle=circle, report=report, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CirclePostRemoveView(CircleScopedMixin, APIView):
    """Take a post out of this circle (admins and owner): its other circles and its author keep it."""

    @extend_schema(responses={204: OpenApiResponse(description="Removed from the circle."), 403: None, 404: None})
    def delete(self, request, circle_pk, pk):
        posts = Post.objects.visible_to(request.user).filter(audience__circle=self.circle)
        post = get_object_or_404(posts, pk=pk)
        services.circle_post_remove(actor=request.user, circle=self.circle, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CircleCommentDeleteView(CircleScopedMixin, APIView):
    """Delete a comment under a post shared with this circle (admins and owner)."""

    @extend_schema(responses={204: OpenApiResponse(description="Deleted."), 403: None, 404: None})
    def delete(self, request, circle_pk, pk):
        comments = Comment.objects.visible_to(request.user).filter(post__audience__circle=self.circle)
        comment = get_object_or_404(comments.select_related("post", "author"), pk=pk)
        services.circle_comment_delete(actor=request.user, circle=self.circle, comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(get=extend_schema(responses={200: BanSerializer, 403: None, 404: None}))
class CircleBansView(CircleManagerMixin, generics.ListAPIView):
    """The people banned from this circle, for its admins and owner; ban someone.

    A banned person is removed at once and no invitation lets them back in.
    Admins ban members; only the owner bans admins; nobody bans the owner.
    """

    serializer_class = BanSerializer
    ordering = ("-created_at", "-pk")

    def get_queryset(self):
        return self.managed_circle().bans.select_related("user", "banned_by")

    @extend_schema(
        request=BanCreateSerializer,
        responses={201: BanSerializer, 200: BanSerializer, 400: None, 403: None, 404: None, 415: None},
    )
    def post(self, request, circle_pk):
        serializer = BanCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        circle = self.managed_circle()
        # Whom one sees, and whom the circle banned already (no longer seen once banned).
        people = User.objects.filter(
            Q(pk__in=User.objects.visible_to(request.user).values("pk")) | Q(pk__in=circle.bans.values("user_id"))
        )
        person = get_object_or_404(people, pk=serializer.validated_data["user"])
        ban, created = services.member_ban(
            actor=request.user, circle=circle, user=person, reason=serializer.validated_data["reason"]
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(BanSerializer(ban).data, status=code)


class CircleBanView(CircleManagerMixin, APIView):
    """Lift a ban: invitations work for that person again."""

    @extend_schema(responses={204: OpenApiResponse(description="Unbanned."), 403: None, 404: None})
    def delete(self, request, circle_pk, user_pk):
        circle = self.managed_circle()
        ban = get_object_or_404(circle.bans.select_related("user"), user_id=user_pk)
        services.member_unban(actor=request.user, circle=circle, user=ban.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
