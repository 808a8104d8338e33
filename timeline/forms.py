from django import forms
from django.core.exceptions import ValidationError

from timeline.api.serializers import MAX_INVITATION_DAYS, MAX_INVITATION_USES
from timeline.models import INVITATION_DAYS, Membership


class CircleForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For example “Family” or “College friends”.")
    description = forms.CharField(
        max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Optional."
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError("Enter a name.")
        return name


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Optional: only this address may accept, and we email the link there.",
    )
    max_uses = forms.IntegerField(
        label="How many people may join with it", min_value=1, max_value=MAX_INVITATION_USES, initial=1
    )
    expires_in_days = forms.IntegerField(
        label="Days until it expires", min_value=1, max_value=MAX_INVITATION_DAYS, initial=INVITATION_DAYS
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class PostForm(forms.Form):
    """The composer: text, photos (alt texts come as a list beside them) and circles."""

    body = forms.CharField(
        label="What's new?", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    circle_ids = forms.TypedMultipleChoiceField(
        label="Share with", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, circles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circle_ids"].choices = [(circle.pk, circle.name) for circle in circles]


class CommentForm(forms.Form):
    body = forms.CharField(label="Add a comment", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
