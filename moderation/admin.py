"""The moderation queue and the audit trail, in the Django admin.

Every action here goes through `moderation.services`, which resolves the
open reports of what was acted on and records a `ModerationAction`. The hide
and unhide actions of the posts' and comments' own admins (in
`timeline/admin.py`) come from `ModeratedContentAdmin` below.
"""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator

from moderation import services
from moderation.forms import ReasonForm
from moderation.models import QUEUE_ORDER, ModerationAction, Report
from timeline.models import Circle, Post, PostAudience

# The circle filter lists at most this many circles (those of open reports);
# any other is chosen with ?circle=<id>.
CIRCLE_CHOICES = 50
HISTORY_ROWS = 20
HIDE_HELP = "Its author sees this reason beside their hidden post or comment."
AUDIT_HELP = "Kept in the audit trail; the author is not shown it."


# --- Acting on posts and comments --------------------------------------------


def describe(content) -> str:
    kind = "Post" if isinstance(content, Post) else "Comment"
    return f"{kind} by {content.author.name}: “{summary(content)}”"


def summary(content, length=80) -> str:
    return Truncator(content.body).chars(length) if content.body else "(photos only)"


def counted(contents) -> str:
    """“2 posts and 1 comment”."""
    kinds = Counter("post" if isinstance(content, Post) else "comment" for content in contents)
    parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(kinds.items(), reverse=True)]
    return " and ".join(parts) or "nothing"


def hide(actor, content, reason):
    if isinstance(content, Post):
        return services.post_hide(actor=actor, post=content, reason=reason)
    return services.comment_hide(actor=actor, comment=content, reason=reason)


def unhide(actor, content):
    if isinstance(content, Post):
        return services.post_unhide(actor=actor, post=content)
    return services.comment_unhide(actor=actor, comment=content)


def delete(actor, content, reason=""):
    if isinstance(content, Post):
        return services.post_delete(actor=actor, post=content, reason=reason)
    return services.comment_delete(actor=actor, comment=content, reason=reason)


def ask_reason(
    modeladmin, request, queryset, *, action, title, objects, button, default="", required=True, help_text=""
):
    """The reason given on an intermediate confirmation page: (reason, None) once sent, else (None, the page).

    The page posts the same action back to the change list, as Django's own
    "delete selected" confirmation does.
    """
    confirmed = "confirm" in request.POST
    form = ReasonForm(
        request.POST if confirmed else None, initial={"reason": default}, required=required, help_text=help_text
    )
    if confirmed and form.is_valid():
        return form.cleaned_data["reason"], None
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "objects": objects,
        "form": form,
        "button": button,
        "action": action,
        "selected": [str(pk) for pk in queryset.values_list("pk", flat=True)],
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": opts,
        "app_label": opts.app_label,
    }
    request.current_app = modeladmin.admin_site.name
    return None, TemplateResponse(request, "admin/moderation/confirm_action.html", context)


def hide_after_confirmation(model_admin, request, queryset, contents, *, action, default="", done=""):
    """Ask for a reason on a confirmation page, then hide `contents`; the page while it is not confirmed."""
    reason, page = ask_reason(
        model_admin,
        request,
        queryset,
        action=action,
        title=f"Hide {counted(contents)}",
        objects=[describe(content) for content in contents],
        button="Hide them",
        default=default,
        help_text=HIDE_HELP,
    )
    if page:
        return page
    for content in contents:
        hide(request.user, content, reason)
    model_admin.message_user(request, f"Hid {counted(contents)}{done}.", messages.SUCCESS)
    return None


