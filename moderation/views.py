from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from circleshare import ratelimit
from moderation import services
from moderation.forms import CircleReasonForm, ReportForm
from moderation.models import Report
from timeline.models import Comment, Post
from timeline.services import require_manager
from timeline.views import apply, my_circle

REPORT_RECEIVED = "Thanks — your report was received. Moderators will look at it."
ALREADY_REPORTED = "You have already reported this. Moderators will look at it."


@login_required
def post_report(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).select_related("author"), pk=pk)
    return report_page(request, post=post, back=post.get_absolute_url())


@login_required
def comment_report(request, pk):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("author"), pk=pk)
    back = reverse("post", args=[comment.post_id]) + f"#comment-{comment.pk}"
    return report_page(request, comment=comment, back=back)


def report_page(request, *, back, post=None, comment=None):
    """The report form for a post or a comment that the viewer can see; back to it once sent."""
    content = post or comment
    if content.author_id == request.user.pk:
        messages.error(request, services.REPORT_OWN_CONTENT)
        return redirect(back)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, created = services.report_create(reporter=request.user, post=post, comment=comment, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except ratelimit.RateLimited as error:
            messages.error(request, str(error))
        else:
            messages.success(request, REPORT_RECEIVED if created else ALREADY_REPORTED)
        return redirect(back)
    context = {"form": form, "content": content, "kind": "post" if post else "comment", "back": back}
    return render(request, "moderation/report_form.html", context)


# --- Moderation by a circle's admins and owner, from the circle's page ---------


def back_to(circle, section):
    return redirect(reverse("circle", args=[circle.pk]) + f"#{section}")


def reason_page(request, *, circle, title, message, button, done, action, section, **kwargs):
    """A confirmation with an optional reason; runs `action` once confirmed, then back to the circle."""
    require_manager(circle, request.user)
    form = CircleReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if apply(request, action, actor=request.user, circle=circle, reason=form.cleaned_data["reason"], **kwargs):
            messages.success(request, done)
        return back_to(circle, section)
    context = {
        "title": title,
        "message": message,
        "button": button,
        "form": form,
        "cancel_url": circle.get_absolute_url(),
    }
    return render(request, "moderation/confirm_reason.html", context)


@login_required
def circle_post_remove(request, pk, post_pk):
    circle = my_circle(request, pk)
    post = get_object_or_404(
        Post.objects.visible_to(request.user).filter(audience__circle=circle).select_related("author"), pk=post_pk
    )
    return reason_page(
        request,
        circle=circle,
        title=f"Remove this post from “{circle.name}”?",
        message=f"Members of “{circle.name}” will no longer see {post.author.name}’s post. "
        "Its author keeps it, and so do its other circles.",
        button="Remove the post from the circle",
        done=f"The post is removed from “{circle.name}”.",
        action=services.circle_post_remove,
        section="posts-heading",
        post=post,
    )


@login_required
def circle_member_ban(request, pk, user_pk):
    circle = my_circle(request, pk)
    person = get_object_or_404(User.objects.visible_to(request.user), pk=user_pk)
    return reason_page(
        request,
        circle=circle,
        title=f"Ban {person.name} from “{circle.name}”?",
        message=f"{person.name} is removed at once and cannot come back through any invitation link "
        "until you lift the ban.",
        button=f"Ban {person.name}",
        done=f"{person.name} is banned from “{circle.name}”.",
        action=services.member_ban,
        section="bans",
        user=person,
    )


@require_POST
@login_required
def circle_member_unban(request, pk, user_pk):
    circle = my_circle(request, pk)
    require_manager(circle, request.user)
    ban = get_object_or_404(circle.bans.select_related("user"), user_id=user_pk)
    if apply(request, services.member_unban, actor=request.user, circle=circle, user=ban.user):
        messages.success(request, f"{ban.user.name} may join again with an invitation link.")
    return back_to(circle, "bans")


@require_POST
@login_required
def circle_report_dismiss(request, pk, report_pk):
    circle = my_circle(request, pk)
    require_manager(circle, request.user)
    reports = Report.objects.open().in_circle(circle).of_content_seen_by(request.user)
    report = get_object_or_404(reports.select_related("post", "comment"), pk=report_pk)
    if apply(request, services.circle_report_dismiss, actor=request.user, circle=circle, report=report):
        messages.success(request, "The reports are dismissed.")
    return back_to(circle, "reports")


@login_required
def circle_comment_delete(request, pk, comment_pk):
    circle = my_circle(request, pk)
    comments = Comment.objects.visible_to(request.user).filter(post__audience__circle=circle)
    comment = get_object_or_404(comments.select_related("post", "author"), pk=comment_pk)
    return reason_page(
        request,
        circle=circle,
        title=f"Delete {comment.author.name}’s comment?",
        message=comment.body[:200],
        button="Delete the comment",
        done="The comment is deleted.",
        action=services.circle_comment_delete,
        section="reports",
        comment=comment,
    )
