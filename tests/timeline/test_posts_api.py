"""The REST API of posts, comments, reactions and people: who may see and do what, and what they get."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import User
from circleshare.api.serializers import UNKNOWN_FIELD
from circleshare.middleware import REQUEST_TOO_LARGE
from tests.factories import CircleFactory, CommentFactory, MembershipFactory, PostFactory, ReactionFactory
from tests.images import image_upload
from timeline import services
from timeline.models import Comment, Emoji, Post, PostAudience, PostRevision, Reaction

pytestmark = pytest.mark.django_db

AUTHOR = "member"  # world.member writes the post shared with world.circle
IN_CIRCLE = ["owner", "admin", "member"]
NOT_IN_CIRCLE = ["removed", "outsider", "staff"]
MANAGERS = ["owner", "admin"]
EVERYONE = [*IN_CIRCLE, "friend", *NOT_IN_CIRCLE, "anonymous"]
HEART, THUMBS_UP, PARTY = Emoji.HEART.value, Emoji.THUMBS_UP.value, Emoji.PARTY.value


def expected(kind, *, allowed, forbidden=(), ok=200):
    """The status each kind of person gets: `ok`, 403 for those who see the post without the right, else 404."""
    if kind == "anonymous":
        return 401
    if kind in allowed:
        return ok
    if kind in forbidden:
        return 403
    return 404


@pytest.fixture
def friend(world):
    """A second plain member of the circle: neither the post's author nor an admin."""
    return MembershipFactory(circle=world.circle, user__name="Fred Friend").user


@pytest.fixture
def client_of(client_as, request):
    """`client_as`, which also knows "friend" (created only by the tests that ask for them)."""

    def build(kind: str) -> APIClient:
        if kind != "friend":
            return client_as(kind)
        client = APIClient()
        client.force_authenticate(request.getfixturevalue("friend"))
        return client

    return build


@pytest.fixture
def post(world):
    return services.post_create(author=world.member, body="Hello, family!", circle_ids=[world.circle.pk])


@pytest.fixture
def journal(world):
    return services.post_create(author=world.member, body="Dear diary", circle_ids=[])


@pytest.fixture
def missing_post_id(world):
    """The id of a post that existed once: any id that answers like a missing post."""
    return deleted_pk(services.post_create(author=world.owner, body="Soon gone", circle_ids=[world.circle.pk]))


def post_url(name, post_id, **kwargs):
    key = "pk" if name == "api-post" else "post_pk"
    return reverse(name, kwargs={key: post_id, **kwargs})


def ids_in(response):
    return [item["id"] for item in response.data["results"]]


def deleted_pk(obj):
    """Delete `obj` and give its id: an id that answers like a missing object."""
    pk = obj.pk
    obj.delete()
    return pk


def hide(post):
    post.set_moderation_state(Post.Moderation.HIDDEN, "Spam")


# Every endpoint under posts/{id}/, as (method, url name, extra url kwargs, payload).
POST_ENDPOINTS = {
    "detail": ("get", "api-post", {}, None),
    "update": ("patch", "api-post", {}, {"body": "Changed"}),
    "delete": ("delete", "api-post", {}, None),
    "audience": ("get", "api-post-audience", {}, None),
    "comments": ("get", "api-post-comments", {}, None),
    "comment": ("post", "api-post-comments", {}, {"body": "Nice"}),
    "react": ("post", "api-post-reactions", {}, {"emoji": HEART}),
    "unreact": ("delete", "api-post-reaction", {"emoji": HEART}, None),
}


def call(client, endpoint, post_id):
    method, name, kwargs, payload = POST_ENDPOINTS[endpoint]
    return getattr(client, method)(post_url(name, post_id, **kwargs), payload, format="json")


def nothing_changed(post):
    post.refresh_from_db()
    return (
        post.body == "Hello, family!"
        and not Comment.objects.exists()
        and not Reaction.objects.exists()
        and Post.objects.filter(pk=post.pk).exists()
    )


