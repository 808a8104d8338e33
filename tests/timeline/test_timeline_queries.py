"""The cost of the lists: a constant number of queries per page, keyset pages at any depth, and the index they use."""

import base64
import json
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Block, Mute, User
from circleshare.api.pagination import INVALID_CURSOR
from tests.plans import explain
from timeline import services
from timeline.models import Circle, Comment, Emoji, Membership, Post, PostAudience, PostImage, Reaction

pytestmark = pytest.mark.django_db

# Measured on SQLite and PostgreSQL (force-authenticated clients, so no query for the login):
#   timeline/           3: my circles, the merged ids, the posts (+ authors and cards: circles, photos, counts)
#   circles/{id}/posts/ 3: the circle, the ids, the posts (+ cards)
#   users/{id}/posts/   2: the person, the posts (+ cards)
#   users/              1: the people
#   posts/{id}/comments/ 2: the post, the comments (+ authors)
MAX_QUERIES = {
    "timeline": 3,
    "circle posts": 3,
    "user posts": 2,
    "users": 1,
    "comments": 2,
}
PAGE_SIZES = [1, 20, 100]
EMOJI = Emoji.values


@dataclass
class Crowd:
    """A viewer in three busy circles, with more than a hundred of everything a list can show."""

    viewer: User
    circles: list[Circle]
    author: User  # wrote more than a hundred of the posts
    busy_post: Post  # has more than a hundred comments


def bulk_user(n) -> User:
    return User(email=f"crowd{n}@example.com", name=f"Person {n:03}", password="!")


@pytest.fixture
def crowd(db):
    """250 posts by 5 authors in 3 circles (some in two), each with photos, comments and reactions of several people."""
    people = User.objects.bulk_create([bulk_user(n) for n in range(120)])
    viewer, authors = people[0], people[1:6]
    circles = Circle.objects.bulk_create([Circle(name=name) for name in ("Family", "Friends", "Work")])
    Membership.objects.bulk_create(
        [Membership(circle=circle, user=viewer, role="owner") for circle in circles]
        + [Membership(circle=circle, user=author) for author in authors for circle in circles]
        + [
            Membership(circle=circle, user=person)
            for n, person in enumerate(people[6:])
            for circle in circles[: 1 + n % 3]
        ]
    )
    now = timezone.now()
    posts = Post.objects.bulk_create(
        Post(
            author=authors[0] if n % 2 == 0 else authors[1 + n % 4],
            body=f"Post {n}",
            created_at=now - timedelta(minutes=n),
        )
        for n in range(250)
    )
    audience = []
    for n, post in enumerate(posts):
        shared = [circles[0]] + ([circles[1]] if n % 3 == 0 else []) + ([circles[2]] if n % 5 == 0 else [])
        audience += [
            PostAudience(post=post, circle=circle, created_at=post.created_at, author=post.author) for circle in shared
        ]
    PostAudience.objects.bulk_create(audience)
    PostImage.objects.bulk_create(
        PostImage(
            post=post,
            order=order,
            alt=f"Photo {order}",
            width=640,
            height=480,
            original=f"posts/{post.pk}/o{order}.jpg",
            thumbnail=f"posts/{post.pk}/t{order}.jpg",
        )
        for n, post in enumerate(posts)
        for order in range(1 + n % 2)
    )
    Comment.objects.bulk_create(
        Comment(post=post, author=people[6 + (n + k) % 20], body=f"Comment {k}", created_at=post.created_at)
        for n, post in enumerate(posts)
        for k in range(2)
    )
    busy_post = posts[0]
    Comment.objects.bulk_create(
        Comment(post=busy_post, author=people[6 + k % 30], body=f"Reply {k}", created_at=now + timedelta(seconds=k))
        for k in range(120)
    )
    Reaction.objects.bulk_create(
        Reaction(post=post, user=people[(n + k) % 10], emoji=EMOJI[(n + k) % len(EMOJI)])
        for n, post in enumerate(posts)
        for k in range(3)
    )
    return Crowd(viewer=viewer, circles=circles, author=authors[0], busy_post=busy_post)


def list_url(crowd, endpoint):
    return {
        "timeline": lambda: reverse("api-timeline"),
        "circle posts": lambda: reverse("api-circle-posts", args=[crowd.circles[0].pk]),
        "user posts": lambda: reverse("api-user-posts", args=[crowd.author.pk]),
        "users": lambda: reverse("api-users"),
        "comments": lambda: reverse("api-post-comments", args=[crowd.busy_post.pk]),
    }[endpoint]()


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize("page_size", PAGE_SIZES)
@pytest.mark.parametrize("endpoint", MAX_QUERIES)
def test_list_query_count_is_the_same_for_every_page_size(crowd, django_assert_max_num_queries, endpoint, page_size):
    client = client_of(crowd.viewer)

    with django_assert_max_num_queries(MAX_QUERIES[endpoint]):
        response = client.get(list_url(crowd, endpoint), {"page_size": page_size})

    assert response.status_code == 200
    assert len(response.data["results"]) == page_size
    assert response.data["next"] is not None


