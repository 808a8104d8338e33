"""Hidden posts and comments: gone for everyone but their author, who sees them marked hidden with the reason."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from moderation import services
from tests.factories import CommentFactory
from timeline import services as timeline
from timeline.models import Comment

pytestmark = pytest.mark.django_db

REASON = "Unkind words about a cousin"
IN_CIRCLE = ["owner", "admin", "member"]


@pytest.fixture
def post(world):
    return timeline.post_create(author=world.member, body="Picnic on Sunday?", circle_ids=[world.circle.pk])


@pytest.fixture
def kind_comment(world, post):
    return CommentFactory(post=post, author=world.owner, body="Count me in!")


@pytest.fixture
def hidden_comment(world, post, kind_comment):
    """The admin's comment, hidden by staff."""
    comment = CommentFactory(post=post, author=world.admin, body="Nobody likes your picnics")
    return services.comment_hide(actor=world.staff, comment=comment, reason=REASON)


def comments_url(post):
    return reverse("api-post-comments", args=[post.pk])


def bodies(response):
    return [comment["body"] for comment in response.data["results"]]


# --- comments, in the API -------------------------------------------------------


@pytest.mark.parametrize("kind", ["owner", "member"])
def test_hidden_comment_is_absent_from_the_comment_list_of_others(client_as, post, hidden_comment, kind):
    response = client_as(kind).get(comments_url(post))

    assert bodies(response) == ["Count me in!"]


def test_hidden_comment_is_listed_to_its_author_marked_hidden_with_the_reason(client_as, post, hidden_comment):
    response = client_as("admin").get(comments_url(post))

    assert bodies(response) == ["Count me in!", "Nobody likes your picnics"]
    kind, hidden = response.data["results"]
    assert (kind["is_hidden"], kind["hidden_reason"]) == (False, "")
    assert (hidden["is_hidden"], hidden["hidden_reason"]) == (True, REASON)


@pytest.mark.parametrize(("kind", "count"), [("owner", 1), ("member", 1), ("admin", 2)])
def test_comment_count_leaves_out_comments_hidden_from_the_viewer(client_as, world, post, hidden_comment, kind, count):
    client = client_as(kind)

    assert client.get(reverse("api-post", args=[post.pk])).data["comment_count"] == count
    assert client.get(reverse("api-timeline")).data["results"][0]["comment_count"] == count
    circle_posts = client.get(reverse("api-circle-posts", args=[world.circle.pk]))
    assert circle_posts.data["results"][0]["comment_count"] == count


@pytest.mark.parametrize("kind", ["owner", "member"])
def test_hidden_comment_answers_others_as_a_missing_comment(client_as, post, hidden_comment, kind):
    """The circle's owner and the post's author could delete it before; now it does not exist for them."""
    missing = CommentFactory(post=post)
    missing_url = reverse("api-comment", args=[missing.pk])
    missing.delete()
    client = client_as(kind)

    for method in ("patch", "delete"):
        hidden = getattr(client, method)(reverse("api-comment", args=[hidden_comment.pk]), {"body": "x"}, format="json")
        gone = getattr(client, method)(missing_url, {"body": "x"}, format="json")
        assert hidden.status_code == gone.status_code == 404, method
        assert hidden.data == gone.data, method
    assert Comment.objects.filter(pk=hidden_comment.pk).exists()


def test_the_author_may_still_edit_a_hidden_comment_which_stays_hidden(client_as, hidden_comment):
    response = client_as("admin").patch(
        reverse("api-comment", args=[hidden_comment.pk]), {"body": "Sorry"}, format="json"
    )

    assert response.status_code == 200
    assert (response.data["is_hidden"], response.data["hidden_reason"]) == (True, REASON)
    hidden_comment.refresh_from_db()
    assert hidden_comment.is_hidden


def test_unhidden_comment_is_back_for_everyone(client_as, world, post, hidden_comment):
    services.comment_unhide(actor=world.staff, comment=hidden_comment)

    response = client_as("owner").get(comments_url(post))

    assert bodies(response) == ["Count me in!", "Nobody likes your picnics"]
    assert response.data["results"][1]["hidden_reason"] == ""


