from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or None: for dictionaries keyed by values that are not identifiers (emoji)."""
    return mapping.get(key) if mapping else None
