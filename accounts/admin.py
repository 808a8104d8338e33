from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts import services
from accounts.models import AccessToken, User
from circleshare.admin import LargeListMixin


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(LargeListMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "name", "is_active", "is_staff", "created_at"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "name"]
    ordering = ["-pk"]  # newest first, by the primary key's index
    sortable_by = ["email", "name"]
    readonly_fields = ["created_at", "last_login"]
    actions = ["suspend", "reactivate"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["name", "bio", "avatar"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "created_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]}),
    ]

    @admin.action(description="Suspend selected people (ends their sessions and tokens)")
    def suspend(self, request, queryset):
        suspended = 0
        for user in queryset.exclude(pk=request.user.pk):
            services.user_suspend(user=user)
            suspended += 1
        if queryset.filter(pk=request.user.pk).exists():
            self.message_user(request, "You cannot suspend yourself.", messages.WARNING)
        self.message_user(request, f"Suspended {suspended} people.", messages.SUCCESS)

    @admin.action(description="Reactivate selected people")
    def reactivate(self, request, queryset):
        for user in queryset:
            services.user_reactivate(user=user)
        self.message_user(request, f"Reactivated {queryset.count()} people.", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        # Unticking "active" on the form must end sessions and tokens just as
        # the action does.
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_suspend(user=obj)


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email", "user__name"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["user", "created_at"]
    fields = ["user", "created_at"]

    def has_add_permission(self, request):
        return False
