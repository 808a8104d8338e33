from django.urls import path

from timeline import views
from timeline.api.views import PostImageFileView

urlpatterns = [
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