@pytest.mark.parametrize("endpoint", MAX_QUERIES)
def test_list_query_count_is_the_same_deep_in_the_list(crowd, endpoint):
    client = client_of(crowd.viewer)
    first = client.get(list_url(crowd, endpoint), {"page_size": 20})

    with CaptureQueriesContext(connection) as on_first:
        client.get(list_url(crowd, endpoint), {"page_size": 20})
    with CaptureQueriesContext(connection) as deep:
        response = client.get(first.data["next"])
        for _ in range(3):
            response = client.get(response.data["next"])

    assert len(deep) == 4 * len(on_first)


@pytest.mark.parametrize("endpoint", ["timeline", "circle posts"])
def test_muting_and_blocking_cost_no_extra_query_and_pages_stay_full(crowd, django_assert_max_num_queries, endpoint):
    # The home timeline reads whom to leave out with its circles; a circle's, inside its one branch.
    others = list(User.objects.filter(posts__isnull=False).exclude(pk=crowd.author.pk).distinct()[:2])
    Mute.objects.create(user=crowd.viewer, muted=others[0])
    Block.objects.create(user=others[1], blocked=crowd.viewer)

    with django_assert_max_num_queries(MAX_QUERIES[endpoint]):
        response = client_of(crowd.viewer).get(list_url(crowd, endpoint), {"page_size": 50})

    assert len(response.data["results"]) == 50
    authors = {item["author"]["id"] for item in response.data["results"]}
    assert not authors & {str(others[0].pk), str(others[1].pk)}


def test_timeline_query_count_does_not_grow_with_the_number_of_my_circles(crowd, django_assert_max_num_queries):
    # Each circle is one branch of one UNION query, not one query per circle.
    for n in range(30):
        circle = services.circle_create(creator=crowd.viewer, name=f"Extra {n}")
        services.post_create(author=crowd.viewer, body=f"In extra {n}", circle_ids=[circle.pk])

    with django_assert_max_num_queries(MAX_QUERIES["timeline"]):
        response = client_of(crowd.viewer).get(reverse("api-timeline"), {"page_size": 100})

    assert len(response.data["results"]) == 100


# --- keyset pages ---------------------------------------------------------------


