"""Blocking and muting: blocked people's content is absent from every path both ways; muted people's from timelines."""

import pytest
from django.urls import reverse

from accounts import services as accounts
from tests.factories import BlockFactory, CommentFactory, MuteFactory, PostImageFactory, ReactionFactory
from timeline import services
from timeline.models import Emoji

pytestmark = pytest.mark.django_db

DIRECTIONS = ["the viewer blocked them", "they blocked the viewer"]


@pytest.fixture
def talk(world):
    """The owner's post, under which the admin and the member comment and react."""
    post = services.post_create(author=world.owner, body="Sunday lunch?", circle_ids=[world.circle.pk])
    CommentFactory(post=post, author=world.admin, body="Admin says yes")
    CommentFactory(post=post, author=world.member, body="Member says yes")
    ReactionFactory(post=post, user=world.admin, emoji=Emoji.HEART)
    ReactionFactory(post=post, user=world.member, emoji=Emoji.HEART)
    ReactionFactory(post=post, user=world.member, emoji=Emoji.PARTY)
    return post


@pytest.fixture
def own_posts(world):
    """A post with a photo by the admin and one by the member, in the circle."""
    posts = {}
    for kind in ("admin", "member"):
        posts[kind] = services.post_create(
            author=world.person(kind), body=f"Written by the {kind}", circle_ids=[world.circle.pk]
        )
        PostImageFactory(post=posts[kind])
    return posts


@pytest.fixture(params=["member", "admin"], ids=["member views", "admin views"])
def viewer(request):
    return request.param


@pytest.fixture(params=DIRECTIONS)
def blocked(request, world, viewer):
    """The kind of the person in a block with `viewer` (whichever blocked whom)."""
    other = "admin" if viewer == "member" else "member"
    me, them = world.person(viewer), world.person(other)
    if request.param == DIRECTIONS[0]:
        BlockFactory(user=me, blocked=them)
    else:
        BlockFactory(user=them, blocked=me)
    return other


def bodies(response):
    return [item["body"] for item in response.data["results"]]


def test_blocked_posts_answer_404_like_missing_ones(client_as, world, own_posts, viewer, blocked):
    client = client_as(viewer)
    post = own_posts[blocked]

    assert client.get(reverse("api-post", args=[post.pk])).status_code == 404
    assert client.get(reverse("post", args=[post.pk])).status_code in (302, 404)
    image = post.images.get()
    assert client.get(image.get_absolute_url()).status_code == 404
    assert client.get(image.get_thumbnail_url()).status_code == 404
    # One's own post is still there.
    assert client.get(reverse("api-post", args=[own_posts[viewer].pk])).status_code == 200


def test_blocked_posts_are_absent_from_every_list(client_as, world, own_posts, viewer, blocked):
    client = client_as(viewer)
    theirs = f"Written by the {blocked}"

    assert theirs not in bodies(client.get(reverse("api-timeline")))
    assert theirs not in bodies(client.get(reverse("api-circle-posts", args=[world.circle.pk])))
    assert bodies(client.get(reverse("api-user-posts", args=[world.person(blocked).pk]))) == []
    assert f"Written by the {viewer}" in bodies(client.get(reverse("api-timeline")))


def test_blocked_posts_are_absent_from_the_pages(page_as, world, own_posts, viewer, blocked):
    client = page_as(viewer)
    theirs = f"Written by the {blocked}"

    for page in (
        reverse("home"),
        reverse("circle", args=[world.circle.pk]),
        reverse("person", args=[world.person(blocked).pk]),
    ):
        response = client.get(page)
        assert response.status_code == 200
        assert theirs not in response.content.decode(), page
    assert client.get(reverse("post", args=[own_posts[blocked].pk])).status_code == 404


def test_blocked_comments_and_reactions_are_absent_and_uncounted(client_as, page_as, world, talk, viewer, blocked):
    client = client_as(viewer)

    comments = client.get(reverse("api-post-comments", args=[talk.pk]))
    detail = client.get(reverse("api-post", args=[talk.pk]))
    [in_timeline] = [p for p in client.get(reverse("api-timeline")).data["results"] if p["id"] == str(talk.pk)]

    assert bodies(comments) == [f"{viewer.capitalize()} says yes"]
    assert detail.data["comment_count"] == in_timeline["comment_count"] == 1
    mine = {Emoji.HEART: 1, Emoji.PARTY: 1} if viewer == "member" else {Emoji.HEART: 1}
    assert detail.data["reactions"] == in_timeline["reactions"] == mine
    page = page_as(viewer).get(reverse("post", args=[talk.pk])).content.decode()
    assert f"{blocked.capitalize()} says yes" not in page


def test_the_third_person_still_sees_both(client_as, world, talk, own_posts, blocked):
    client = client_as("owner")

    assert len(bodies(client.get(reverse("api-post-comments", args=[talk.pk])))) == 2
    assert client.get(reverse("api-post", args=[talk.pk])).data["reactions"][Emoji.HEART] == 2
    assert {"Written by the admin", "Written by the member"} <= set(bodies(client.get(reverse("api-timeline"))))


def test_a_blocked_person_cannot_comment_or_react_on_the_post(client_as, world, own_posts, viewer, blocked):
    client = client_as(viewer)
    post = own_posts[blocked]

    assert client.post(reverse("api-post-comments", args=[post.pk]), {"body": "Hi"}, format="json").status_code == 404
    reaction = client.post(reverse("api-post-reactions", args=[post.pk]), {"emoji": Emoji.HEART}, format="json")
    assert reaction.status_code == 404


