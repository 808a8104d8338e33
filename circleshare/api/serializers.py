from rest_framework import serializers

UNKNOWN_FIELD = "Unknown field."


class StrictSerializer(serializers.Serializer):
    """A serializer that refuses fields it does not know instead of ignoring them.

    A typo in a field name ("nmae") should be an error the client sees, not a
    silent no-op.
    """

    def to_internal_value(self, data):
        unknown = set(getattr(data, "keys", lambda: [])()) - set(self.fields)
        if unknown:
            raise serializers.ValidationError({name: [UNKNOWN_FIELD] for name in sorted(unknown)})
        return super().to_internal_value(data)


class StrictModelSerializer(StrictSerializer, serializers.ModelSerializer):
    pass


INVALID_ID = "Not a valid id."


class IdField(serializers.RegexField):
    """An object's id as clients send it back: the string the API gave them (an integer is accepted too)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid": INVALID_ID})
        # As many digits as the ids in URLs (circleshare.converters), so no id can overflow a query.
        super().__init__(r"^[0-9]{1,18}$", **kwargs)

    def run_validation(self, data=serializers.empty):
        # After the pattern is checked, which happens after to_internal_value.
        return int(super().run_validation(data))
