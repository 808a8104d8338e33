from django.urls import path

import circleshare.converters  # noqa: F401 - registers <id:…>
from moderation import views

urlpatterns = [
    path("posts/<id:pk>/report/", views.post_report, name="post-report"),
    path("comments/<id:pk>/report/", views.comment_report, name="comment-report"),
    path("circles/<id:pk>/posts/<id:post_pk>/remove/", views.circle_post_remove, name="circle-post-remove"),
    path("circles/<id:pk>/comments/<id:comment_pk>/delete/", views.circle_comment_delete, name="circle-comment-delete"),
    path("circles/<id:pk>/members/<id:user_pk>/ban/", views.circle_member_ban, name="circle-member-ban"),
    path("circles/<id:pk>/bans/<id:user_pk>/unban/", views.circle_member_unban, name="circle-member-unban"),
    path("circles/<id:pk>/reports/<id:report_pk>/dismiss/", views.circle_report_dismiss, name="circle-report-dismiss"),
]
