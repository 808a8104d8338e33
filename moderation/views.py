from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from circleshare import ratelimit
from moderation import services
from moderation.forms import ReportForm
from timeline.models import Comment, Post

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
