from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "CircleShare administration"
admin.site.site_title = "CircleShare admin"
admin.site.index_title = "Moderation and accounts"
# The sidebar repeats the whole app list on every page; the header links to it once.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("accounts/", include("accounts.urls")),
    path("", include("timeline.urls")),
    path("", include("moderation.urls")),
    path("api/v1/", include("circleshare.api.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "circleshare.views.page_not_found"
handler500 = "circleshare.views.server_error"
