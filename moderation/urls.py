from django.urls import path

import circleshare.converters  # noqa: F401 - registers <id:…>
from moderation import views

urlpatterns = [
    path("posts/<id:pk>/report/", views.post_report, name="post-report"),
    path("comments/<id:pk>/report/", views.comment_report, name="comment-report"),
]
