from functools import partial
from types import SimpleNamespace

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from rest_framework.request import Request

from accounts import services as accounts
from accounts.forms import SignupForm
from accounts.models import User
from circleshare import ratelimit
from circleshare.api.pagination import KeysetPagination
from circleshare.links import absolute_url
from moderation import services as moderation
from moderation.models import Report
from timeline import services
from timeline.forms import CircleForm, CommentForm, InvitationForm, PostForm, RoleForm
from timeline.models import (
    Circle,
    Comment,
    Membership,
    Post,
    Reaction,
    audience_of,
    reload_card,
    timeline_sources,
    unpack_cards,
)


def my_circle(request, pk):
    """The circle, with the viewer's role, or 404 if they are not in it."""
    return get_object_or_404(Circle.objects.listed_for(request.user), pk=pk)


def confirm(request, *, title, message, button, cancel_url, danger=True):
    context = {"title": title, "message": message, "button": button, "cancel_url": cancel_url, "danger": danger}
    return render(request, "confirm.html", context)


def apply(request, action, **kwargs):
    """Run a service; show its refusal as a message instead of an error page. True if it succeeded."""
    try:
        action(**kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    except (PermissionDenied, ratelimit.RateLimited) as error:
        messages.error(request, str(error))
        return False
    return True


@login_required
def circle_list(request):
    form = CircleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        circle = services.circle_create(creator=request.user, **form.cleaned_data)
        messages.success(request, f"“{circle.name}” is ready. Invite people to it below.")
        return redirect(circle)
    circles = Circle.objects.listed_for(request.user)
    return render(request, "timeline/circle_list.html", {"circles": circles, "form": form})


@login_required
def circle_detail(request, pk):
    circle = my_circle(request, pk)
    memberships = circle.memberships.select_related("user").order_by("joined_at", "pk")
    can_manage = circle.role in (Membership.Role.OWNER, Membership.Role.ADMIN)
    invitations, reports, bans = [], [], []
    if can_manage:
        invitations = [
            (invitation, absolute_url(invitation.get_absolute_url(), request))
            for invitation in circle.invitations.select_related("created_by")[:50]
        ]
        reports = (
            Report.objects.open()
            .in_circle(circle)
            .of_content_seen_by(request.user)
            .select_related("post__author", "comment__author")[:50]
        )
        bans = circle.bans.select_related("user")[:100]
    context = {
        "circle": circle,
        "memberships": memberships,
        "can_manage": can_manage,
        "is_owner": circle.role == Membership.Role.OWNER,
        "invitations": invitations,
        "reports": reports,
        "bans": bans,
        "invitation_form": InvitationForm(),
        "roles": Membership.Role.choices,
    }
    ids = partial(Post.objects.circle_timeline_ids, circle, request.user)
    return render_posts(request, "timeline/circle_detail.html", context, ids=ids)


@login_required
def circle_edit(request, pk):
    circle = my_circle(request, pk)
    services.require_manager(circle, request.user)
    form = CircleForm(request.POST or None, initial={"name": circle.name, "description": circle.description})
    if request.method == "POST" and form.is_valid():
        services.circle_update(circle=circle, actor=request.user, **form.cleaned_data)
        messages.success(request, "The circle is saved.")
        return redirect(circle)
    return render(request, "timeline/circle_edit.html", {"circle": circle, "form": form})


@login_required
def circle_delete(request, pk):
    circle = my_circle(request, pk)
    if request.method == "POST":
        services.circle_delete(circle=circle, actor=request.user)
        messages.success(request, f"“{circle.name}” is deleted.")
        return redirect("circles")
    if circle.role != Membership.Role.OWNER:
        raise PermissionDenied(services.OWNER_ONLY)
    return confirm(
        request,
        title=f"Delete “{circle.name}”?",
        message=f"All {circle.member_count} members lose the circle. This cannot be undone.",
        button="Delete the circle",
        cancel_url=circle.get_absolute_url(),
    )


@login_required
def circle_leave(request, pk):
    circle = my_circle(request, pk)
    if request.method == "POST":
        if apply(request, services.membership_remove, circle=circle, actor=request.user, user=request.user):
            messages.success(request, f"You left “{circle.name}”.")
            return redirect("circles")
        return redirect(circle)
    return confirm(
        request,
        title=f"Leave “{circle.name}”?",
        message="You will no longer see what is shared with this circle. To come back, you will need a new invitation.",
        button="Leave the circle",
        cancel_url=circle.get_absolute_url(),
    )


@login_required
def member_remove(request, pk, user_pk):
    circle = my_circle(request, pk)
    member = get_object_or_404(circle.memberships.select_related("user"), user_id=user_pk).user
    if request.method == "POST":
        if apply(request, moderation.member_remove, circle=circle, actor=request.user, user=member):
            messages.success(request, f"{member.name} is no longer in “{circle.name}”.")
        return redirect(circle)
    services.require_manager(circle, request.user)
    return confirm(
        request,
        title=f"Remove {member.name} from “{circle.name}”?",
        message=f"{member.name} will at once stop seeing what is shared with this circle.",
        button=f"Remove {member.name}",
        cancel_url=circle.get_absolute_url(),
    )


@require_POST
@login_required
def member_role(request, pk, user_pk):
    circle = my_circle(request, pk)
    member = get_object_or_404(circle.memberships.select_related("user"), user_id=user_pk).user
    form = RoleForm(request.POST)
    if form.is_valid():
        role = form.cleaned_data["role"]
        if apply(request, services.membership_set_role, circle=circle, actor=request.user, user=member, role=role):
            messages.success(request, f"{member.name} is now {Membership.Role(role).label.lower()}.")
    return redirect(circle)


@require_POST
@login_required
def invitation_create(request, pk):
    circle = my_circle(request, pk)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    elif apply(request, services.invitation_create, circle=circle, actor=request.user, **form.cleaned_data):
        sent = f" and emailed to {form.cleaned_data['email']}" if form.cleaned_data["email"] else ""
        messages.success(request, f"A new invitation link is ready{sent}. Copy it below.")
    return redirect(reverse("circle", args=[circle.pk]) + "#invitations")


@require_POST
@login_required
def invitation_revoke(request, pk, invitation_pk):
    circle = my_circle(request, pk)
    invitation = get_object_or_404(circle.invitations, pk=invitation_pk)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, "The invitation link is revoked: nobody can use it any more.")
    return redirect(reverse("circle", args=[circle.pk]) + "#invitations")


