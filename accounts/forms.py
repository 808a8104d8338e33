from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template import loader

from accounts import services
from accounts.models import User
from accounts.tasks import send_email
from circleshare import ratelimit


class LoginForm(AuthenticationForm):
    """Log in with an email address, within the abuse limits."""

    username = forms.EmailField(
        label="Email address", widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )
    retry_after = None

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            try:
                self.user_cache = services.user_authenticate(request=self.request, email=email, password=password)
            except ratelimit.RateLimited as error:
                self.retry_after = error.retry_after
                raise ValidationError(str(error), code="rate_limited") from None
            except services.InvalidCredentials as error:
                raise ValidationError(str(error), code="invalid_login") from None
        return self.cleaned_data


class SignupForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="How others will see you.")
    email = forms.EmailField(label="Email address", widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name.")
        return name

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("email") and data.get("name"):
            candidate = User(email=data["email"], name=data["name"])
            try:
                password_validation.validate_password(data["password"], candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return data


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="How others see you.")
    bio = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    avatar = forms.FileField(
        label="New photo", required=False, help_text="A square photo works best: JPEG, PNG, WebP or GIF."
    )
    remove_avatar = forms.BooleanField(label="Remove my photo", required=False)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name.")
        return name


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its email through the task queue."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html = loader.render_to_string(html_email_template_name, context) if html_email_template_name else None
        send_email.enqueue(subject=subject, body=body, to=[to_email], html=html)
