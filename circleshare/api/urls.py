"""Every endpoint of the REST API, under /api/v1/."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import circleshare.converters  # noqa: F401 - registers <id:…>
from accounts.api import views as accounts
from moderation.api import views as moderation
from timeline.api import views as timeline

urlpatterns = [
    path("auth/register/", accounts.RegisterView.as_view(), name="api-register"),
    path("auth/token/", accounts.TokenView.as_view(), name="api-token"),
    path("me/", accounts.MeView.as_view(), name="api-me"),
    path("me/mutes/", accounts.MutesView.as_view(), name="api-mutes"),
    path("me/mutes/<id:user_pk>/", accounts.MuteView.as_view(), name="api-mute"),
    path("me/blocks/", accounts.BlocksView.as_view(), name="api-blocks"),
    path("me/blocks/<id:user_pk>/", accounts.BlockView.as_view(), name="api-block"),
    path("circles/", timeline.CircleViewSet.as_view({"get": "list", "post": "create"}), name="api-circles"),
    path(
        "circles/<id:pk>/",
        timeline.CircleViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-circle",
    ),
    path(
        "circles/<id:circle_pk>/members/",
        timeline.CircleMemberViewSet.as_view({"get": "list"}),
        name="api-circle-members",
    ),
    path(
        "circles/<id:circle_pk>/members/<id:user_pk>/",
        timeline.CircleMemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="api-circle-member",
    ),
    path(
        "circles/<id:circle_pk>/invitations/",
        timeline.CircleInvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="api-circle-invitations",
    ),
    path(
        "circles/<id:circle_pk>/invitations/<id:pk>/",
        timeline.CircleInvitationViewSet.as_view({"delete": "destroy"}),
        name="api-circle-invitation",
    ),
    path("invitations/<str:token>/", timeline.InvitationPreviewView.as_view(), name="api-invitation"),
    path("invitations/<str:token>/accept/", timeline.InvitationAcceptView.as_view(), name="api-invitation-accept"),
    path("timeline/", timeline.TimelineView.as_view(), name="api-timeline"),
    path("circles/<id:circle_pk>/posts/", timeline.CirclePostsView.as_view(), name="api-circle-posts"),
    path(
        "circles/<id:circle_pk>/posts/<id:pk>/",
        moderation.CirclePostRemoveView.as_view(),
        name="api-circle-post",
    ),
    path(
        "circles/<id:circle_pk>/comments/<id:pk>/",
        moderation.CircleCommentDeleteView.as_view(),
        name="api-circle-comment",
    ),
    path("circles/<id:circle_pk>/reports/", moderation.CircleReportsView.as_view(), name="api-circle-reports"),
    path(
        "circles/<id:circle_pk>/reports/<id:pk>/dismiss/",
        moderation.CircleReportDismissView.as_view(),
        name="api-circle-report-dismiss",
    ),
    path("circles/<id:circle_pk>/bans/", moderation.CircleBansView.as_view(), name="api-circle-bans"),
    path("circles/<id:circle_pk>/bans/<id:user_pk>/", moderation.CircleBanView.as_view(), name="api-circle-ban"),
    path("posts/", timeline.PostViewSet.as_view({"post": "create"}), name="api-posts"),
    path(
        "posts/<id:pk>/",
        timeline.PostViewSet.as_view({"get": "retrieve", "patch": "partial_update", "delete": "destroy"}),
        name="api-post",
    ),
    path("posts/<id:post_pk>/audience/", timeline.PostAudienceView.as_view(), name="api-post-audience"),
    path("posts/<id:post_pk>/comments/", timeline.PostCommentsView.as_view(), name="api-post-comments"),
    path("posts/<id:post_pk>/reactions/", timeline.PostReactionsView.as_view(), name="api-post-reactions"),
    path(
        "posts/<id:post_pk>/reactions/<str:emoji>/",
        timeline.PostReactionView.as_view(),
        name="api-post-reaction",
    ),
    path("comments/<id:pk>/", timeline.CommentView.as_view(), name="api-comment"),
    path("users/", timeline.UserViewSet.as_view({"get": "list"}), name="api-users"),
    path("users/<id:pk>/", timeline.UserViewSet.as_view({"get": "retrieve"}), name="api-user"),
    path("users/<id:user_pk>/posts/", timeline.UserPostsView.as_view(), name="api-user-posts"),
    path("reports/", moderation.ReportCreateView.as_view(), name="api-reports"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
