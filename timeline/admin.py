from django.contrib import admin
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from circleshare.admin import LargeListMixin
from circleshare.files import private_file_response
from moderation.admin import ModeratedContentAdmin
from timeline.models import Circle, Comment, Invitation, Membership, Post, PostImage


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
class MembershipAdmin(LargeListMixin, admin.ModelAdmin):
    list_display = ["user", "circle", "role", "joined_at"]
    list_filter = ["role"]
    search_fields = ["user__name", "user__email", "circle__name"]
    list_select_related = ["user", "circle"]
    raw_id_fields = ["user", "circle"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["circle", "created_by", "email", "uses", "max_uses", "expires_at", "revoked_at"]
    list_filter = ["revoked_at", "expires_at"]
    search_fields = ["circle__name", "email", "created_by__email"]
    list_select_related = ["circle", "created_by"]
    raw_id_fields = ["circle", "created_by"]
    readonly_fields = ["token", "uses", "created_at"]


class PostImageInline(admin.TabularInline):
    model = PostImage
    fields = ["preview", "order", "alt", "width", "height"]
    readonly_fields = ["preview", "width", "height"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="photo")
    def preview(self, image):
        url = reverse("admin:timeline_post_image", args=[image.pk])
        return format_html('<a href="{}"><img src="{}" alt="{}" style="max-height:80px"></a>', url, url, image.alt)


class CommentInline(admin.TabularInline):
    """Read-only: comments are hidden or deleted from Comments, whose actions are recorded in the audit trail."""

    model = Comment
    fields = ["author", "body", "moderation_state", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Post)
class PostAdmin(LargeListMixin, ModeratedContentAdmin, admin.ModelAdmin):
    list_display = ["summary", "author", "moderation_state", "created"]
    sortable_by = ["created"]  # the one order an index serves
    list_filter = ["moderation_state"]
    search_fields = ["body", "author__name", "author__email"]
    search_day_field = "created_at"
    search_help_text = "Words of a post, its author's name or email, or a date (2026-11-26) for that day's posts."
    list_select_related = ["author"]
    raw_id_fields = ["author"]
    readonly_fields = ["created_at", "edited_at", "audience_names"]
    fields = ["author", "body", "moderation_state", "audience_names", "created_at", "edited_at"]
    inlines = [PostImageInline, CommentInline]

    def get_urls(self):
        # Staff acting in the admin see every photo; everywhere else photos go
        # through the visibility rule.
        image = path("image/<id:pk>/", self.admin_site.admin_view(self.image_view), name="timeline_post_image")
        return [image, *super().get_urls()]

    def image_view(self, request, pk):
        image = get_object_or_404(PostImage, pk=pk)
        return private_file_response(image.thumbnail, content_type=image.content_type)

    @admin.display(description="post")
    def summary(self, post):
        return post.body[:80] or "(photos only)"

    @admin.display(description="shared with")
    def audience_names(self, post):
        return ", ".join(post.circles.values_list("name", flat=True)) or "nobody (journal)"


@admin.register(Comment)
class CommentAdmin(LargeListMixin, ModeratedContentAdmin, admin.ModelAdmin):
    list_display = ["body", "author", "post_link", "moderation_state", "created"]
    search_fields = ["body", "author__name", "author__email"]
    search_day_field = "created_at"
    search_help_text = "Words of a comment, its author's name or email, or a date (2026-11-26) for that day's comments."
    list_select_related = ["author"]
    raw_id_fields = ["author", "post"]
    readonly_fields = ["created_at", "edited_at"]
    # Newest first by id, which an index serves (created_at alone has none).
    ordering = ["-pk"]
    sortable_by = []

    @admin.display(description="post")
    def post_link(self, comment):
        # Relative to this list's address, like the links to the comments themselves.
        return format_html('<a href="../post/{}/change/">Post {}</a>', comment.post_id, comment.post_id)
