from django.urls import path

from timeline import views
from timeline.api.views import PostImageFileView

urlpatterns = [
    path("", views.home, name="home"),
    path("posts/audience-preview/", views.audience_preview, name="audience-preview"),
    path("posts/<int:pk>/", views.post_detail, name="post"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("posts/<int:pk>/history/", views.post_history, name="post-history"),
    path("posts/<int:pk>/delete/", views.post_delete, name="post-delete"),
    path("posts/<int:pk>/react/", views.post_react, name="post-react"),
    path("posts/<int:pk>/comments/", views.comment_create, name="comment-create"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("people/<int:pk>/", views.person, name="person"),
    path("circles/", views.circle_list, name="circles"),
    path("circles/<int:pk>/", views.circle_detail, name="circle"),
    path("circles/<int:pk>/edit/", views.circle_edit, name="circle-edit"),
    path("circles/<int:pk>/delete/", views.circle_delete, name="circle-delete"),
    path("circles/<int:pk>/leave/", views.circle_leave, name="circle-leave"),
    path("circles/<int:pk>/members/<int:user_pk>/remove/", views.member_remove, name="member-remove"),
    path("circles/<int:pk>/members/<int:user_pk>/role/", views.member_role, name="member-role"),
    path("circles/<int:pk>/invitations/", views.invitation_create, name="invitation-create"),
    path(
        "circles/<int:pk>/invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:token>/", views.invitation_landing, name="invitation"),
    path("media/posts/<int:post_pk>/<int:pk>/<str:size>/", PostImageFileView.as_view(), name="post-image"),
]
