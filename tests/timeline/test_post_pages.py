"""The browser pages of posts: every page obeys the visibility rule, as the API does."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import CommentFactory, PostFactory
from tests.images import image_upload
from timeline import services
from timeline.models import Post, Reaction

pytestmark = pytest.mark.django_db

CAN_SEE = ["member", "owner", "admin"]  # world.member writes the post
CANNOT_SEE = ["removed", "outsider", "staff"]


@pytest.fixture
def post(world):
    return services.post_create(author=world.member, body="Our secret picnic", circle_ids=[world.circle.pk])


def expected(kind, *, allowed, forbidden=(), ok=200):
    if kind == "anonymous":
        return 302
    if kind in allowed:
        return ok
    return 403 if kind in forbidden else 404


@pytest.mark.parametrize(
    ("name", "allowed", "forbidden"),
    [
        ("post", CAN_SEE, []),
        ("post-edit", ["member"], []),  # others get 404: only the author's posts are editable
        ("post-history", ["member"], []),
        ("post-delete", ["member", "owner", "admin"], []),
    ],
)
@pytest.mark.parametrize("kind", [*CAN_SEE, *CANNOT_SEE, "anonymous"])
def test_post_pages_visibility(page_as, post, kind, name, allowed, forbidden):
    response = page_as(kind).get(reverse(name, args=[post.pk]))

    assert response.status_code == expected(kind, allowed=allowed, forbidden=forbidden)
    if response.status_code == 404:
        assert b"secret picnic" not in response.content


@pytest.mark.parametrize("kind", [*CAN_SEE, *CANNOT_SEE])
def test_home_timeline_shows_the_post_only_to_those_who_may_see_it(page_as, post, kind):
    response = page_as(kind).get(reverse("home"))

    assert (b"Our secret picnic" in response.content) == (kind in CAN_SEE)


@pytest.mark.parametrize("kind", [*CAN_SEE, *CANNOT_SEE])
def test_person_page_shows_their_posts_only_to_those_who_may_see_them(page_as, post, world, kind):
    response = page_as(kind).get(reverse("person", args=[world.member.pk]))

    assert response.status_code == (200 if kind in CAN_SEE else 404)
    assert (b"Our secret picnic" in response.content) == (kind in CAN_SEE)


def test_circle_page_shows_the_circle_timeline(page_as, post, world):
    response = page_as("owner").get(reverse("circle", args=[world.circle.pk]))

    assert b"Our secret picnic" in response.content


def test_a_journal_entry_is_seen_by_its_author_alone(page_as, world):
    journal = services.post_create(author=world.member, body="Dear diary", circle_ids=[])

    assert b"Dear diary" in page_as("member").get(reverse("home")).content
    assert b"Dear diary" not in page_as("owner").get(reverse("home")).content
    assert page_as("owner").get(reverse("post", args=[journal.pk])).status_code == 404


@pytest.mark.parametrize("kind", [*CANNOT_SEE, "anonymous"])
def test_writes_on_a_post_one_cannot_see_change_nothing(page_as, post, kind):
    client = page_as(kind)

    responses = [
        client.post(reverse("post-react", args=[post.pk]), {"emoji": "❤️"}),
        client.post(reverse("comment-create", args=[post.pk]), {"body": "sneaky"}),
        client.post(reverse("post-edit", args=[post.pk]), {"body": "defaced"}),
        client.post(reverse("post-delete", args=[post.pk])),
    ]

    assert {r.status_code for r in responses} == ({302} if kind == "anonymous" else {404})
    post.refresh_from_db()
    assert post.body == "Our secret picnic"
    assert not post.comments.exists()
    assert not post.reactions.exists()


def test_composer_shares_text_and_photos_with_the_chosen_circle(page_as, world):
    client = page_as("admin")

    response = client.post(
        reverse("home"),
        {
            "body": "Look!",
            "circle_ids": [world.circle.pk],
            "images": [image_upload("a.jpg"), image_upload("b.jpg")],
            "alt_texts": ["The sea"],
        },
    )

    assert response.status_code == 302
    post = Post.objects.get(body="Look!")
    assert list(post.circles.all()) == [world.circle]
    assert [(i.order, i.alt) for i in post.images.all()] == [(0, "The sea"), (1, "")]


def test_composer_refuses_a_circle_one_is_not_in_and_says_why(page_as, world):
    other = world.outsider.memberships.get().circle

    response = page_as("admin").post(reverse("home"), {"body": "Hi", "circle_ids": [other.pk]}, follow=True)

    assert not Post.objects.filter(body="Hi").exists()
    assert response.status_code == 200


def test_composer_without_a_circle_writes_a_journal_entry(page_as, world):
    page_as("admin").post(reverse("home"), {"body": "Only for me"})

    post = Post.objects.get(body="Only for me")
    assert not post.circles.exists()


def test_composer_refuses_a_non_image_and_stores_nothing(page_as, world):
    fake = SimpleUploadedFile("x.jpg", b"no image here", content_type="image/jpeg")

    response = page_as("admin").post(reverse("home"), {"body": "Bad", "images": [fake]}, follow=True)

    assert not Post.objects.filter(body="Bad").exists()
    assert b"Upload a JPEG, PNG, WebP or GIF image." in response.content


def test_audience_preview_counts_the_people_who_will_see_it(page_as, world):
    response = page_as("admin").get(reverse("audience-preview"), {"circle_ids": [world.circle.pk]})

    assert b"3 people will see this" in response.content


def test_audience_preview_ignores_circles_one_is_not_in(page_as, world):
    other = world.outsider.memberships.get().circle

    response = page_as("admin").get(reverse("audience-preview"), {"circle_ids": [other.pk]})

    assert b"Only you will see this" in response.content
    assert world.outsider.name.encode() not in response.content


def test_reaction_toggles_in_place_with_htmx(page_as, post):
    client = page_as("owner")

    first = client.post(reverse("post-react", args=[post.pk]), {"emoji": "❤️"}, HTTP_HX_REQUEST="true")
    second = client.post(reverse("post-react", args=[post.pk]), {"emoji": "❤️"}, HTTP_HX_REQUEST="true")

    assert first.status_code == second.status_code == 200
    assert b'aria-pressed="true"' in first.content
    assert b'aria-pressed="true"' not in second.content
    assert not Reaction.objects.exists()


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/?cursor=x", "/?cursor=x"), ("https://elsewhere.example/", None), ("//elsewhere.example/", None)],
)
def test_reacting_without_htmx_returns_to_the_page_but_never_to_another_site(page_as, post, next_url, expected):
    response = page_as("owner").post(reverse("post-react", args=[post.pk]), {"emoji": "❤️", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == (expected or post.get_absolute_url())
    assert Reaction.objects.filter(post=post, emoji="❤️").exists()


def test_comment_from_the_post_page_is_listed_oldest_first(page_as, post, world):
    CommentFactory(post=post, author=world.member, body="First!")
    client = page_as("owner")

    client.post(reverse("comment-create", args=[post.pk]), {"body": "Second."})

    content = client.get(reverse("post", args=[post.pk])).content.decode()
    assert content.index("First!") < content.index("Second.")


def test_editing_shows_edited_and_keeps_history_for_the_author(page_as, post):
    client = page_as("member")

    client.post(reverse("post-edit", args=[post.pk]), {"body": "Our picnic (moved to Sunday)"})

    page = client.get(reverse("post", args=[post.pk])).content.decode()
    history = client.get(reverse("post-history", args=[post.pk])).content.decode()
    assert "edited" in page
    assert "Our secret picnic" in history


def test_circle_admin_removes_a_post_from_their_circle_after_confirming(page_as, post):
    """Its author keeps it: an admin of its circles takes it out of them, never deletes it for everyone."""
    client = page_as("admin")

    confirmation = client.get(reverse("post-delete", args=[post.pk]))
    client.post(reverse("post-delete", args=[post.pk]))

    assert b"Its author keeps it" in confirmation.content
    assert Post.objects.filter(pk=post.pk).exists()
    assert not post.circles.exists()


def test_bodies_are_escaped_with_links_made_clickable(page_as, world):
    services.post_create(
        author=world.member,
        body="<script>alert(1)</script>\nsee https://example.org/x",
        circle_ids=[world.circle.pk],
    )

    content = page_as("owner").get(reverse("home")).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;" in content
    assert 'href="https://example.org/x"' in content
    assert "<br>" in content


def test_infinite_scroll_serves_the_next_posts_only(page_as, world):
    for n in range(25):
        PostFactory(author=world.member, body=f"Post {n:02d}", circles=[world.circle])
    client = page_as("owner")

    first = client.get(reverse("home")).content.decode()
    next_url = re.search(r'load-more" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    more = client.get(next_url, HTTP_HX_REQUEST="true").content.decode()

    assert "<html" not in more
    assert more.count("<article") == 5
    assert first.count("<article") == 20


@pytest.mark.parametrize("posts", [1, 20])
def test_home_page_query_count_does_not_grow_with_the_number_of_posts(
    page_as, world, posts, django_assert_max_num_queries
):
    for _ in range(posts):
        post = PostFactory(author=world.admin, circles=[world.circle])
        CommentFactory(post=post, author=world.member)
    client = page_as("owner")

    # Session, person, my circles (for the composer and the timeline) and muted people, ids, posts
    # with their cards (circles, photos, counts).
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))

    assert response.content.decode().count("<article") == posts
