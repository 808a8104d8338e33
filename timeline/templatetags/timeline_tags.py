from django import template
from django.utils.html import format_html, format_html_join

from timeline.models import Emoji

register = template.Library()

REACTION_BUTTON = (
    '<button type="submit" name="emoji" value="{}" class="reaction{}" aria-pressed="{}" title="{}">'
    '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</button>'
)


@register.simple_tag
def reaction_buttons(post):
    """A post's reaction buttons (after `load_counts`), pressed where the viewer reacted.

    Built here rather than in a template loop, which cost more than the rest of a timeline card.
    """
    buttons = []
    for value, label in Emoji.choices:
        mine = value in post.my_reactions
        count = post.reaction_counts.get(value)
        counter = format_html(' <span class="reaction-count">{}</span>', count) if count else ""
        pressed = "true" if mine else "false"
        buttons.append((value, " reaction-mine" if mine else "", pressed, label, value, label, counter))
    return format_html_join("\n", REACTION_BUTTON, buttons)