# --- one post: the visibility matrix ------------------------------------------


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_detail_visibility(client_of, world, post, kind):
    response = client_of(kind).get(post_url("api-post", post.pk))

    assert response.status_code == expected(kind, allowed=[*IN_CIRCLE, "friend"])
    if response.status_code == 200:
        assert response.data["body"] == "Hello, family!"


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_update_by_its_author_only(client_of, world, post, kind):
    response = client_of(kind).patch(post_url("api-post", post.pk), {"body": "Changed"}, format="json")

    assert response.status_code == expected(kind, allowed=[AUTHOR], forbidden=[*MANAGERS, "friend"])
    if response.status_code == 403:
        assert response.data == {"detail": services.NOT_YOUR_POST}
    post.refresh_from_db()
    assert (post.body == "Changed") == (response.status_code == 200)


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_delete_by_its_author_or_an_admin_of_its_circle(client_of, world, post, kind):
    response = client_of(kind).delete(post_url("api-post", post.pk))

    assert response.status_code == expected(kind, allowed=[AUTHOR, *MANAGERS], forbidden=["friend"], ok=204)
    if response.status_code == 403:
        assert response.data == {"detail": services.CANNOT_DELETE_POST}
    # The author deletes it; the circle's admins only take it out of their circle (the author keeps it).
    assert Post.objects.filter(pk=post.pk).exists() == (kind != AUTHOR or response.status_code != 204)
    assert post.audience.filter(circle=world.circle).exists() == (response.status_code != 204)


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_audience_is_shown_to_the_author_alone(client_of, world, post, kind):
    response = client_of(kind).get(post_url("api-post-audience", post.pk))

    assert response.status_code == expected(kind, allowed=[AUTHOR])
    if response.status_code == 200:
        assert response.data["circles"] == [{"id": str(world.circle.pk), "name": "Family"}]
        people = {person["id"] for person in response.data["people"]}
        assert people == {str(world.owner.pk), str(world.admin.pk), str(world.member.pk)}
        assert response.data["count"] == 3
        assert all(set(person) == {"id", "name", "avatar_url"} for person in response.data["people"])


def test_post_audience_follows_the_circle_membership_now(client_as, world, post):
    services.membership_remove(circle=world.circle, actor=world.owner, user=world.admin)
    newcomer = MembershipFactory(circle=world.circle).user

    response = client_as(AUTHOR).get(post_url("api-post-audience", post.pk))

    people = {person["id"] for person in response.data["people"]}
    assert people == {str(world.owner.pk), str(world.member.pk), str(newcomer.pk)}
    assert response.data["count"] == 3


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_comments_list_visibility(client_of, world, post, kind):
    CommentFactory(post=post, author=world.owner, body="First!")

    response = client_of(kind).get(post_url("api-post-comments", post.pk))

    assert response.status_code == expected(kind, allowed=[*IN_CIRCLE, "friend"])
    if response.status_code == 200:
        assert [comment["body"] for comment in response.data["results"]] == ["First!"]


@pytest.mark.parametrize("kind", EVERYONE)
def test_post_comment_create_by_those_who_see_the_post(client_of, world, post, kind):
    response = client_of(kind).post(post_url("api-post-comments", post.pk), {"body": "Lovely"}, format="json")

    assert response.status_code == expected(kind, allowed=[*IN_CIRCLE, "friend"], ok=201)
    assert Comment.objects.filter(post=post).count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert response.data["body"] == "Lovely"
        assert response.data["post"] == str(post.pk)


@pytest.mark.parametrize("kind", EVERYONE)
def test_comment_update_by_its_author_only(client_of, world, post, kind):
    comment = CommentFactory(post=post, author=world.admin, body="Original")

    response = client_of(kind).patch(reverse("api-comment", args=[comment.pk]), {"body": "Edited"}, format="json")

    assert response.status_code == expected(kind, allowed=["admin"], forbidden=["owner", AUTHOR, "friend"])
    if response.status_code == 403:
        assert response.data == {"detail": services.NOT_YOUR_COMMENT}
    comment.refresh_from_db()
    assert (comment.body == "Edited") == (response.status_code == 200)
    assert (comment.edited_at is not None) == (response.status_code == 200)


@pytest.mark.parametrize("kind", EVERYONE)
def test_comment_delete_by_its_author_the_post_author_or_circle_admins(client_of, world, post, friend, kind):
    comment = CommentFactory(post=post, author=friend)

    response = client_of(kind).delete(reverse("api-comment", args=[comment.pk]))

    assert response.status_code == expected(kind, allowed=["friend", AUTHOR, *MANAGERS], ok=204)
    assert Comment.objects.filter(pk=comment.pk).exists() == (response.status_code != 204)


def test_comment_delete_by_another_plain_member_is_403(client_of, world, post):
    comment = CommentFactory(post=post, author=world.owner)

    response = client_of("friend").delete(reverse("api-comment", args=[comment.pk]))

    assert response.status_code == 403
    assert response.data == {"detail": services.CANNOT_DELETE_COMMENT}
    assert Comment.objects.filter(pk=comment.pk).exists()


@pytest.mark.parametrize("kind", EVERYONE)
def test_reaction_add_by_those_who_see_the_post(client_of, world, post, kind):
    response = client_of(kind).post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json")

    assert response.status_code == expected(kind, allowed=[*IN_CIRCLE, "friend"], ok=201)
    assert Reaction.objects.filter(post=post).count() == (1 if response.status_code == 201 else 0)
    if response.status_code == 201:
        assert response.data == {"reactions": {HEART: 1}, "my_reactions": [HEART]}


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE])
def test_reaction_remove_by_those_who_see_the_post(client_as, world, post, kind):
    # Reactions left behind by people who cannot see the post (any more) cannot be touched by them.
    reaction = ReactionFactory(post=post, user=world.person(kind), emoji=HEART)

    response = client_as(kind).delete(post_url("api-post-reaction", post.pk, emoji=HEART))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE, ok=204)
    assert Reaction.objects.filter(pk=reaction.pk).exists() == (response.status_code != 204)


