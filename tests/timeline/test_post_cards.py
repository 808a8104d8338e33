"""Post cards are cached by what they show: every change shows at once, and each viewer gets their own token."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import CommentFactory, ReactionFactory
from timeline import services
from timeline.models import Emoji, Reaction

pytestmark = pytest.mark.django_db

CARD = "timeline/_post.html"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def post(world):
    return services.post_create(author=world.member, body="Picnic on Sunday", circle_ids=[world.circle.pk])


def home_of(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def test_a_card_is_rendered_once_then_taken_from_the_cache(page_as, post):
    client = page_as("owner")

    first, second = home_of(client), home_of(client)

    assert CARD in [t.name for t in first.templates]
    assert CARD not in [t.name for t in second.templates]
    assert first.content.count(b"Picnic on Sunday") == second.content.count(b"Picnic on Sunday") == 1


def test_an_edited_post_shows_its_new_text_at_once(page_as, post, world):
    client = page_as("owner")
    home_of(client)

    services.post_update(post=post, actor=world.member, body="Picnic moved to Monday")

    content = home_of(client).content
    assert b"Picnic moved to Monday" in content
    assert b"Picnic on Sunday" not in content


def test_new_comments_and_reactions_show_at_once(page_as, post, world):
    client = page_as("owner")
    home_of(client)

    CommentFactory(post=post, author=world.admin)
    ReactionFactory(post=post, user=world.admin, emoji=Emoji.HEART)

    content = home_of(client).content.decode()
    assert "1 comment<" in content
    assert re.search(r'value="❤️"[^>]*aria-pressed="false"[^<]*<span[^>]*>❤️</span>.*?reaction-count">1<', content, re.S)


def test_a_renamed_circle_shows_its_new_name_at_once(page_as, post, world):
    client = page_as("owner")
    home_of(client)

    services.circle_update(circle=world.circle, actor=world.owner, name="The Family")

    assert b"The Family" in home_of(client).content


def test_the_same_card_shows_each_viewer_their_own_reactions_and_report_link(page_as, post, world):
    ReactionFactory(post=post, user=world.owner, emoji=Emoji.HEART)
    owner, author = Client(), Client()
    owner.force_login(world.owner)
    author.force_login(world.member)

    owner_page, author_page = home_of(owner).content.decode(), home_of(author).content.decode()

    assert 'aria-pressed="true"' in owner_page
    assert 'aria-pressed="true"' not in author_page
    assert reverse("post-report", args=[post.pk]) in owner_page
    assert reverse("post-report", args=[post.pk]) not in author_page


def test_cached_cards_carry_each_viewers_own_csrf_token(post, world):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(world.owner)
    second.force_login(world.admin)

    for client, emoji in ((first, Emoji.HEART), (second, Emoji.PARTY)):
        page = home_of(client).content.decode()
        token = TOKEN.findall(page)[-1]  # the card's reaction form, the page's last
        response = client.post(reverse("post-react", args=[post.pk]), {"emoji": emoji, "csrfmiddlewaretoken": token})
        assert response.status_code == 302

    assert set(Reaction.objects.values_list("user", "emoji")) == {
        (world.owner.pk, Emoji.HEART),
        (world.admin.pk, Emoji.PARTY),
    }


def test_a_post_spelling_out_the_token_field_never_receives_a_token(page_as, world):
    spoof = 'name="csrfmiddlewaretoken" value="csrf-token-of-the-request"'
    services.post_create(author=world.member, body=spoof, circle_ids=[world.circle.pk])
    client = page_as("owner")
    home_of(client)

    page = home_of(client).content.decode()

    body = re.search(r'<div class="post-body">(.*?)</div>', page).group(1)
    assert body == "name=&quot;csrfmiddlewaretoken&quot; value=&quot;csrf-token-of-the-request&quot;"
