import hashlib

from django import template
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from timeline.models import Emoji

register = template.Library()

REACTION_BUTTON = (
    '<button type="submit" name="emoji" value="{}" class="reaction{}" aria-pressed="{}" title="{}">'
    '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span>{}</button>'
)
CARD_TEMPLATES = ["timeline/_post.html", "timeline/_reactions.html"]
CARD_TTL = 24 * 60 * 60
# Cards are cached with this in place of the request's CSRF token; user text is
# escaped, so it cannot spell this attribute out.
CSRF_PLACEHOLDER = "csrf-token-of-the-request"
CSRF_FIELD = 'name="csrfmiddlewaretoken" value="{}"'


@register.simple_tag
def reaction_buttons(post):
    """A post's reaction buttons (after `unpack_cards` or `reload_card`), pressed where the viewer reacted.

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


@register.simple_tag(takes_context=True)
def post_cards(context, posts):
    """The cards of `posts` (after `unpack_cards`), each rendered once for what it shows, then cached.

    A card's key is a digest of everything it shows: the post, its author,
    circles, photos and counts, the viewer's own reactions, whether the viewer
    wrote it, the page it links back to, and the card's templates. An edit, a
    comment, a reaction or a renamed circle makes a new card, so nothing ever
    needs invalidating. The card's template sees only these values, never the
    request or the user; the one thing that differs per request, the CSRF
    token, goes in afterwards.
    """
    request = context["request"]
    page = request.get_full_path()
    card = get_template(CARD_TEMPLATES[0])
    version = _templates_digest()
    keys = [_card_key(post, post.author_id == request.user.pk, page, version) for post in posts]
    cached = cache.get_many(keys)
    rendered = {}
    for post, key in zip(posts, keys, strict=True):
        if key not in cached:
            shown = {"post": post, "is_author": post.author_id == request.user.pk, "page_url": page}
            rendered[key] = card.render({**shown, "csrf_token": CSRF_PLACEHOLDER})
    if rendered:
        cache.set_many(rendered, CARD_TTL)
    cards = "\n".join(cached.get(key) or rendered[key] for key in keys)
    csrf = CSRF_FIELD.format(get_token(request))
    return mark_safe(cards.replace(CSRF_FIELD.format(CSRF_PLACEHOLDER), csrf))


@register.simple_tag(takes_context=True)
def post_card(context, post):
    """One post's card, as `post_cards` shows it."""
    return post_cards(context, [post])


def _card_key(post, is_author, page, version) -> str:
    author = post.author
    shown = (
        (post.pk, post.body, post.created_at, post.edited_at, post.moderation_state, post.hidden_reason),
        (author.pk, author.name, author.avatar.name),
        [(circle.pk, circle.name) for circle in post.shown_circles],
        [(image.pk, image.alt, image.width, image.height) for image in post.shown_images],
        (post.comment_count, post.reaction_counts, post.my_reactions),
        (is_author, page, timezone.get_current_timezone_name(), version),
    )
    return "post-card:" + hashlib.blake2b(repr(shown).encode(), digest_size=20).hexdigest()


def _templates_digest() -> str:
    templates = "".join(get_template(name).template.source for name in CARD_TEMPLATES)
    sources = templates + REACTION_BUTTON + repr(Emoji.choices)
    return hashlib.blake2b(sources.encode(), digest_size=8).hexdigest()