def test_reaction_remove_anonymous_is_401(client_as, world, post):
    ReactionFactory(post=post, user=world.owner)

    assert client_as("anonymous").delete(post_url("api-post-reaction", post.pk, emoji=HEART)).status_code == 401
    assert Reaction.objects.count() == 1


def test_reaction_remove_takes_away_only_my_reaction_of_that_kind(client_as, world, post):
    ReactionFactory(post=post, user=world.owner, emoji=HEART)
    ReactionFactory(post=post, user=world.owner, emoji=PARTY)
    ReactionFactory(post=post, user=world.admin, emoji=HEART)

    response = client_as("owner").delete(post_url("api-post-reaction", post.pk, emoji=HEART))

    assert response.status_code == 204
    left = set(Reaction.objects.values_list("user_id", "emoji"))
    assert left == {(world.owner.pk, PARTY), (world.admin.pk, HEART)}


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_endpoints_answer_for_an_unseen_post_exactly_as_for_a_missing_one(
    client_as, world, post, missing_post_id, endpoint
):
    for kind in NOT_IN_CIRCLE:
        hidden = call(client_as(kind), endpoint, post.pk)
        missing = call(client_as(kind), endpoint, missing_post_id)

        assert hidden.status_code == missing.status_code == 404, kind
        assert hidden.data == missing.data, kind
    assert nothing_changed(post)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_post_endpoints_answer_for_a_moderated_post_exactly_as_for_a_missing_one(
    client_as, world, post, missing_post_id, endpoint
):
    hide(post)

    hidden = call(client_as("owner"), endpoint, post.pk)
    missing = call(client_as("owner"), endpoint, missing_post_id)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.data == missing.data
    assert nothing_changed(post)


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_comment_endpoints_answer_for_an_unseen_comment_exactly_as_for_a_missing_one(client_as, world, post, method):
    gone = deleted_pk(CommentFactory(post=post, author=world.owner))
    for kind in NOT_IN_CIRCLE:
        comment = CommentFactory(post=post, author=world.person(kind), body="Before I left")
        client = client_as(kind)

        hidden = getattr(client, method)(reverse("api-comment", args=[comment.pk]), {"body": "x"}, format="json")
        missing = getattr(client, method)(reverse("api-comment", args=[gone]), {"body": "x"}, format="json")

        assert hidden.status_code == missing.status_code == 404, kind
        assert hidden.data == missing.data, kind
        comment.refresh_from_db()
        assert comment.body == "Before I left", kind


# --- lists: timelines and people ----------------------------------------------


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_home_timeline_shows_the_post_to_current_members_only(client_as, world, post, kind):
    response = client_as(kind).get(reverse("api-timeline"))

    if kind == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert (str(post.pk) in ids_in(response)) == (kind in IN_CIRCLE)


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_circle_timeline_visibility(client_as, world, post, kind):
    response = client_as(kind).get(reverse("api-circle-posts", args=[world.circle.pk]))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE)
    if response.status_code == 200:
        assert ids_in(response) == [str(post.pk)]


def test_circle_timeline_of_a_circle_i_am_not_in_looks_like_a_missing_one(client_as, world, post):
    missing_circle = deleted_pk(CircleFactory())

    hidden = client_as("outsider").get(reverse("api-circle-posts", args=[world.circle.pk]))
    missing = client_as("outsider").get(reverse("api-circle-posts", args=[missing_circle]))

    assert (hidden.status_code, hidden.data) == (missing.status_code, missing.data)


def test_circle_timeline_shows_only_that_circles_posts(client_as, world, post):
    elsewhere = services.circle_create(creator=world.member, name="Friends")
    other = services.post_create(author=world.member, body="To friends", circle_ids=[elsewhere.pk])

    family = client_as("member").get(reverse("api-circle-posts", args=[world.circle.pk]))
    friends = client_as("member").get(reverse("api-circle-posts", args=[elsewhere.pk]))

    assert ids_in(family) == [str(post.pk)]
    assert ids_in(friends) == [str(other.pk)]