def walk(client, url, direction="next"):
    """Every page from `url` on, following `direction` links: a list of pages of ids."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200
        pages.append([item["id"] for item in response.data["results"]])
        url = response.data[direction]
    return pages, response


@pytest.fixture(params=[10, 50], ids=["in groups of 10", "all at once"])
def tied_posts(world, request):
    """50 posts the member may see, from every branch of the timeline, in groups sharing one `created_at`."""
    friends = services.circle_create(creator=world.owner, name="Friends")
    Membership.objects.create(circle=friends, user=world.member)
    moment = timezone.now().replace(microsecond=123456)
    audiences = [[world.circle], [friends], [world.circle, friends], []]
    authors = [world.owner, world.admin, world.member]
    posts = Post.objects.bulk_create(
        Post(author=authors[n % 3], body=f"Tied {n}", created_at=moment - timedelta(seconds=n // request.param))
        for n in range(50)
    )
    PostAudience.objects.bulk_create(
        PostAudience(post=post, circle=circle, created_at=post.created_at, author=post.author)
        for n, post in enumerate(posts)
        # Others' posts always reach the member through a circle; the member's own may be journal entries.
        for circle in (audiences[n % 4] if post.author == world.member or audiences[n % 4] else [world.circle])
    )
    return sorted(posts, key=lambda post: (post.created_at, post.pk), reverse=True)


def test_timeline_pages_visit_every_post_once_in_order_despite_equal_timestamps(client_as, world, tied_posts):
    pages, last = walk(client_as("member"), reverse("api-timeline") + "?page_size=7")

    assert [len(page) for page in pages] == [7] * 7 + [1]
    assert [post_id for page in pages for post_id in page] == [str(post.pk) for post in tied_posts]
    assert last.data["next"] is None


def test_timeline_previous_links_walk_back_over_the_same_pages(client_as, world, tied_posts):
    client = client_as("member")
    forward, last = walk(client, reverse("api-timeline") + "?page_size=7")

    backward, first = walk(client, last.data["previous"], direction="previous")

    assert backward == forward[-2::-1]
    assert first.data["previous"] is None
    assert client.get(reverse("api-timeline") + "?page_size=7").data["previous"] is None


def test_timeline_next_link_of_a_page_reached_backwards_goes_forward_again(client_as, world, tied_posts):
    client = client_as("member")
    forward, last = walk(client, reverse("api-timeline") + "?page_size=7")
    back_one = client.get(client.get(last.data["previous"]).data["previous"])  # the sixth page

    again = client.get(back_one.data["next"])

    assert [item["id"] for item in back_one.data["results"]] == forward[5]
    assert [item["id"] for item in again.data["results"]] == forward[6]


@pytest.mark.parametrize("name", ["api-circle-posts", "api-user-posts"])
def test_other_post_lists_page_through_equal_timestamps_without_gaps(client_as, world, tied_posts, name):
    arg = world.circle.pk if name == "api-circle-posts" else world.owner.pk
    expected = [
        str(post.pk)
        for post in tied_posts
        if (name == "api-circle-posts" and post.audience.filter(circle=world.circle).exists())
        or (name == "api-user-posts" and post.author == world.owner)
    ]

    pages, _ = walk(client_as("member"), reverse(name, args=[arg]) + "?page_size=7")

    assert [post_id for page in pages for post_id in page] == expected


def test_comments_page_oldest_first_through_equal_timestamps(client_as, world):
    post = services.post_create(author=world.owner, body="Talk", circle_ids=[world.circle.pk])
    moment = timezone.now()
    comments = Comment.objects.bulk_create(
        Comment(post=post, author=world.admin, body=f"{n}", created_at=moment + timedelta(seconds=n // 5))
        for n in range(23)
    )

    pages, _ = walk(client_as("member"), reverse("api-post-comments", args=[post.pk]) + "?page_size=4")

    assert [comment_id for page in pages for comment_id in page] == [
        str(c.pk) for c in sorted(comments, key=lambda c: (c.created_at, c.pk))
    ]


def cursor_of(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


# Links are made by the server, but a client can send anything as a cursor.
UNREADABLE_CURSORS = {
    "not base64": "garbage!",
    "not a position": cursor_of({"p": 1}),
    "no position": cursor_of([1, 2]),
    "too short": cursor_of({"p": ["2024-01-01T00:00:00+00:00"]}),
}
FORGED_CURSORS = {
    "words": cursor_of({"p": ["x", "y"]}),
    "a word for the id": cursor_of({"p": ["2024-01-01T00:00:00+00:00", "y"]}),
    "an impossible date": cursor_of({"p": ["2024-13-45T00:00:00", 1]}),
    "numbers": cursor_of({"p": [1, 1]}),
    "nulls": cursor_of({"p": [None, None]}),
    "a list for the date": cursor_of({"p": [[1], 1]}),
    "an id beyond 64 bits": cursor_of({"p": ["2024-01-01T00:00:00+00:00", 2**70]}),
}


@pytest.mark.parametrize("endpoint", MAX_QUERIES)
def test_list_with_a_forged_cursor_is_never_a_500(client_as, world, endpoint):
    post = services.post_create(author=world.member, body="Hi", circle_ids=[world.circle.pk])
    Comment.objects.create(post=post, author=world.owner, body="Hello")
    url = {
        "timeline": reverse("api-timeline"),
        "circle posts": reverse("api-circle-posts", args=[world.circle.pk]),
        "user posts": reverse("api-user-posts", args=[world.member.pk]),
        "users": reverse("api-users"),
        "comments": reverse("api-post-comments", args=[post.pk]),
    }[endpoint]
    client = client_as("member")
    client.raise_request_exception = False

    unreadable = {case: client.get(url, {"cursor": cursor}) for case, cursor in UNREADABLE_CURSORS.items()}
    forged = {case: client.get(url, {"cursor": cursor}).status_code for case, cursor in FORGED_CURSORS.items()}

    assert {case: response.status_code for case, response in unreadable.items()} == dict.fromkeys(unreadable, 404)
    assert all(response.json() == {"detail": INVALID_CURSOR} for response in unreadable.values())
    server_errors = sorted(case for case, status in forged.items() if status >= 500)
    assert not server_errors, f"500 for the cursors: {', '.join(server_errors)}"


# --- depth --------------------------------------------------------------------


DEEP = 2000


@pytest.fixture
def deep_circle(world):
    """2,000 posts in the family circle (newest first: posts[0]), and 600 elsewhere to skip over."""
    now = timezone.now()
    elsewhere = [services.circle_create(creator=world.owner, name=f"Other {n}") for n in range(3)]
    posts = Post.objects.bulk_create(
        Post(author=world.owner if n % 2 else world.admin, body=f"Deep {n}", created_at=now - timedelta(seconds=n))
        for n in range(DEEP + 600)
    )
    PostAudience.objects.bulk_create(
        PostAudience(
            post=post,
            circle=world.circle if n < DEEP else elsewhere[n % 3],
            created_at=post.created_at,
            author=post.author,
        )
        for n, post in enumerate(posts)
    )
    return posts[:DEEP]


def test_timeline_fifteen_pages_deep_is_right_and_costs_what_the_first_page_costs(client_as, world, deep_circle):
    client = client_as("member")
    url = reverse("api-timeline") + "?page_size=100"
    with CaptureQueriesContext(connection) as first_page:
        response = client.get(url)

    for _ in range(14):
        response = client.get(response.data["next"])
    with CaptureQueriesContext(connection) as fifteenth_page:
        response = client.get(response.data["next"])

    assert [item["id"] for item in response.data["results"]] == [str(p.pk) for p in deep_circle[1500:1600]]
    assert len(fifteenth_page) == len(first_page) == MAX_QUERIES["timeline"]


def test_circle_timeline_deep_page_is_right(client_as, world, deep_circle):
    client = client_as("member")
    response = client.get(reverse("api-circle-posts", args=[world.circle.pk]), {"page_size": 100})

    for _ in range(14):
        response = client.get(response.data["next"])

    assert [item["id"] for item in response.data["results"]] == [str(p.pk) for p in deep_circle[1400:1500]]


@pytest.fixture
def branch_plan(world, deep_circle):
    """The query plan of one circle's branch of the timeline, halfway down 2,000 posts."""
    if connection.vendor not in ("sqlite", "postgresql"):
        pytest.fail(f"No EXPLAIN check written for {connection.vendor}")
    middle = deep_circle[DEEP // 2]
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        ids = Post.objects.timeline_ids(
            circle_ids=[world.circle.pk], position=[middle.created_at.isoformat(), middle.pk], limit=21
        )
    assert ids == [post.pk for post in deep_circle[DEEP // 2 + 1 : DEEP // 2 + 22]]
    [(sql, params)] = captured
    if connection.vendor == "postgresql":
        # Fresh statistics, so that the planner knows the table is not tiny. With 2,000 rows it
        # picks the index by itself: no need to switch sequential scans off.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_postaudience")
            cursor.execute("ANALYZE timeline_post")
    return explain(sql, params).splitlines()


def index_access(plan) -> str:
    """How the audience index is entered: SQLite's SEARCH line, or PostgreSQL's Index Cond under the index scan."""
    [at] = [n for n, line in enumerate(plan) if "audience_circle_timeline" in line]
    if connection.vendor == "sqlite":
        return plan[at]
    return next(line for line in plan[at + 1 :] if "Index Cond" in line)


def test_circle_branch_of_the_timeline_walks_the_audience_index(branch_plan):
    assert any("audience_circle_timeline" in line for line in branch_plan), "\n".join(branch_plan)


def test_circle_branch_of_the_timeline_seeks_its_position_in_the_index(branch_plan):
    # Constant time per page at any depth needs the keyset bound inside the index search
    # (circle_id = ? AND created_at < ?), not a filter on rows read from the newest one down.
    assert "created_at" in index_access(branch_plan), "\n".join(branch_plan)


def test_circle_branch_leaving_out_muted_and_blocked_people_still_seeks_in_the_index(world, deep_circle):
    Mute.objects.create(user=world.member, muted=world.admin)
    Block.objects.create(user=world.outsider, blocked=world.member)
    middle = deep_circle[DEEP // 2]
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        ids = Post.objects.circle_timeline_ids(
            world.circle, world.member, position=[middle.created_at.isoformat(), middle.pk], limit=21
        )
    assert ids == [post.pk for post in deep_circle[DEEP // 2 + 1 :] if post.author == world.owner][:21]
    [(sql, params)] = captured
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_postaudience")
    plan = explain(sql, params).splitlines()
    assert "created_at" in index_access(plan), "\n".join(plan)


def test_circle_branch_of_the_timeline_never_reads_the_posts_table(world, deep_circle):
    # Author and hidden flag are copied onto the share, so the walk stays inside one index and its rows.
    with CaptureQueriesContext(connection) as queries:
        Post.objects.timeline_ids(circle_ids=[world.circle.pk], limit=21)

    [query] = queries.captured_queries
    assert not re.search(rf"\b{Post._meta.db_table}\b", query["sql"]), query["sql"]