class ModeratedContentAdmin:
    """For the admins of posts and comments: hide and unhide as actions, and deletions recorded in the audit trail."""

    actions = ["hide_selected", "unhide_selected"]

    def get_readonly_fields(self, request, obj=None):
        # Only the actions hide and unhide, because only they record it.
        return [*super().get_readonly_fields(request, obj), "moderation_state", "hidden_reason"]

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "moderation_state" in fields and "hidden_reason" not in fields:
            fields.insert(fields.index("moderation_state") + 1, "hidden_reason")
        return fields

    @admin.action(description="Hide selected %(verbose_name_plural)s…", permissions=["change"])
    def hide_selected(self, request, queryset):
        return hide_after_confirmation(
            self, request, queryset, list(queryset.select_related("author")), action="hide_selected"
        )

    @admin.action(description="Unhide selected %(verbose_name_plural)s", permissions=["change"])
    def unhide_selected(self, request, queryset):
        hidden = list(queryset.filter(moderation_state=Post.Moderation.HIDDEN).select_related("author"))
        for content in hidden:
            unhide(request.user, content)
        self.message_user(request, f"Unhid {counted(hidden)}.", messages.SUCCESS)

    def delete_model(self, request, obj):
        delete(request.user, obj, reason="Deleted in the admin.")

    def delete_queryset(self, request, queryset):
        for obj in queryset.select_related("author"):
            self.delete_model(request, obj)


# --- The moderation queue -----------------------------------------------------