def test_home_timeline_is_newest_first_and_has_each_post_once(client_as, world):
    second = services.circle_create(creator=world.owner, name="Friends")
    MembershipFactory(circle=second, user=world.member)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    older = PostFactory(author=world.owner, created_at=an_hour_ago, circles=[world.circle, second])
    mine = services.post_create(author=world.member, body="Mine", circle_ids=[world.circle.pk])
    newest = services.post_create(author=world.admin, body="Newest", circle_ids=[world.circle.pk])

    response = client_as("member").get(reverse("api-timeline"))

    assert ids_in(response) == [str(newest.pk), str(mine.pk), str(older.pk)]


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE])
def test_user_list_shows_people_who_share_a_circle_with_me_now_and_me(client_as, world, kind):
    response = client_as(kind).get(reverse("api-users"))

    assert response.status_code == 200
    listed = set(ids_in(response))
    if kind in IN_CIRCLE:
        assert listed == {str(world.owner.pk), str(world.admin.pk), str(world.member.pk)}
    else:
        assert listed == {str(world.person(kind).pk)}
    assert all(set(person) == {"id", "name", "avatar_url"} for person in response.data["results"])
    assert not any(user.email.encode() in response.content for user in User.objects.all())


def test_user_list_anonymous_is_401(client_as, world):
    assert client_as("anonymous").get(reverse("api-users")).status_code == 401


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_user_detail_visibility(client_as, world, kind):
    response = client_as(kind).get(reverse("api-user", args=[world.member.pk]))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE)
    if response.status_code == 200:
        assert response.data["name"] == world.member.name
        assert "email" not in response.data
        assert world.member.email.encode() not in response.content


@pytest.mark.parametrize("kind", NOT_IN_CIRCLE)
def test_user_detail_of_someone_unseen_looks_like_a_missing_person(client_as, world, kind):
    gone = deleted_pk(User.objects.create_user("gone@example.com", "Gone"))

    for name in ("api-user", "api-user-posts"):
        hidden = client_as(kind).get(reverse(name, args=[world.member.pk]))
        missing = client_as(kind).get(reverse(name, args=[gone]))
        assert (hidden.status_code, hidden.data) == (missing.status_code, missing.data)
        assert hidden.status_code == 404


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_user_posts_visibility(client_as, world, post, kind):
    response = client_as(kind).get(reverse("api-user-posts", args=[world.member.pk]))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE)
    if response.status_code == 200:
        assert ids_in(response) == [str(post.pk)]


def test_user_posts_show_only_posts_shared_with_a_circle_i_am_in(client_as, world, post):
    # The member and the outsider meet in a second circle: the outsider may see the member,
    # and the member's posts to that circle, but not those to the family.
    meeting = services.circle_create(creator=world.member, name="Book club")
    MembershipFactory(circle=meeting, user=world.outsider)
    shared = services.post_create(author=world.member, body="Book club news", circle_ids=[meeting.pk])

    response = client_as("outsider").get(reverse("api-user-posts", args=[world.member.pk]))

    assert response.status_code == 200
    assert ids_in(response) == [str(shared.pk)]


# --- losing access, journals, hidden posts -------------------------------------


def test_a_removed_member_loses_access_to_the_post_at_once(client_as, world, post):
    client = client_as("admin")
    assert client.get(post_url("api-post", post.pk)).status_code == 200
    assert str(post.pk) in ids_in(client.get(reverse("api-timeline")))

    services.membership_remove(circle=world.circle, actor=world.owner, user=world.admin)

    assert client.get(post_url("api-post", post.pk)).status_code == 404
    assert client.get(post_url("api-post-comments", post.pk)).status_code == 404
    assert client.post(post_url("api-post-comments", post.pk), {"body": "Hi"}, format="json").status_code == 404
    assert client.post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json").status_code == 404
    assert client.delete(post_url("api-post", post.pk)).status_code == 404
    assert str(post.pk) not in ids_in(client.get(reverse("api-timeline")))
    assert client.get(reverse("api-circle-posts", args=[world.circle.pk])).status_code == 404
    assert client.get(reverse("api-user-posts", args=[world.member.pk])).status_code == 404
    assert client.get(reverse("api-user", args=[world.member.pk])).status_code == 404
    assert str(world.member.pk) not in ids_in(client.get(reverse("api-users")))
    assert Post.objects.filter(pk=post.pk).exists()
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


def test_a_removed_member_can_no_longer_edit_or_delete_their_comment(client_as, world, post):
    comment = CommentFactory(post=post, author=world.admin, body="Mine")
    services.membership_remove(circle=world.circle, actor=world.owner, user=world.admin)

    client = client_as("admin")

    assert client.patch(reverse("api-comment", args=[comment.pk]), {"body": "x"}, format="json").status_code == 404
    assert client.delete(reverse("api-comment", args=[comment.pk])).status_code == 404
    assert Comment.objects.get(pk=comment.pk).body == "Mine"


