from rest_framework import serializers

from circleshare.api.serializers import IdField, StrictSerializer
from moderation.models import DETAILS_MAX_LENGTH, Report
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
