from django.urls import register_converter


class IdConverter:
    """A database id in a URL: digits that fit a 64-bit integer, so no id can overflow a query."""

    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