def test_journal_entry_is_on_its_authors_timeline_and_nobody_elses(client_as, world, journal):
    mine = client_as(AUTHOR).get(reverse("api-timeline"))
    assert ids_in(mine) == [str(journal.pk)]
    assert mine.data["results"][0]["circles"] == []

    for kind in ["owner", "admin", *NOT_IN_CIRCLE]:
        assert str(journal.pk) not in ids_in(client_as(kind).get(reverse("api-timeline"))), kind
    for kind in MANAGERS:
        assert ids_in(client_as(kind).get(reverse("api-user-posts", args=[world.member.pk]))) == [], kind
        assert ids_in(client_as(kind).get(reverse("api-circle-posts", args=[world.circle.pk]))) == [], kind


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_journal_entry_answers_others_as_a_missing_post(client_as, world, journal, missing_post_id, endpoint):
    for kind in ["owner", "admin", *NOT_IN_CIRCLE]:
        hidden = call(client_as(kind), endpoint, journal.pk)
        missing = call(client_as(kind), endpoint, missing_post_id)
        assert (hidden.status_code, hidden.data) == (missing.status_code, missing.data), kind
        assert hidden.status_code == 404, kind
    journal.refresh_from_db()
    assert journal.body == "Dear diary"
    assert not Comment.objects.exists()
    assert not Reaction.objects.exists()


def test_journal_entry_is_fully_usable_by_its_author(client_as, world, journal):
    client = client_as(AUTHOR)

    assert client.get(post_url("api-post", journal.pk)).status_code == 200
    assert client.post(post_url("api-post-comments", journal.pk), {"body": "Note"}, format="json").status_code == 201
    assert client.post(post_url("api-post-reactions", journal.pk), {"emoji": HEART}, format="json").status_code == 201
    audience = client.get(post_url("api-post-audience", journal.pk)).data
    assert audience == {
        "circles": [],
        "people": [{"id": str(world.member.pk), "name": world.member.name, "avatar_url": None}],
        "count": 1,
    }


def test_hidden_post_is_shown_to_its_author_marked_hidden(client_as, world, post):
    hide(post)

    detail = client_as(AUTHOR).get(post_url("api-post", post.pk))
    timeline = client_as(AUTHOR).get(reverse("api-timeline"))

    assert detail.status_code == 200
    assert detail.data["is_hidden"] is True
    assert [item["is_hidden"] for item in timeline.data["results"]] == [True]


@pytest.mark.parametrize("kind", [*MANAGERS, *NOT_IN_CIRCLE])
def test_hidden_post_is_in_no_list_of_others(client_as, world, post, kind):
    hide(post)
    client = client_as(kind)

    assert str(post.pk) not in ids_in(client.get(reverse("api-timeline")))
    for url in (reverse("api-circle-posts", args=[world.circle.pk]), reverse("api-user-posts", args=[world.member.pk])):
        response = client.get(url)
        assert response.status_code == expected(kind, allowed=MANAGERS)
        if response.status_code == 200:
            assert ids_in(response) == []


# --- creating and editing -----------------------------------------------------


def test_post_create_shares_with_my_circles(client_as, world):
    response = client_as(AUTHOR).post(
        reverse("api-posts"), {"body": "  Hi all  ", "circle_ids": [world.circle.pk]}, format="json"
    )

    assert response.status_code == 201
    post = Post.objects.get()
    assert response.data["id"] == str(post.pk)
    assert post.author == world.member
    assert post.body == "Hi all"
    assert list(post.audience.values_list("circle_id", "created_at")) == [(world.circle.pk, post.created_at)]


def test_post_create_without_circles_is_a_journal_entry(client_as, world):
    response = client_as(AUTHOR).post(reverse("api-posts"), {"body": "Only me"}, format="json")

    assert response.status_code == 201
    assert response.data["circles"] == []
    assert not PostAudience.objects.exists()


@pytest.mark.parametrize(
    ("kind", "circles"),
    [
        ("member", ["elsewhere"]),  # a circle I am not in
        ("member", ["family", "elsewhere"]),  # one of them
        ("member", ["nowhere"]),  # a circle that does not exist
        ("removed", ["family"]),  # a circle I have left
    ],
)
def test_post_create_to_a_circle_i_am_not_in_is_refused_and_creates_nothing(client_as, world, kind, circles):
    gone = deleted_pk(CircleFactory())
    by_name = {"family": world.circle.pk, "elsewhere": world.outsider.circles.get().pk, "nowhere": gone}

    response = client_as(kind).post(
        reverse("api-posts"), {"body": "Psst", "circle_ids": [by_name[c] for c in circles]}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"circle_ids": [services.ONLY_YOUR_CIRCLES]}
    assert not Post.objects.exists()
    assert not PostAudience.objects.exists()


def test_post_create_refuses_unknown_circles_like_circles_of_others(client_as, world):
    # Whether a circle id exists must not show through the error.
    gone = deleted_pk(CircleFactory())
    elsewhere = world.outsider.circles.get()

    unknown = client_as(AUTHOR).post(reverse("api-posts"), {"body": "x", "circle_ids": [gone]}, format="json")
    others = client_as(AUTHOR).post(reverse("api-posts"), {"body": "x", "circle_ids": [elsewhere.pk]}, format="json")

    assert (unknown.status_code, unknown.data) == (others.status_code, others.data)


