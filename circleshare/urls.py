from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("", include("timeline.urls")),
    path("", include("moderation.urls")),
    path("api/v1/", include("circleshare.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "circleshare.views.page_not_found"
handler500 = "circleshare.views.server_error"
