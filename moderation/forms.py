from django import forms

from moderation.models import DETAILS_MAX_LENGTH, Report
from timeline.models import HIDDEN_REASON_MAX_LENGTH


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label="What is wrong with it?", choices=Report.Reason.choices, widget=forms.RadioSelect)
    details = forms.CharField(
        label="Anything moderators should know",
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional. Only the site's moderators read it.",
    )


class ReasonForm(forms.Form):
    """The reason a moderator gives on the admin's confirmation pages."""

    reason = forms.CharField(max_length=HIDDEN_REASON_MAX_LENGTH, widget=forms.TextInput(attrs={"size": 80}))

    def __init__(self, *args, required=True, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = required
        self.fields["reason"].help_text = help_text


class CircleReasonForm(forms.Form):
    """The reason a circle admin gives when they ban someone or remove something."""

    reason = forms.CharField(
        label="Reason (optional)",
        required=False,
        max_length=DETAILS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept in the site's audit trail; the person is not shown it.",
    )