def test_post_create_body_of_exactly_5000_characters_is_accepted(client_as, world):
    response = client_as(AUTHOR).post(reverse("api-posts"), {"body": "x" * 5000}, format="json")

    assert response.status_code == 201
    assert len(Post.objects.get().body) == 5000


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"body": "x", "circle_ids": "1"}, "circle_ids", id="circle_ids as a string"),
        pytest.param({"body": "x", "circle_ids": 1}, "circle_ids", id="circle_ids as a number"),
        pytest.param({"body": "x", "circle_ids": ["family"]}, "circle_ids", id="circle_ids of words"),
        pytest.param({"body": "x", "circle_ids": [0]}, "circle_ids", id="circle id 0"),
        pytest.param({"body": "x", "circle_ids": [2**63]}, "circle_ids", id="circle id too large"),
        pytest.param({"body": "x", "circle_ids": [None]}, "circle_ids", id="circle id null"),
        pytest.param({"body": ["x"]}, "body", id="body as a list"),
        pytest.param({"body": {"text": "x"}}, "body", id="body as an object"),
        pytest.param({"body": None}, "body", id="body null"),
        pytest.param({"body": "x" * 5001}, "body", id="body over 5000 characters"),
        pytest.param({"body": ""}, "body", id="empty body and no photo"),
        pytest.param({"body": "   \n "}, "body", id="blank body and no photo"),
        pytest.param({}, "body", id="nothing at all"),
        pytest.param({"body": "x", "colour": "red"}, "colour", id="unknown field"),
        pytest.param({"body": "x", "author": 1}, "author", id="author is not writable"),
        pytest.param({"body": "x", "alt_texts": ["a"]}, "alt_texts", id="alt text without a photo"),
    ],
)
def test_post_create_refuses_bad_input_and_creates_nothing(client_as, world, payload, field):
    response = client_as(AUTHOR).post(reverse("api-posts"), payload, format="json")

    assert response.status_code == 400
    assert field in response.data
    if field in ("colour", "author"):
        assert response.data[field] == [UNKNOWN_FIELD]
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param('{"body": "x", ', id="malformed"),
        pytest.param("[]", id="a list"),
        pytest.param('"hello"', id="a string"),
        pytest.param("", id="empty"),
        pytest.param('{"body": "\\ud800"}', id="lone surrogate"),
    ],
)
def test_post_create_refuses_json_that_is_not_an_object_and_creates_nothing(client_as, world, raw):
    response = client_as(AUTHOR).post(reverse("api-posts"), raw, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert not Post.objects.exists()


def test_post_create_with_a_huge_body_is_413_and_creates_nothing(client_as, world, settings):
    payload = {"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), "circle_ids": [world.circle.pk]}

    response = client_as(AUTHOR).post(reverse("api-posts"), payload, format="json")

    assert response.status_code == 413
    assert response.json() == {"detail": REQUEST_TOO_LARGE}
    assert not Post.objects.exists()


def test_post_create_anonymous_is_401(client_as, world):
    response = client_as("anonymous").post(reverse("api-posts"), {"body": "x"}, format="json")

    assert response.status_code == 401
    assert not Post.objects.exists()


def test_post_list_is_not_served_at_posts(client_as, world, post):
    assert client_as("member").get(reverse("api-posts")).status_code == 405


def test_post_edit_keeps_the_old_body_as_a_revision_and_sets_edited_at(client_as, world, post):
    client = client_as(AUTHOR)

    first = client.patch(post_url("api-post", post.pk), {"body": "Hello again"}, format="json")
    second = client.patch(post_url("api-post", post.pk), {"body": "Hello, third time"}, format="json")

    assert first.status_code == second.status_code == 200
    assert second.data["body"] == "Hello, third time"
    post.refresh_from_db()
    assert post.edited_at is not None
    assert parse_datetime(second.data["edited_at"]) == post.edited_at
    assert parse_datetime(first.data["edited_at"]) < post.edited_at
    revisions = list(PostRevision.objects.filter(post=post).order_by("replaced_at", "pk"))
    assert [r.body for r in revisions] == ["Hello, family!", "Hello again"]
    assert revisions[0].created_at == post.created_at
    assert revisions[1].created_at == parse_datetime(first.data["edited_at"])


def test_post_edit_with_the_same_body_makes_no_revision(client_as, world, post):
    response = client_as(AUTHOR).patch(post_url("api-post", post.pk), {"body": "Hello, family!"}, format="json")

    assert response.status_code == 200
    assert response.data["edited_at"] is None
    assert not PostRevision.objects.exists()


def test_post_edit_of_the_audience_changes_who_sees_it(client_as, world, post):
    friends = services.circle_create(creator=world.member, name="Friends")
    MembershipFactory(circle=friends, user=world.outsider)

    response = client_as(AUTHOR).patch(post_url("api-post", post.pk), {"circle_ids": [friends.pk]}, format="json")

    assert response.status_code == 200
    assert response.data["circles"] == [{"id": str(friends.pk), "name": "Friends"}]
    assert response.data["edited_at"] is None  # only the text counts as an edit
    for kind, status in [("owner", 404), ("admin", 404), ("outsider", 200), (AUTHOR, 200)]:
        assert client_as(kind).get(post_url("api-post", post.pk)).status_code == status, kind
    assert str(post.pk) in ids_in(client_as("outsider").get(reverse("api-timeline")))
    assert str(post.pk) not in ids_in(client_as("owner").get(reverse("api-timeline")))
    # The new share carries the post's own date, so the post keeps its place in timelines.
    assert list(PostAudience.objects.filter(post=post).values_list("created_at", flat=True)) == [post.created_at]


def test_post_edit_to_no_circles_makes_it_a_journal_entry(client_as, world, post):
    response = client_as(AUTHOR).patch(post_url("api-post", post.pk), {"circle_ids": []}, format="json")

    assert response.status_code == 200
    assert response.data["circles"] == []
    assert client_as("owner").get(post_url("api-post", post.pk)).status_code == 404


def test_post_edit_cannot_add_a_circle_i_am_not_in(client_as, world, post):
    elsewhere = world.outsider.circles.get()

    response = client_as(AUTHOR).patch(
        post_url("api-post", post.pk), {"circle_ids": [world.circle.pk, elsewhere.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.data == {"circle_ids": [services.ONLY_YOUR_CIRCLES]}
    assert list(post.audience.values_list("circle_id", flat=True)) == [world.circle.pk]
    assert client_as("outsider").get(post_url("api-post", post.pk)).status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"body": "x" * 5001}, id="body over 5000 characters"),
        pytest.param({"body": ["x"]}, id="body as a list"),
        pytest.param({"body": ""}, id="empty body without photos"),
        pytest.param({"circle_ids": "1"}, id="circle_ids as a string"),
        pytest.param({"circle_ids": [2**63]}, id="circle id too large"),
        pytest.param({"body": "x", "moderation_state": "visible"}, id="unknown field"),
    ],
)
def test_post_edit_refuses_bad_input_and_changes_nothing(client_as, world, post, payload):
    response = client_as(AUTHOR).patch(post_url("api-post", post.pk), payload, format="json")

    assert response.status_code == 400
    post.refresh_from_db()
    assert post.body == "Hello, family!"
    assert post.edited_at is None
    assert list(post.audience.values_list("circle_id", flat=True)) == [world.circle.pk]
    assert not PostRevision.objects.exists()


# --- reactions and comments -----------------------------------------------------


def test_reaction_twice_is_created_then_acknowledged_and_counted_once(client_as, world, post):
    client = client_as("owner")

    first = client.post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json")
    second = client.post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data == {"reactions": {HEART: 1}, "my_reactions": [HEART]}
    assert Reaction.objects.filter(post=post, user=world.owner).count() == 1


def test_reactions_of_different_kinds_and_people_add_up(client_as, world, post):
    client_as("owner").post(post_url("api-post-reactions", post.pk), {"emoji": THUMBS_UP}, format="json")
    client_as("owner").post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json")

    response = client_as("admin").post(post_url("api-post-reactions", post.pk), {"emoji": HEART}, format="json")

    assert response.status_code == 201
    assert response.data == {"reactions": {HEART: 2, THUMBS_UP: 1}, "my_reactions": [HEART]}


@pytest.mark.parametrize(
    "payload",
    [{"emoji": "🍕"}, {"emoji": ""}, {"emoji": None}, {"emoji": ["❤️"]}, {}, {"emoji": HEART, "extra": 1}],
)
def test_reaction_with_an_unknown_emoji_or_bad_input_is_400(client_as, world, post, payload):
    response = client_as("owner").post(post_url("api-post-reactions", post.pk), payload, format="json")

    assert response.status_code == 400
    assert not Reaction.objects.exists()


def test_reaction_remove_of_an_unknown_emoji_is_not_a_server_error(client_as, world, post):
    ReactionFactory(post=post, user=world.owner)

    response = client_as("owner").delete(post_url("api-post-reaction", post.pk, emoji="🍕"))

    assert response.status_code in (204, 400, 404)
    assert Reaction.objects.count() == 1


def test_comments_are_listed_oldest_first(client_as, world, post):
    now = timezone.now()
    newest = CommentFactory(post=post, author=world.owner, created_at=now)
    oldest = CommentFactory(post=post, author=world.admin, created_at=now - timedelta(minutes=2))
    middle = CommentFactory(post=post, author=world.member, created_at=now - timedelta(minutes=1))

    response = client_as("member").get(post_url("api-post-comments", post.pk))

    assert ids_in(response) == [str(oldest.pk), str(middle.pk), str(newest.pk)]
    first = response.data["results"][0]
    assert set(first) == {"id", "post", "author", "body", "created_at", "edited_at", "is_hidden", "hidden_reason"}
    assert set(first["author"]) == {"id", "name", "avatar_url"}


@pytest.mark.parametrize(
    "payload", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 2001}, {"body": ["x"]}, {"body": "x", "post": 1}]
)
def test_comment_create_refuses_bad_input(client_as, world, post, payload):
    response = client_as("owner").post(post_url("api-post-comments", post.pk), payload, format="json")

    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comment_count_is_shown_on_the_post(client_as, world, post):
    CommentFactory.create_batch(3, post=post, author=world.owner)

    assert client_as("member").get(post_url("api-post", post.pk)).data["comment_count"] == 3