class CircleFilter(admin.SimpleListFilter):
    """The circles the reported content was shared with.

    A site may have thousands of circles: only those of open reports are
    listed (at most `CIRCLE_CHOICES`), and any circle can be chosen with
    `?circle=<id>`.
    """

    title = "circle"
    parameter_name = "circle"

    def lookups(self, request, model_admin):
        open_reports = Report.objects.open()
        shares = PostAudience.objects.filter(
            Q(post_id__in=open_reports.values("post_id")) | Q(post_id__in=open_reports.values("comment__post_id"))
        )
        circles = list(Circle.objects.filter(pk__in=shares.values("circle_id")).order_by("name", "pk")[:CIRCLE_CHOICES])
        chosen = self.circle_id()
        if chosen and chosen not in {circle.pk for circle in circles}:
            circles += list(Circle.objects.filter(pk=chosen))
        return [(str(circle.pk), f"{circle.name} (#{circle.pk})") for circle in circles]

    def circle_id(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isdigit() and len(value) <= 18 else None

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.circle_id() is None:
            return queryset.none()
        shared = PostAudience.objects.filter(circle_id=self.circle_id()).values("post_id")
        return queryset.filter(Q(post_id__in=shared) | Q(comment__post_id__in=shared))


def table(headers, rows) -> str:
    """A small read-only table for the report page."""
    if not rows:
        return format_html("<p>{}</p>", "None.")
    head = format_html_join("", "<th>{}</th>", ((header,) for header in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((cell,) for cell in row)),) for row in rows)
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def admin_link(obj, text=None):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text if text is not None else obj)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The moderation queue: open reports first, each reported post or comment's reports together."""

    list_display = [
        "content_summary",
        "kind",
        "content_author",
        "content_circles",
        "reason",
        "open_reports",
        "state",
        "reporter",
        "created_at",
    ]
    list_filter = ["state", "reason", ("created_at", admin.DateFieldListFilter), CircleFilter]
    search_fields = [
        "post__author__name",
        "post__author__email",
        "comment__author__name",
        "comment__author__email",
        "post__body",
        "comment__body",
        "details",
    ]
    list_select_related = ["reporter", "post__author", "comment__author", "comment__post"]
    show_full_result_count = False
    actions = ["hide_content", "unhide_content", "dismiss_reports", "suspend_authors", "delete_content"]
    change_form_template = "admin/moderation/report/change_form.html"
    fieldsets = [
        (
            "Reported content",
            {"fields": ["content_text", "content_state", "content_author", "content_circles", "content_link"]},
        ),
        (
            "This report",
            {"fields": ["reason", "details", "reporter", "state", "created_at", "resolved_at", "resolved_by"]},
        ),
        ("Other reports of this content", {"fields": ["other_reports"]}),
        ("The author's history", {"fields": ["author_reports", "author_moderation"]}),
    ]
    readonly_fields = [
        "content_text",
        "content_state",
        "content_author",
        "content_circles",
        "content_link",
        "reason",
        "details",
        "reporter",
        "state",
        "created_at",
        "resolved_at",
        "resolved_by",
        "other_reports",
        "author_reports",
        "author_moderation",
    ]

    def get_queryset(self, request):
        circles = Circle.objects.order_by("name", "pk")
        # Not super(), which orders before the annotations that the queue's order needs exist.
        return Report.objects.for_queue().prefetch_related(
            Prefetch("post__circles", queryset=circles), Prefetch("comment__post__circles", queryset=circles)
        )

    def get_ordering(self, request):
        return QUEUE_ORDER

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Reports are resolved, never deleted; they go with the content they concern.
        return False

    def has_hide_permission(self, request):
        return request.user.has_perms(["timeline.change_post", "timeline.change_comment"])

    def has_remove_permission(self, request):
        return request.user.has_perms(["timeline.delete_post", "timeline.delete_comment"])

    def has_suspend_permission(self, request):
        return request.user.has_perm("accounts.change_user")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on this page is edited: it is read, then acted on with the buttons.
        report = self.get_object(request, object_id)
        extra_context = {**(extra_context or {})}
        pointless = set()
        if report is not None:
            pointless.add("hide_content" if report.content.is_hidden else "unhide_content")
            extra_context["title"] = str(report)
        actions = [(name, label) for name, label in self.get_action_choices(request) if name and name not in pointless]
        extra_context = {
            **extra_context,
            "report_actions": actions,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    # --- columns and fields ---

    @admin.display(description="reported content")
    def content_summary(self, report):
        return summary(report.content)

    @admin.display(description="kind")
    def kind(self, report):
        return "post" if report.post_id else "comment"

    @admin.display(description="author")
    def content_author(self, report):
        return report.content.author

    @admin.display(description="circles")
    def content_circles(self, report):
        post = report.post if report.post_id else report.comment.post
        return ", ".join(circle.name for circle in post.circles.all()) or "nobody (journal)"

    @admin.display(description="open reports of it", ordering="open_reports")
    def open_reports(self, report):
        return report.open_reports

    @admin.display(description="text")
    def content_text(self, report):
        return format_html("<div style='white-space: pre-wrap'>{}</div>", report.content.body or "(photos only)")

    @admin.display(description="moderation")
    def content_state(self, report):
        content = report.content
        if content.is_hidden:
            return f"Hidden by a moderator: {content.hidden_reason}"
        return "Visible to its circles"

    @admin.display(description="in the admin")
    def content_link(self, report):
        return admin_link(report.content, f"Open this {self.kind(report)} in its own admin page")

    @admin.display(description="other reports")
    def other_reports(self, report):
        others = Report.objects.about(report.content).exclude(pk=report.pk).select_related("reporter")
        rows = [
            (
                admin_link(other, other.get_reason_display()),
                other.details,
                other.reporter,
                other.get_state_display(),
                other.created_at,
            )
            for other in others.order_by("-created_at")[:HISTORY_ROWS]
        ]
        return table(["reason", "details", "reporter", "state", "reported"], rows)

    @admin.display(description="reports of their other posts and comments")
    def author_reports(self, report):
        earlier = (
            Report.objects.against(report.content.author)
            .exclude(Q(post_id=report.post_id) if report.post_id else Q(comment_id=report.comment_id))
            .select_related("post", "comment")
            .order_by("-created_at")
        )
        rows = [
            (
                admin_link(other, summary(other.content, 60)),
                other.get_reason_display(),
                other.get_state_display(),
                other.created_at,
            )
            for other in earlier[:HISTORY_ROWS]
        ]
        return table(["content", "reason", "state", "reported"], rows)

    @admin.display(description="moderation of their content and account")
    def author_moderation(self, report):
        actions = ModerationAction.objects.filter(target_author_id=report.content.author_id)[:HISTORY_ROWS]
        rows = [
            (
                admin_link(action, action.get_action_display()),
                Truncator(action.target_snapshot).chars(60),
                action.reason,
                action.actor_name,
                action.created_at,
            )
            for action in actions
        ]
        return table(["action", "content", "reason", "by", "when"], rows)

    # --- actions ---

    def contents(self, queryset) -> list:
        """The distinct posts and comments that the selected reports concern."""
        reports = queryset.select_related("post__author", "comment__author")
        return list({(type(r.content), r.content.pk): r.content for r in reports}.values())

    @admin.action(description="Hide the reported content…", permissions=["hide"])
    def hide_content(self, request, queryset):
        contents = self.contents(queryset)
        reasons = Counter(queryset.values_list("reason", flat=True))
        return hide_after_confirmation(
            self,
            request,
            queryset,
            contents,
            action="hide_content",
            default=Report.Reason(reasons.most_common(1)[0][0]).label if reasons else "",
            done="; their open reports are resolved",
        )

    @admin.action(description="Unhide the reported content", permissions=["hide"])
    def unhide_content(self, request, queryset):
        hidden = [content for content in self.contents(queryset) if content.is_hidden]
        for content in hidden:
            unhide(request.user, content)
        self.message_user(request, f"Unhid {counted(hidden)}.", messages.SUCCESS)

    @admin.action(description="Dismiss the reports (nothing to do)", permissions=["change"])
    def dismiss_reports(self, request, queryset):
        dismissed = sum(services.report_dismiss(actor=request.user, content=c) for c in self.contents(queryset))
        self.message_user(request, f"Dismissed {dismissed} report{'s' if dismissed != 1 else ''}.", messages.SUCCESS)

    @admin.action(description="Suspend the authors…", permissions=["suspend"])
    def suspend_authors(self, request, queryset):
        contents = self.contents(queryset)
        authors = {content.author_id: content.author for content in contents}
        reason, page = ask_reason(
            self,
            request,
            queryset,
            action="suspend_authors",
            title=f"Suspend {len(authors)} {'people' if len(authors) != 1 else 'person'}",
            objects=[f"{author.name} <{author.email}>" for author in authors.values()],
            button="Suspend them",
            required=False,
            help_text=AUDIT_HELP + " Suspension ends their sessions and API tokens at once.",
        )
        if page:
            return page
        count = 0
        for author in authors.values():
            theirs = [content for content in contents if content.author_id == author.pk]
            try:
                services.user_suspend(actor=request.user, user=author, reason=reason, contents=theirs)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                count += 1
        self.message_user(request, f"Suspended {count} {'people' if count != 1 else 'person'}.", messages.SUCCESS)
        return None

    @admin.action(description="Delete the reported content…", permissions=["remove"])
    def delete_content(self, request, queryset):
        contents = self.contents(queryset)
        reason, page = ask_reason(
            self,
            request,
            queryset,
            action="delete_content",
            title=f"Delete {counted(contents)} for good?",
            objects=[describe(content) for content in contents],
            button="Yes, delete them",
            required=False,
            help_text=AUDIT_HELP + " Deleting cannot be undone; a copy of the text stays in the audit trail.",
        )
        if page:
            return page
        described = counted(contents)
        for content in contents:
            delete(request.user, content, reason)
        self.message_user(request, f"Deleted {described}.", messages.SUCCESS)
        return None


# --- The audit trail ----------------------------------------------------------


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """What moderators did, read-only for everyone: entries are never changed or deleted."""

    list_display = ["created_at", "action", "actor_name", "target", "target_author_name", "circle", "short_reason"]
    list_filter = ["action", "target_type", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["actor_name", "target_author_name", "target_snapshot", "reason"]
    list_select_related = ["circle"]
    show_full_result_count = False
    fields = [
        "created_at",
        "action",
        "actor",
        "actor_name",
        "target_type",
        "target_id",
        "target_snapshot",
        "target_author",
        "target_author_name",
        "circle",
        "reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="target")
    def target(self, action):
        return f"{action.get_target_type_display()} {action.target_id}: {Truncator(action.target_snapshot).chars(60)}"

    @admin.display(description="reason")
    def short_reason(self, action):
        return Truncator(action.reason).chars(80)
