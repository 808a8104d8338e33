from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import services as accounts
from accounts.forms import SignupForm
from circleshare import ratelimit
from circleshare.links import absolute_url
from timeline import services
from timeline.forms import CircleForm, InvitationForm, RoleForm
from timeline.models import Circle, Membership


def my_circle(request, pk):
    """The circle, with the viewer's role, or 404 if they are not in it."""
    circles = Circle.objects.visible_to(request.user).with_member_count().with_role_of(request.user)
    return get_object_or_404(circles, pk=pk)


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
    circles = Circle.objects.visible_to(request.user).with_member_count().with_role_of(request.user)
    return render(request, "timeline/circle_list.html", {"circles": circles, "form": form})


@login_required
def circle_detail(request, pk):
    circle = my_circle(request, pk)
    memberships = circle.memberships.select_related("user").order_by("joined_at", "pk")
    can_manage = circle.role in (Membership.Role.OWNER, Membership.Role.ADMIN)
    invitations = []
    if can_manage:
        invitations = [
            (invitation, absolute_url(invitation.get_absolute_url(), request))
            for invitation in circle.invitations.select_related("created_by")[:50]
        ]
    context = {
        "circle": circle,
        "memberships": memberships,
        "can_manage": can_manage,
        "is_owner": circle.role == Membership.Role.OWNER,
        "invitations": invitations,
        "invitation_form": InvitationForm(),
        "roles": Membership.Role.choices,
    }
    return render(request, "timeline/circle_detail.html", context)


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
        if apply(request, services.membership_remove, circle=circle, actor=request.user, user=member):
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
    invitation = services.invitation_find(token)
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