def test_the_audience_of_a_post_leaves_out_people_in_a_block_with_its_author(
    client_as, world, own_posts, viewer, blocked
):
    response = client_as(viewer).get(reverse("api-post-audience", args=[own_posts[viewer].pk]))

    people = {person["id"] for person in response.data["people"]}
    assert str(world.person(blocked).pk) not in people
    assert str(world.owner.pk) in people


def test_unblocking_shows_everything_again(client_as, world, talk, own_posts):
    BlockFactory(user=world.member, blocked=world.admin)
    accounts.block_delete(user=world.member, blocked_id=world.admin.pk)
    client = client_as("member")

    assert client.get(reverse("api-post", args=[own_posts["admin"].pk])).status_code == 200
    assert len(bodies(client.get(reverse("api-post-comments", args=[talk.pk])))) == 2


def test_blocked_people_stay_in_the_lists_of_people(client_as, world, blocked, viewer):
    """So that one can find them to unblock; their profile shows nothing they wrote."""
    response = client_as(viewer).get(reverse("api-users"))

    assert str(world.person(blocked).pk) in {person["id"] for person in response.data["results"]}
    assert client_as(viewer).get(reverse("api-user", args=[world.person(blocked).pk])).status_code == 200


# --- timelines keep full pages ---------------------------------------------------


def test_a_timeline_page_is_full_even_when_the_newest_posts_are_blocked(client_as, world):
    for n in range(3):
        services.post_create(author=world.owner, body=f"Owner {n}", circle_ids=[world.circle.pk])
    for n in range(5):
        services.post_create(author=world.admin, body=f"Admin {n}", circle_ids=[world.circle.pk])
    BlockFactory(user=world.admin, blocked=world.member)
    client = client_as("member")

    for url in (reverse("api-timeline"), reverse("api-circle-posts", args=[world.circle.pk])):
        response = client.get(url, {"page_size": 3})
        assert bodies(response) == ["Owner 2", "Owner 1", "Owner 0"], url


# --- muting ------------------------------------------------------------------------


@pytest.fixture
def muted(world, own_posts):
    """The member muted the admin."""
    return MuteFactory(user=world.member, muted=world.admin)


def test_muted_posts_leave_the_timelines(client_as, page_as, world, muted):
    client = client_as("member")

    assert "Written by the admin" not in bodies(client.get(reverse("api-timeline")))
    assert "Written by the admin" not in bodies(client.get(reverse("api-circle-posts", args=[world.circle.pk])))
    assert "Written by the member" in bodies(client.get(reverse("api-timeline")))
    pages = page_as("member")
    assert "Written by the admin" not in pages.get(reverse("home")).content.decode()
    assert "Written by the admin" not in pages.get(reverse("circle", args=[world.circle.pk])).content.decode()


def test_muted_posts_are_still_reachable_by_link_and_on_the_persons_page(client_as, page_as, world, own_posts, muted):
    client = client_as("member")
    post = own_posts["admin"]

    assert client.get(reverse("api-post", args=[post.pk])).status_code == 200
    assert bodies(client.get(reverse("api-user-posts", args=[world.admin.pk]))) == ["Written by the admin"]
    assert page_as("member").get(reverse("post", args=[post.pk])).status_code == 200


def test_muting_changes_nothing_for_the_muted_person_or_others(client_as, world, muted):
    for kind in ("admin", "owner"):
        assert "Written by the member" in bodies(client_as(kind).get(reverse("api-timeline")))
    assert "Written by the admin" in bodies(client_as("owner").get(reverse("api-timeline")))


# --- invitations between blocked people --------------------------------------------


@pytest.fixture
def club_invitation(world):
    """An invitation by the admin to a circle of theirs that the member is not in."""
    club = services.circle_create(creator=world.admin, name="Book club")
    return services.invitation_create(circle=club, actor=world.admin, max_uses=5)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_an_invitation_between_blocked_people_looks_invalid(client_as, page_as, world, club_invitation, direction):
    if direction == DIRECTIONS[0]:
        BlockFactory(user=world.member, blocked=world.admin)
    else:
        BlockFactory(user=world.admin, blocked=world.member)
    client = client_as("member")
    bogus = "not-a-real-token"

    preview = client.get(reverse("api-invitation", args=[club_invitation.token]))
    accept = client.post(reverse("api-invitation-accept", args=[club_invitation.token]))
    bogus_accept = client.post(reverse("api-invitation-accept", args=[bogus]))

    assert preview.status_code == accept.status_code == bogus_accept.status_code == 404
    assert preview.data == accept.data == bogus_accept.data == {"detail": services.INVITATION_INVALID}
    assert not club_invitation.circle.memberships.filter(user=world.member).exists()
    page = page_as("member")
    assert page.get(reverse("invitation", args=[club_invitation.token])).status_code == 404
    assert page.post(reverse("invitation", args=[club_invitation.token])).status_code == 404
    club_invitation.refresh_from_db()
    assert club_invitation.uses == 0


def test_an_invitation_works_for_others_and_again_after_unblocking(client_as, world, club_invitation):
    BlockFactory(user=world.member, blocked=world.admin)

    assert client_as("owner").post(reverse("api-invitation-accept", args=[club_invitation.token])).status_code == 200
    accounts.block_delete(user=world.member, blocked_id=world.admin.pk)
    assert client_as("member").post(reverse("api-invitation-accept", args=[club_invitation.token])).status_code == 200
