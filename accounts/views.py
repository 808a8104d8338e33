from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts import services
from accounts.forms import LoginForm, ProfileForm, QueuedPasswordResetForm, SignupForm
from accounts.models import Block, Mute, User
from circleshare import ratelimit
from circleshare.files import private_file_response


def rate_limited(response, retry_after):
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        return rate_limited(response, form.retry_after) if form.retry_after else response


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(request=request, **form.cleaned_data)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            status = 403
        except ValidationError as error:
            form.add_error(None, error)
        except ratelimit.RateLimited as error:
            form.add_error(None, str(error))
            return rate_limited(render(request, "accounts/signup.html", {"form": form}), error.retry_after)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to CircleShare, {user.name}!")
            return redirect("home")
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@login_required
def profile_settings(request):
    user = request.user
    initial = {"name": user.name, "bio": user.bio}
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update_profile(
                user=user,
                name=data["name"],
                bio=data["bio"],
                avatar=data["avatar"] or None,
                remove_avatar=data["remove_avatar"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("settings")
    context = {
        "form": form,
        "mutes": Mute.objects.filter(user=user).select_related("muted"),
        "blocks": Block.objects.filter(user=user).select_related("blocked"),
    }
    return render(request, "accounts/settings.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    success_url = reverse_lazy("settings")

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed. Other devices are signed out.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QueuedPasswordResetForm

    def form_valid(self, form):
        try:
            ratelimit.consume("password_reset_ip", ratelimit.client_ip(self.request))
        except ratelimit.RateLimited as error:
            form.add_error(None, str(error))
            return rate_limited(self.form_invalid(form), error.retry_after)
        return super().form_valid(form)


@require_GET
@login_required
def avatar(request, pk):
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not person.avatar:
        raise Http404
    content_type = "image/png" if person.avatar.name.endswith(".png") else "image/jpeg"
    return private_file_response(person.avatar, content_type=content_type)


def back(request, person):
    """Where the buttons were: the settings page, or the person's page."""
    if request.POST.get("next") == "settings":
        return redirect(reverse("settings") + "#people")
    return redirect("person", person.pk)


@require_POST
@login_required
def person_mute(request, pk):
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    try:
        services.mute_create(user=request.user, muted=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{person.name} is muted: their posts stay out of your timelines.")
    return back(request, person)


@require_POST
@login_required
def person_unmute(request, pk):
    mute = get_object_or_404(Mute.objects.filter(user=request.user).select_related("muted"), muted_id=pk)
    services.mute_delete(user=request.user, muted_id=mute.muted_id)
    messages.success(request, f"{mute.muted.name} is no longer muted.")
    return back(request, mute.muted)


@login_required
def person_block(request, pk):
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if request.method == "POST":
        try:
            services.block_create(user=request.user, blocked=person)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{person.name} is blocked.")
        return back(request, person)
    context = {
        "title": f"Block {person.name}?",
        "message": f"You will no longer see each other's posts, comments or reactions, and neither of you can "
        f"join a circle through the other's invitation links. {person.name} is not told. You can unblock "
        "them at any time in your settings.",
        "button": f"Block {person.name}",
        "cancel_url": reverse("person", args=[person.pk]),
        "danger": True,
    }
    return render(request, "confirm.html", context)


@require_POST
@login_required
def person_unblock(request, pk):
    block = get_object_or_404(Block.objects.filter(user=request.user).select_related("blocked"), blocked_id=pk)
    services.block_delete(user=request.user, blocked_id=block.blocked_id)
    messages.success(request, f"{block.blocked.name} is no longer blocked.")
    return back(request, block.blocked)