def invitation_landing(request, token):
    """Who invites you to what; join, signing up or logging in first if needed."""
    invitation = services.invitation_find(token, request.user)
    signup_form = SignupForm(initial={"email": invitation.email})
    if request.method == "POST":
        if request.user.is_authenticated:
            if apply(request, services.invitation_accept, token=token, user=request.user):
                messages.success(request, f"Welcome to “{invitation.circle.name}”!")
                return redirect(invitation.circle)
        else:
            signup_form = SignupForm(request.POST)
            if signup_form.is_valid():
                try:
                    user = accounts.user_register(request=request, invitation=token, **signup_form.cleaned_data)
                except (ValidationError, PermissionDenied, ratelimit.RateLimited) as error:
                    signup_form.add_error(None, error if isinstance(error, ValidationError) else str(error))
                else:
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    messages.success(request, f"Welcome to CircleShare and to “{invitation.circle.name}”!")
                    return redirect(invitation.circle)
    is_member = request.user.is_authenticated and invitation.circle.memberships.filter(user=request.user).exists()
    context = {"invitation": invitation, "signup_form": signup_form, "is_member": is_member}
    return render(request, "timeline/invitation.html", context)


# --- Posts ------------------------------------------------------------------


def posts_page(request, *, queryset=None, ids=None):
    """One page of posts for a page, with the link to the next one.

    The same keyset pagination as the API; `ids(position=…, backwards=…,
    limit=…)` supplies a timeline's ids where a plain queryset is not fast.
    """
    visible = Post.objects.visible_to(request.user).for_display(request.user)

    def fetch_page(*, position, backwards, limit):
        return visible.in_order(ids(position=position, backwards=backwards, limit=limit))

    view = SimpleNamespace(ordering=("-created_at", "-pk"), fetch_page=fetch_page if ids else None)
    paginator = KeysetPagination()
    posts = paginator.paginate_queryset(queryset, Request(request), view=view)
    unpack_cards(posts)
    return posts, paginator.link(paginator.next_position, backwards=False)


def render_posts(request, template, context, **page):
    """A page with a list of posts; htmx's infinite scroll asks for the next posts only."""
    posts, next_url = posts_page(request, **page)
    context = {**context, "posts": posts, "next_url": next_url}
    if request.htmx:
        return render(request, "timeline/_posts.html", context)
    return render(request, template, context)


def home(request):
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    # The composer's circles come with the timeline's, in one query.
    sources = timeline_sources(request.user)
    circles = sources[0]
    if request.method == "POST":
        return post_create(request, circles)
    context = {"form": PostForm(circles=circles), "circles": circles}
    return render_posts(
        request, "timeline/home.html", context, ids=partial(Post.objects.home_timeline_ids, request.user, sources)
    )


