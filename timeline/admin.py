from django.contrib import admin

from timeline.models import Circle, Invitation, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    raw_id_fields = ["user"]
    extra = 0


class InvitationInline(admin.TabularInline):
    model = Invitation
    fields = ["created_by", "email", "created_at", "expires_at", "uses", "max_uses", "revoked_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Circle)
class CircleAdmin(admin.ModelAdmin):
    list_display = ["name", "member_count", "created_at"]
    search_fields = ["name"]
    date_hierarchy = "created_at"
    inlines = [MembershipInline, InvitationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(ordering="member_count", description="members")
    def member_count(self, circle):
        return circle.member_count


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "circle", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__name", "user__email", "circle__name"]
    list_select_related = ["user", "circle"]
    raw_id_fields = ["user", "circle"]
    show_full_result_count = False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["circle", "created_by", "email", "uses", "max_uses", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["circle__name", "email", "created_by__email"]
    list_select_related = ["circle", "created_by"]
    raw_id_fields = ["circle", "created_by"]
    readonly_fields = ["token", "uses", "created_at"]
