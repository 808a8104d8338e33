from rest_framework import serializers

from accounts.api.serializers import PersonSerializer
from circleshare.api.serializers import IdField, StrictSerializer
from moderation.models import DETAILS_MAX_LENGTH, Ban, Report
from moderation.services import REPORT_ONE_THING


class ReportCreateSerializer(StrictSerializer):
    """Report exactly one post or comment: give `post` or `comment`, with a reason."""

    post = IdField(required=False, help_text="The id of the post to report.")
    comment = IdField(required=False, help_text="The id of the comment to report.")
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    details = serializers.CharField(max_length=DETAILS_MAX_LENGTH, required=False, allow_blank=True, default="")

    def validate(self, data):
        if ("post" in data) == ("comment" in data):
            raise serializers.ValidationError(REPORT_ONE_THING)
        return data


class ReportSerializer(serializers.ModelSerializer):
    """A report as its reporter sees it: what they reported and why, never what moderators made of it."""

    id = serializers.CharField(read_only=True)
    post = serializers.CharField(source="post_id", read_only=True, allow_null=True)
    comment = serializers.CharField(source="comment_id", read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = ["id", "post", "comment", "reason", "details", "state", "created_at"]
        read_only_fields = fields


class CircleReportSerializer(serializers.ModelSerializer):
    """An open report as a circle's admins see it: what is reported and why, never by whom."""

    id = serializers.CharField(read_only=True)
    post = serializers.CharField(source="post_id", read_only=True, allow_null=True)
    comment = serializers.CharField(source="comment_id", read_only=True, allow_null=True)
    body = serializers.CharField(source="content.body", read_only=True, help_text="The reported text.")
    author = PersonSerializer(source="content.author", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "post", "comment", "body", "author", "reason", "details", "created_at"]
        read_only_fields = fields


class BanSerializer(serializers.ModelSerializer):
    user = PersonSerializer(read_only=True)
    banned_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Ban
        fields = ["user", "reason", "banned_by", "created_at"]
        read_only_fields = fields


class BanCreateSerializer(StrictSerializer):
    """Ban a person from the circle: they are removed and no invitation lets them back in."""

    user = IdField(help_text="The id of the person to ban.")
    reason = serializers.CharField(max_length=DETAILS_MAX_LENGTH, required=False, allow_blank=True, default="")


class ModerationReasonSerializer(StrictSerializer):
    reason = serializers.CharField(
        max_length=DETAILS_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Kept in the audit trail for the site's staff.",
    )
