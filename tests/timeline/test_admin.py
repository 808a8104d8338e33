import datetime
import re
from urllib.parse import urljoin

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.urls import reverse

from moderation.models import ModerationAction
from tests.factories import CommentFactory, InvitationFactory, MembershipFactory, PostFactory, UserFactory
from tests.images import image_upload
from tests.plans import explain
from timeline import services
from timeline.models import Comment, Membership, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def test_circle_admin_searches_by_name_and_shows_member_counts(admin_client, world):
    response = admin_client.get(reverse("admin:timeline_circle_changelist"), {"q": "fam"})

    assert [c.name for c in response.context["cl"].result_list] == ["Family"]
    assert response.context["cl"].result_list[0].member_count == 3


def test_circle_admin_page_lists_members_and_invitations(admin_client, world):
    InvitationFactory(circle=world.circle, created_by=world.owner, email="grandpa@example.com")

    response = admin_client.get(reverse("admin:timeline_circle_change", args=[world.circle.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert world.member.name in content or str(world.member.pk) in content
    assert "grandpa@example.com" in content


def test_membership_admin_filters_by_role(admin_client, world):
    response = admin_client.get(reverse("admin:timeline_membership_changelist"), {"role__exact": "admin"})

    assert [m.user for m in response.context["cl"].result_list] == [world.admin]


def test_role_is_editable_inline_in_the_circle_admin(admin_client, world):
    url = reverse("admin:timeline_circle_change", args=[world.circle.pk])
    memberships = list(world.circle.memberships.order_by("joined_at", "pk"))
    data = {"name": "Family", "description": "", "created_at": ""}
    data.update(
        {
            "memberships-TOTAL_FORMS": str(len(memberships)),
            "memberships-INITIAL_FORMS": str(len(memberships)),
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
            "invitations-MIN_NUM_FORMS": "0",
            "invitations-MAX_NUM_FORMS": "1000",
        }
    )
    for index, membership in enumerate(memberships):
        role = "admin" if membership.user == world.member else membership.role
        data.update(
            {
                f"memberships-{index}-id": str(membership.pk),
                f"memberships-{index}-circle": str(world.circle.pk),
                f"memberships-{index}-user": str(membership.user_id),
                f"memberships-{index}-role": role,
            }
        )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.get(circle=world.circle, user=world.member).role == "admin"


def test_admin_refuses_a_second_owner_with_a_message_not_an_error(admin_client, world):
    MembershipFactory(circle=world.circle)
    url = reverse("admin:timeline_membership_add")

    response = admin_client.post(url, {"circle": world.circle.pk, "user": world.outsider.pk, "role": "owner"})

    assert response.status_code == 200
    assert not Membership.objects.filter(circle=world.circle, user=world.outsider).exists()


def test_staff_see_photos_in_the_admin_that_the_rule_hides_from_them_elsewhere(admin_client, world):
    post = services.post_create(author=world.member, images=[image_upload()], circle_ids=[world.circle.pk])
    image = post.images.get()
    admin_url = reverse("admin:timeline_post_image", args=[image.pk])

    assert admin_client.get(reverse("admin:timeline_post_change", args=[post.pk])).status_code == 200
    assert admin_client.get(admin_url)["Content-Type"] == "image/jpeg"
    assert admin_client.get(image.get_thumbnail_url()).status_code == 404


def test_the_admin_photo_view_is_closed_to_people_who_are_not_staff(client, world):
    post = services.post_create(author=world.member, images=[image_upload()], circle_ids=[world.circle.pk])
    client.force_login(world.member)

    response = client.get(reverse("admin:timeline_post_image", args=[post.images.get().pk]))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


LARGE_LISTS = ["admin:timeline_post_changelist", "admin:timeline_comment_changelist", "admin:accounts_user_changelist"]


@pytest.mark.parametrize("url_name", LARGE_LISTS)
@pytest.mark.parametrize("rows", [1, 30])
def test_large_admin_lists_cost_the_same_queries_whatever_their_length(
    admin_client, world, url_name, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        CommentFactory(post=PostFactory(author=world.member, circles=[world.circle]), author=UserFactory())

    # Session, staff person, the capped count, the page (with its authors).
    with django_assert_max_num_queries(4):
        response = admin_client.get(reverse(url_name))

    assert response.status_code == 200


def test_large_admin_lists_never_count_for_each_filter_choice(admin_client, world, django_assert_max_num_queries):
    PostFactory(author=world.member)

    with django_assert_max_num_queries(4):
        response = admin_client.get(reverse("admin:timeline_post_changelist"), {"_facets": "True"})

    assert "Show counts" not in response.content.decode()


def test_large_admin_lists_stop_counting_at_the_limit(admin_client, world, monkeypatch):
    monkeypatch.setattr("circleshare.admin.COUNT_LIMIT", 3)
    for _ in range(5):
        PostFactory(author=world.member)

    response = admin_client.get(reverse("admin:timeline_post_changelist"))

    assert "more than 3 posts" in response.content.decode()
    assert response.context["cl"].result_count == 4  # counted up to the limit and one more


def test_a_list_counted_only_up_to_the_limit_offers_no_select_all(admin_client, world, monkeypatch):
    PostFactory.create_batch(25, author=world.member)  # more than a page
    url = reverse("admin:timeline_post_changelist")
    monkeypatch.setattr("circleshare.admin.COUNT_LIMIT", 100)
    counted = admin_client.get(url).content.decode()
    monkeypatch.setattr("circleshare.admin.COUNT_LIMIT", 3)

    capped = admin_client.get(url).content.decode()

    assert "Select all 25 posts" in counted
    assert "question hidden" in counted
    assert "Select all" not in capped.replace("Select all objects on this page", "")
    assert "question hidden" not in capped
    assert 'class="action-counter"' in capped


def hidden_posts(world, count):
    posts = PostFactory.create_batch(count, author=world.member)
    for post in posts:
        post.set_moderation_state(Post.Moderation.HIDDEN, "Spam")
    return posts


def unhide_all_rows(client, one_of_them):
    """Unhide with "select all": the action on every row the list holds, not only the ticked one."""
    data = {"action": "unhide_selected", "select_across": "1", "index": "0", ACTION_CHECKBOX_NAME: [one_of_them.pk]}
    return client.post(reverse("admin:timeline_post_changelist"), data, follow=True)


def test_acting_on_all_rows_past_the_limit_is_refused_and_changes_nothing(admin_client, world, monkeypatch):
    monkeypatch.setattr("circleshare.admin.COUNT_LIMIT", 3)
    posts = hidden_posts(world, 5)

    response = unhide_all_rows(admin_client, posts[0])

    assert "narrow the list to at most 3 rows" in response.content.decode()
    assert Post.objects.filter(moderation_state=Post.Moderation.HIDDEN).count() == 5
    assert not ModerationAction.objects.exists()


def test_acting_on_all_rows_within_the_limit_still_works(admin_client, world, monkeypatch):
    monkeypatch.setattr("circleshare.admin.COUNT_LIMIT", 3)
    posts = hidden_posts(world, 2)

    unhide_all_rows(admin_client, posts[0])

    assert not Post.objects.filter(moderation_state=Post.Moderation.HIDDEN).exists()


def links(response, page_url) -> set[str]:
    """Where the page's links lead, relative ones resolved against the page's address."""
    return {urljoin(page_url, href) for href in re.findall(r'href="([^"]*)"', response.content.decode())}


def test_comment_admin_links_each_comment_to_its_page_and_to_its_post(admin_client, world):
    comment = CommentFactory(post=PostFactory(author=world.member), author=world.owner)
    url = reverse("admin:timeline_comment_changelist")

    response = admin_client.get(url)

    assert reverse("admin:timeline_comment_change", args=[comment.pk]) in links(response, url)
    assert reverse("admin:timeline_post_change", args=[comment.post_id]) in links(response, url)


def test_post_admin_links_each_post_to_its_page(admin_client, world):
    post = PostFactory(author=world.member)
    url = reverse("admin:timeline_post_changelist")

    response = admin_client.get(url, {"q": "post"})

    change = reverse("admin:timeline_post_change", args=[post.pk])
    assert any(link.startswith(f"{change}?_changelist_filters=") for link in links(response, url))


def test_post_admin_offers_its_actions(admin_client, world):
    PostFactory(author=world.member)

    content = admin_client.get(reverse("admin:timeline_post_changelist")).content.decode()

    assert '<option value="hide_selected">Hide selected posts…</option>' in content
    assert '<input type="hidden" name="select_across" value="0" class="select-across">' in content


def at(day, hour, minute=0):
    return datetime.datetime(2026, 3, day, hour, minute, tzinfo=datetime.UTC)


def test_post_admin_shows_when_each_post_was_created_in_local_time_and_sorts_by_it(admin_client, world, settings):
    settings.TIME_ZONE = "Europe/Paris"
    late = PostFactory(author=world.member, created_at=at(1, 23, 30))
    early = PostFactory(author=world.member, created_at=at(1, 8))
    url = reverse("admin:timeline_post_changelist")

    newest_first = admin_client.get(url)
    oldest_first = admin_client.get(url, {"o": "4"})

    assert list(newest_first.context["cl"].result_list) == [late, early]
    assert list(oldest_first.context["cl"].result_list) == [early, late]
    assert "2026-03-02 00:30" in newest_first.content.decode()


@pytest.mark.parametrize("url_name", ["admin:timeline_post_changelist", "admin:timeline_comment_changelist"])
def test_a_date_in_the_search_keeps_that_days_posts_or_comments(admin_client, world, settings, url_name):
    settings.TIME_ZONE = "Europe/Paris"
    post = PostFactory(author=world.member, body="Rant of the evening", created_at=at(1, 23, 30))
    other = PostFactory(author=world.member, body="Rant of the morning", created_at=at(1, 8))
    CommentFactory(post=post, author=world.owner, body="Rant of the evening", created_at=at(1, 23, 30))
    CommentFactory(post=other, author=world.owner, body="Rant of the morning", created_at=at(1, 8))
    url = reverse(url_name)

    def found(q):
        return [row.body for row in admin_client.get(url, {"q": q}).context["cl"].result_list]

    assert found("2026-03-02") == ["Rant of the evening"]  # 00:30 in Paris
    assert found("2026-03-01 rant") == ["Rant of the morning"]
    assert found("2026-03-01 evening") == []


def test_a_search_for_something_that_is_not_a_day_finds_it_in_the_text(admin_client, world):
    post = PostFactory(author=world.member, body="The invoice dated 2026-02-31 is fake")

    response = admin_client.get(reverse("admin:timeline_post_changelist"), {"q": "2026-02-31"})

    assert list(response.context["cl"].result_list) == [post]


@pytest.mark.parametrize(
    ("url_name", "index"),
    [("admin:timeline_post_changelist", "post_hidden"), ("admin:timeline_comment_changelist", "comment_hidden")],
)
def test_admin_filter_of_hidden_content_reads_its_partial_index(admin_client, world, url_name, index):
    # Hidden content is rare: without its own index, the filter read every post or comment (0.4-0.8 s at 1M).
    posts = Post.objects.bulk_create(Post(author=world.member, body=f"Post {n}") for n in range(300))
    Comment.objects.bulk_create(Comment(post=posts[0], author=world.member, body=f"Comment {n}") for n in range(300))
    hidden = CommentFactory(post=posts[1], author=world.member, moderation_state=Post.Moderation.HIDDEN)
    Post.objects.filter(pk=posts[2].pk).update(moderation_state=Post.Moderation.HIDDEN)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE timeline_post")
            cursor.execute("ANALYZE timeline_comment")
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        response = admin_client.get(reverse(url_name), {"moderation_state__exact": "hidden"})

    shown = response.context["cl"].result_list
    assert [row.pk for row in shown] == [hidden.pk if "comment" in url_name else posts[2].pk]
    table = "timeline_comment" if "comment" in url_name else "timeline_post"
    [(sql, params)] = [(sql, params) for sql, params in captured if "LIMIT" in sql and f'FROM "{table}"' in sql][-1:]
    plan = explain(sql, params)
    assert index in plan, plan