# --- the shape of a post ------------------------------------------------------


def test_post_json_has_exactly_the_fields_of_the_spec(client_as, world):
    post = services.post_create(
        author=world.member,
        body="With a photo",
        circle_ids=[world.circle.pk],
        images=[image_upload(size=(64, 48))],
        alt_texts=["A red rectangle"],
    )
    CommentFactory(post=post, author=world.admin)
    ReactionFactory(post=post, user=world.owner, emoji=HEART)
    ReactionFactory(post=post, user=world.admin, emoji=HEART)
    ReactionFactory(post=post, user=world.admin, emoji=PARTY)

    data = client_as("owner").get(post_url("api-post", post.pk)).json()

    assert set(data) == {
        "id",
        "author",
        "body",
        "circles",
        "images",
        "created_at",
        "edited_at",
        "comment_count",
        "reactions",
        "my_reactions",
        "is_hidden",
        "hidden_reason",
    }
    assert data["id"] == str(post.pk)
    assert data["author"] == {"id": str(world.member.pk), "name": world.member.name, "avatar_url": None}
    assert data["body"] == "With a photo"
    assert data["circles"] == [{"id": str(world.circle.pk), "name": "Family"}]
    [image] = data["images"]
    assert set(image) == {"url", "thumbnail_url", "width", "height", "alt"}
    assert (image["width"], image["height"], image["alt"]) == (64, 48, "A red rectangle")
    assert image["url"].startswith("http://testserver/")
    assert image["thumbnail_url"] != image["url"]
    assert parse_datetime(data["created_at"]) == post.created_at
    assert data["edited_at"] is None
    assert data["comment_count"] == 1
    assert data["reactions"] == {HEART: 2, PARTY: 1}
    assert data["my_reactions"] == [HEART]
    assert data["is_hidden"] is False


