from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from moderation import services
from moderation.api.serializers import ReportCreateSerializer, ReportSerializer
from timeline.models import Comment, Post


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
