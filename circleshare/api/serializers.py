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
