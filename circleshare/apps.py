from django.contrib.admin.apps import AdminConfig


class CircleShareAdminConfig(AdminConfig):
    default_site = "circleshare.admin.AdminSite"
