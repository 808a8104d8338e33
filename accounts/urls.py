from django.contrib.auth import views as auth_views
from django.urls import path

import circleshare.converters  # noqa: F401 - registers <id:…>
from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/", views.profile_settings, name="settings"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("avatar/<id:pk>/", views.avatar, name="avatar"),
    path("people/<id:pk>/mute/", views.person_mute, name="person-mute"),
    path("people/<id:pk>/unmute/", views.person_unmute, name="person-unmute"),
    path("people/<id:pk>/block/", views.person_block, name="person-block"),
    path("people/<id:pk>/unblock/", views.person_unblock, name="person-unblock"),
]