def test_comment_rule_gives_anonymous_visitors_and_outsiders_nothing(world, hidden_comment):
    assert not Comment.objects.visible_to(AnonymousUser()).exists()
    assert set(Comment.objects.visible_to(world.outsider)) == set()
    assert set(Comment.objects.visible_to(world.admin)) == set(Comment.objects.all())


# --- posts, in the API ----------------------------------------------------------


def test_hidden_post_shows_its_author_the_reason(client_as, world, post):
    services.post_hide(actor=world.staff, post=post, reason=REASON)

    detail = client_as("member").get(reverse("api-post", args=[post.pk]))
    timeline_item = client_as("member").get(reverse("api-timeline")).data["results"][0]

    assert (detail.data["is_hidden"], detail.data["hidden_reason"]) == (True, REASON)
    assert (timeline_item["is_hidden"], timeline_item["hidden_reason"]) == (True, REASON)


@pytest.mark.parametrize("kind", ["owner", "admin"])
def test_hidden_post_and_its_comments_are_gone_for_the_circle(client_as, world, post, kind_comment, kind):
    services.post_hide(actor=world.staff, post=post, reason=REASON)
    client = client_as(kind)

    assert client.get(reverse("api-post", args=[post.pk])).status_code == 404
    assert client.get(comments_url(post)).status_code == 404
    assert client.get(reverse("api-timeline")).data["results"] == []


def test_visible_post_has_no_hidden_reason(client_as, post):
    data = client_as("owner").get(reverse("api-post", args=[post.pk])).data

    assert (data["is_hidden"], data["hidden_reason"]) == (False, "")


# --- pages ----------------------------------------------------------------------


def test_post_page_shows_a_hidden_comment_to_its_author_with_the_reason(page_as, post, hidden_comment):
    content = page_as("admin").get(reverse("post", args=[post.pk])).content.decode()

    assert "Nobody likes your picnics" in content
    assert f"Hidden by a moderator: {REASON}" in content


@pytest.mark.parametrize("kind", ["owner", "member"])
def test_post_page_leaves_out_comments_hidden_from_the_viewer(page_as, post, hidden_comment, kind):
    content = page_as(kind).get(reverse("post", args=[post.pk])).content.decode()

    assert "Count me in!" in content
    assert "Nobody likes your picnics" not in content
    assert "Hidden by a moderator" not in content
    assert "1 comment<" in content


def test_timeline_cards_count_only_the_comments_the_viewer_sees(page_as, post, hidden_comment):
    assert "1 comment<" in page_as("owner").get(reverse("home")).content.decode()


def test_timeline_cards_count_the_authors_own_hidden_comment(page_as, post, hidden_comment):
    assert "2 comments<" in page_as("admin").get(reverse("home")).content.decode()


def test_comment_delete_page_answers_404_for_a_comment_hidden_from_the_viewer(page_as, hidden_comment):
    assert page_as("owner").get(reverse("comment-delete", args=[hidden_comment.pk])).status_code == 404
    assert page_as("admin").get(reverse("comment-delete", args=[hidden_comment.pk])).status_code == 200


def test_hidden_post_is_marked_with_the_reason_on_its_authors_pages(page_as, world, post):
    services.post_hide(actor=world.staff, post=post, reason=REASON)
    client = page_as("member")

    for url in (reverse("home"), reverse("post", args=[post.pk]), reverse("person", args=[world.member.pk])):
        content = client.get(url).content.decode()
        assert "Picnic on Sunday?" in content, url
        assert f"Hidden by a moderator: {REASON}" in content, url


@pytest.mark.parametrize("kind", ["owner", "admin"])
def test_hidden_post_is_gone_from_the_circles_pages(page_as, world, post, kind):
    services.post_hide(actor=world.staff, post=post, reason=REASON)
    client = page_as(kind)

    assert "Picnic on Sunday?" not in client.get(reverse("home")).content.decode()
    assert "Picnic on Sunday?" not in client.get(reverse("circle", args=[world.circle.pk])).content.decode()
    assert client.get(reverse("post", args=[post.pk])).status_code == 404