def post_create(request, circles):
    form = PostForm(request.POST, circles=circles)
    if form.is_valid():
        try:
            services.post_create(
                author=request.user,
                body=form.cleaned_data["body"],
                circle_ids=form.cleaned_data["circle_ids"],
                images=request.FILES.getlist("images"),
                alt_texts=request.POST.getlist("alt_texts") or None,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except ratelimit.RateLimited as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Shared.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    if request.htmx:
        return HttpResponseClientRedirect(reverse("home"))
    return redirect("home")


@login_required
def audience_preview(request):
    """“N people will see this”, for the circles ticked in the composer."""
    ids = [int(pk) for pk in request.GET.getlist("circle_ids") if pk.isdigit()]
    circles = Circle.objects.visible_to(request.user).filter(pk__in=ids)
    people = audience_of(request.user.pk, circles)
    return render(request, "timeline/_audience_preview.html", {"people": people, "only_me": not circles})


@login_required
def post_detail(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).for_display(request.user), pk=pk)
    unpack_cards([post])
    comments = Comment.objects.visible_to(request.user).filter(post=post).select_related("author")
    context = {
        "post": post,
        "comments": comments,
        "comment_form": CommentForm(),
        "can_delete": post.author_id == request.user.pk or services.manages_a_circle_of(post, request.user),
    }
    return render(request, "timeline/post_detail.html", context)


@require_POST
@login_required
def comment_create(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        apply(request, services.comment_create, post=post, author=request.user, body=form.cleaned_data["body"])
    else:
        messages.error(request, "Write a comment first.")
    return redirect(reverse("post", args=[post.pk]) + "#comments")


@login_required
def comment_delete(request, pk):
    comment = get_object_or_404(Comment.objects.visible_to(request.user).select_related("post"), pk=pk)
    if request.method == "POST":
        if apply(request, moderation.comment_remove, comment=comment, actor=request.user):
            messages.success(request, "The comment is deleted.")
        return redirect(reverse("post", args=[comment.post_id]) + "#comments")
    return confirm(
        request,
        title="Delete this comment?",
        message=comment.body[:200],
        button="Delete the comment",
        cancel_url=reverse("post", args=[comment.post_id]),
    )


@require_POST
@login_required
def post_react(request, pk):
    """Toggle one reaction; htmx swaps the reaction bar in place, plain forms reload the page."""
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    emoji = request.POST.get("emoji", "")
    if Reaction.objects.filter(post=post, user=request.user, emoji=emoji).exists():
        services.reaction_remove(post=post, user=request.user, emoji=emoji)
    else:
        apply(request, services.reaction_add, post=post, user=request.user, emoji=emoji)
    if request.htmx:
        reload_card(post, request.user)
        return render(request, "timeline/_reactions.html", {"post": post, "page_url": request.POST.get("next", "")})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = post.get_absolute_url()  # never back to another site
    return redirect(next_url)


@login_required
def post_edit(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).filter(author=request.user), pk=pk)
    circles = Circle.objects.visible_to(request.user) | post.circles.all()
    initial = {"body": post.body, "circle_ids": list(post.circles.values_list("pk", flat=True))}
    form = PostForm(request.POST or None, circles=circles.distinct(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply(request, services.post_update, post=post, actor=request.user, **data):
            messages.success(request, "Your post is saved.")
            return redirect(post)
    return render(request, "timeline/post_edit.html", {"post": post, "form": form})


@login_required
def post_history(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user).filter(author=request.user), pk=pk)
    return render(request, "timeline/post_history.html", {"post": post, "revisions": post.revisions.all()})


@login_required
def post_delete(request, pk):
    post = get_object_or_404(Post.objects.visible_to(request.user), pk=pk)
    mine = post.author_id == request.user.pk
    if request.method == "POST":
        moderation.post_remove(post=post, actor=request.user)
        messages.success(request, "The post is deleted." if mine else "The post is removed from your circles.")
        return redirect("home")
    if mine:
        return confirm(
            request,
            title="Delete this post?",
            message="It disappears for everyone, with its photos, comments and reactions. This cannot be undone.",
            button="Delete the post",
            cancel_url=post.get_absolute_url(),
        )
    circles = list(services.managed_circles_of(post, request.user))
    if not circles:
        raise PermissionDenied(services.CANNOT_DELETE_POST)
    names = ", ".join(f"“{circle.name}”" for circle in circles)
    return confirm(
        request,
        title=f"Remove this post from {names}?",
        message="Their members will no longer see it. Its author keeps it, and so do its other circles.",
        button="Remove the post",
        cancel_url=post.get_absolute_url(),
    )


@login_required
def person(request, pk):
    someone = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    queryset = Post.objects.visible_to(request.user).for_display(request.user).filter(author=someone)
    context = {
        "person": someone,
        "is_muted": someone.muted_by.filter(user=request.user).exists(),
        "is_blocked": someone.blocked_by.filter(user=request.user).exists(),
    }
    return render_posts(request, "timeline/person.html", context, queryset=queryset)
