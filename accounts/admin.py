from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied

from accounts.models import AccessToken, User
from circleshare.admin import LargeListMixin
from moderation import services as moderation

IN_USERS = "In the admin's Users."
# Who may give the admin (and what in it) to whom: only superusers.
SUPERUSER_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class StatusFilter(admin.SimpleListFilter):
    """What the status column shows, in one filter: cheaper to draw than a filter for each flag."""

    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("suspended", "Suspended"), ("staff", "Staff"), ("superuser", "Superusers")]

    def queryset(self, request, queryset):
        match self.value():
            case "suspended":
                return queryset.filter(is_active=False)
            case "staff":
                return queryset.filter(is_staff=True)
            case "superuser":
                return queryset.filter(is_superuser=True)
        return queryset


@admin.register(User)
class UserAdmin(LargeListMixin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    list_display = ["email", "name", "status", "created"]
    list_filter = [StatusFilter]
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

    @admin.display(description="status")
    def status(self, user):
        # One column of words instead of two of icons, whose static-file URLs are looked up for every row.
        state = "active" if user.is_active else "suspended"
        if user.is_superuser:
            return f"{state}, superuser"
        return f"{state}, staff" if user.is_staff else state

    # Suspending and reactivating go through the moderation services, which
    # end sessions and tokens and record each one in the audit trail.

    @admin.action(description="Suspend selected people (ends their sessions and tokens)")
    def suspend(self, request, queryset):
        suspended = 0
        for user in queryset.filter(is_active=True):
            try:
                self.suspend_one(request, user)
            except PermissionDenied as error:
                self.message_user(request, f"{user.name}: {error}", messages.WARNING)
            else:
                suspended += 1
        self.message_user(request, f"Suspended {suspended} people.", messages.SUCCESS)

    @admin.action(description="Reactivate selected people")
    def reactivate(self, request, queryset):
        people = list(queryset.filter(is_active=False))
        for user in people:
            moderation.user_reactivate(actor=request.user, user=user, reason=IN_USERS)
        self.message_user(request, f"Reactivated {len(people)} people.", messages.SUCCESS)

    def suspend_one(self, request, user):
        # Only a superuser suspends staff here (the moderation queue never does).
        moderation.user_suspend(actor=request.user, user=user, reason=IN_USERS, staff_too=request.user.is_superuser)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_FIELDS
        # Where the suspension service would refuse, the box cannot be changed.
        if obj is not None and (obj.pk == request.user.pk or (obj.is_staff and not request.user.is_superuser)):
            fields.append("is_active")
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data:
            if obj.is_active:
                moderation.user_reactivate(actor=request.user, user=obj, reason=IN_USERS)
            else:
                self.suspend_one(request, obj)


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
