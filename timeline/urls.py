from django.urls import path

import circleshare.converters  # noqa: F401 - registers <id:…>
from timeline import views
from timeline.api.views import PostImageFileView

urlpatterns = [
    path("", views.home, name="home"),
    path("posts/audience-preview/", views.audience_preview, name="audience-preview"),
    path("posts/<id:pk>/", views.post_detail, name="post"),
    path("posts/<id:pk>/edit/", views.post_edit, name="post-edit"),
    path("posts/<id:pk>/history/", views.post_history, name="post-history"),
    path("posts/<id:pk>/delete/", views.post_delete, name="post-delete"),
    path("posts/<id:pk>/react/", views.post_react, name="post-react"),
    path("posts/<id:pk>/comments/", views.comment_create, name="comment-create"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("people/<id:pk>/", views.person, name="person"),
    path("circles/", views.circle_list, name="circles"),
    path("circles/<id:pk>/", views.circle_detail, name="circle"),
    path("circles/<id:pk>/edit/", views.circle_edit, name="circle-edit"),
    path("circles/<id:pk>/delete/", views.circle_delete, name="circle-delete"),
    path("circles/<id:pk>/leave/", views.circle_leave, name="circle-leave"),
    path("circles/<id:pk>/members/<id:user_pk>/remove/", views.member_remove, name="member-remove"),
    path("circles/<id:pk>/members/<id:user_pk>/role/", views.member_role, name="member-role"),
    path("circles/<id:pk>/invitations/", views.invitation_create, name="invitation-create"),
    path(
        "circles/<id:pk>/invitations/<id:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("invite/<str:token>/", views.invitation_landing, name="invitation"),
    path("media/posts/<id:post_pk>/<id:pk>/<str:size>/", PostImageFileView.as_view(), name="post-image"),
]