def test_post_json_is_the_same_in_lists_and_in_detail(client_as, world, post):
    ReactionFactory(post=post, user=world.owner, emoji=HEART)
    CommentFactory(post=post, author=world.admin)
    client = client_as("owner")

    detail = client.get(post_url("api-post", post.pk)).json()

    for url in (
        reverse("api-timeline"),
        reverse("api-circle-posts", args=[world.circle.pk]),
        reverse("api-user-posts", args=[world.member.pk]),
    ):
        assert client.get(url).json()["results"] == [detail], url


def test_post_create_answers_with_the_post_as_shown(client_as, world):
    another = services.circle_create(creator=world.person(AUTHOR), name="Cousins")
    response = client_as(AUTHOR).post(
        reverse("api-posts"), {"body": "Fresh", "circle_ids": [world.circle.pk, another.pk]}, format="json"
    )

    detail = client_as(AUTHOR).get(post_url("api-post", response.data["id"]))
    assert response.json() == detail.json()
    assert response.data["comment_count"] == 0
    assert response.data["reactions"] == {}
    assert response.data["my_reactions"] == []


def assert_third_request_is_throttled(client, url, payload):
    statuses = [client.post(url, payload, format="json").status_code for _ in range(3)]
    response = client.post(url, payload, format="json")

    assert statuses == [201, 201, 429]
    assert int(response["Retry-After"]) > 0


def test_posting_is_throttled_per_person_with_429_and_retry_after(client_as, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post_create_user": "2/h"}

    assert_third_request_is_throttled(
        client_as("member"), reverse("api-posts"), {"body": "hi", "circle_ids": [world.circle.pk]}
    )
    assert Post.objects.filter(author=world.member, body="hi").count() == 2


def test_commenting_is_throttled_per_person_with_429_and_retry_after(client_as, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment_create_user": "2/h"}
    post = services.post_create(author=world.owner, body="base", circle_ids=[world.circle.pk])

    assert_third_request_is_throttled(
        client_as("member"), reverse("api-post-comments", kwargs={"post_pk": post.pk}), {"body": "hi"}
    )
    assert post.comments.count() == 2
