"""Moderation by a circle's admins and owner, in the API: who may do what, what it does, and bad input."""

import pytest
from django.urls import reverse

from circleshare.api.serializers import INVALID_ID, UNKNOWN_FIELD
from moderation import services
from moderation.models import Ban, ModerationAction, Report
from tests.factories import BanFactory, CommentFactory, MembershipFactory, ReportFactory, UserFactory
from timeline import services as timeline
from timeline.models import Comment, Membership, Post

pytestmark = pytest.mark.django_db

EVERYONE = ["owner", "admin", "member", "removed", "outsider", "staff", "anonymous"]
MANAGERS = ["owner", "admin"]
Action = ModerationAction.Action


def expected(kind, ok):
    """Managers succeed; a plain member is refused; everyone else finds nothing."""
    if kind == "anonymous":
        return 401
    if kind in MANAGERS:
        return ok
    return 403 if kind == "member" else 404


@pytest.fixture
def target(world):
    """A second plain member, whom the circle's admins act on."""
    return MembershipFactory(circle=world.circle, user=UserFactory(name="Tess Target")).user


@pytest.fixture
def friends(world, target):
    """Another circle of the target's, which the Family's admins do not run."""
    circle = timeline.circle_create(creator=target, name="Friends")
    MembershipFactory(circle=circle, user=world.member)
    return circle


@pytest.fixture
def post(world, target, friends):
    return timeline.post_create(author=target, body="Buy cheap watches", circle_ids=[world.circle.pk, friends.pk])


@pytest.fixture
def comment(world, post):
    return CommentFactory(post=post, author=world.member, body="Spam spam spam")


@pytest.fixture
def report(world, post):
    return ReportFactory(post=post, reporter=world.member)


def url(name, world, *args):
    return reverse(name, args=[world.circle.pk, *args])


# --- the permission matrix, endpoint by endpoint ---------------------------------


@pytest.mark.parametrize("kind", EVERYONE)
def test_reports_are_listed_to_the_circles_admins_without_the_reporter(client_as, world, report, kind):
    response = client_as(kind).get(url("api-circle-reports", world))

    assert response.status_code == expected(kind, 200)
    if response.status_code == 200:
        [item] = response.data["results"]
        assert item["id"] == str(report.pk)
        assert item["post"] == str(report.post_id)
        assert item["body"] == "Buy cheap watches"
        assert item["author"]["name"] == "Tess Target"
        assert "reporter" not in item


@pytest.mark.parametrize("kind", EVERYONE)
def test_reports_are_dismissed_by_the_circles_admins(client_as, world, report, kind):
    response = client_as(kind).post(url("api-circle-report-dismiss", world, report.pk), {}, format="json")

    assert response.status_code == expected(kind, 204)
    report.refresh_from_db()
    assert report.is_open == (response.status_code != 204)
    if response.status_code == 204:
        entry = ModerationAction.objects.get()
        assert (entry.action, entry.circle, entry.actor) == (Action.DISMISS, world.circle, world.person(kind))


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_post_is_removed_from_the_circle_by_its_admins_only(client_as, world, post, friends, kind):
    response = client_as(kind).delete(url("api-circle-post", world, post.pk))

    assert response.status_code == expected(kind, 204)
    in_family = post.audience.filter(circle=world.circle).exists()
    assert in_family == (response.status_code != 204)
    assert post.audience.filter(circle=friends).exists()


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_comment_is_deleted_by_the_circles_admins(client_as, world, comment, kind):
    response = client_as(kind).delete(url("api-circle-comment", world, comment.pk))

    # The member wrote it, but this is the admins' path: they delete their own comment elsewhere.
    assert response.status_code == expected(kind, 204)
    assert Comment.objects.filter(pk=comment.pk).exists() == (response.status_code != 204)


@pytest.mark.parametrize("kind", EVERYONE)
def test_bans_are_listed_to_the_circles_admins(client_as, world, kind):
    BanFactory(circle=world.circle, user=world.removed, banned_by=world.owner)

    response = client_as(kind).get(url("api-circle-bans", world))

    assert response.status_code == expected(kind, 200)
    if response.status_code == 200:
        [ban] = response.data["results"]
        assert ban["user"]["id"] == str(world.removed.pk)
        assert ban["banned_by"]["id"] == str(world.owner.pk)
        assert ban["reason"] == "Kept posting spam"


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_member_is_banned_by_the_circles_admins(client_as, world, target, kind):
    payload = {"user": str(target.pk), "reason": "Spam"}
    response = client_as(kind).post(url("api-circle-bans", world), payload, format="json")

    assert response.status_code == expected(kind, 201)
    banned = response.status_code == 201
    assert Ban.objects.filter(circle=world.circle, user=target).exists() == banned
    assert Membership.objects.filter(circle=world.circle, user=target).exists() != banned
    if banned:
        assert response.data["user"]["id"] == str(target.pk)
        assert response.data["reason"] == "Spam"


@pytest.mark.parametrize("kind", EVERYONE)
def test_a_ban_is_lifted_by_the_circles_admins(client_as, world, target, kind):
    services.member_ban(actor=world.owner, circle=world.circle, user=target)

    response = client_as(kind).delete(url("api-circle-ban", world, target.pk))

    assert response.status_code == expected(kind, 204)
    assert Ban.objects.filter(user=target).exists() == (response.status_code != 204)


@pytest.mark.parametrize("kind", EVERYONE)
def test_removing_a_member_is_recorded_but_leaving_is_not(client_as, world, target, kind):
    response = client_as(kind).delete(url("api-circle-member", world, target.pk))

    assert response.status_code == expected(kind, 204)
    entries = ModerationAction.objects.filter(action=Action.REMOVE_MEMBER, circle=world.circle, target_id=target.pk)
    assert entries.exists() == (response.status_code == 204)

    client_as("member").delete(url("api-circle-member", world, world.member.pk))
    assert not ModerationAction.objects.filter(target_id=world.member.pk).exists()


# --- who may ban whom ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "victim", "status", "message"),
    [
        ("admin", "owner", 403, timeline.OWNER_STAYS),
        ("admin", "admin2", 403, timeline.OWNER_ONLY),
        ("owner", "admin", 201, None),
        ("admin", "member", 201, None),
        ("owner", "owner", 400, services.CANNOT_BAN_SELF),
        ("admin", "admin", 400, services.CANNOT_BAN_SELF),
    ],
)
def test_who_may_ban_whom_mirrors_who_may_remove_whom(client_as, world, actor, victim, status, message):
    admin2 = MembershipFactory(circle=world.circle, role=Membership.Role.ADMIN).user
    person = admin2 if victim == "admin2" else world.person(victim)

    response = client_as(actor).post(url("api-circle-bans", world), {"user": str(person.pk)}, format="json")

    assert response.status_code == status
    if status == 403:
        assert response.data == {"detail": message}
    if status == 400:
        assert response.data == {"user": [message]}
    assert Ban.objects.filter(user=person).exists() == (status == 201)


def test_banning_twice_answers_the_first_ban(client_as, world, target):
    client = client_as("admin")
    first = client.post(url("api-circle-bans", world), {"user": str(target.pk), "reason": "One"}, format="json")

    again = client.post(url("api-circle-bans", world), {"user": str(target.pk), "reason": "Two"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data["reason"] == "One"
    assert ModerationAction.objects.filter(action=Action.BAN_MEMBER).count() == 1


def test_a_former_member_can_be_banned_if_the_admin_still_sees_them(client_as, world, target, friends):
    """The target left Family but shares Friends with the member... and with nobody else: so only by who sees them."""
    timeline.membership_remove(circle=world.circle, actor=target, user=target)
    MembershipFactory(circle=friends, user=world.admin)

    response = client_as("admin").post(url("api-circle-bans", world), {"user": str(target.pk)}, format="json")

    assert response.status_code == 201


def test_nobody_can_be_banned_whom_the_admin_cannot_see(client_as, world):
    response = client_as("admin").post(url("api-circle-bans", world), {"user": str(world.outsider.pk)}, format="json")

    assert response.status_code == 404
    assert not Ban.objects.exists()


# --- what the actions do -----------------------------------------------------------


def test_a_post_removed_from_the_circle_stays_for_its_author_and_its_other_circles(client_as, world, post, friends):
    client_as("admin").delete(url("api-circle-post", world, post.pk))

    assert client_as("owner").get(reverse("api-post", args=[post.pk])).status_code == 404
    for kind in ("member",):  # in Friends too
        response = client_as(kind).get(reverse("api-post", args=[post.pk]))
        assert response.status_code == 200
        assert response.data["circles"] == [{"id": str(friends.pk), "name": "Friends"}]
    owner_timeline = client_as("owner").get(reverse("api-circle-posts", args=[world.circle.pk]))
    assert owner_timeline.data["results"] == []
    assert Post.objects.filter(pk=post.pk).exists()


def test_removing_a_post_from_its_last_circle_leaves_it_a_journal_entry_and_resolves_its_reports(client_as, world):
    post = timeline.post_create(author=world.member, body="Only here", circle_ids=[world.circle.pk])
    report = ReportFactory(post=post, reporter=world.admin)

    client_as("owner").delete(url("api-circle-post", world, post.pk))

    report.refresh_from_db()
    assert report.state == Report.State.ACTIONED
    assert client_as("member").get(reverse("api-post", args=[post.pk])).data["circles"] == []
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.circle, entry.target_id) == (Action.REMOVE_FROM_CIRCLE, world.circle, post.pk)


def test_reports_stay_open_while_another_circle_still_sees_the_post(client_as, world, post, report):
    client_as("owner").delete(url("api-circle-post", world, post.pk))

    report.refresh_from_db()
    assert report.is_open


def test_deleting_a_post_as_a_circle_admin_removes_it_from_their_circles_only(client_as, world, post, friends):
    response = client_as("admin").delete(reverse("api-post", args=[post.pk]))

    assert response.status_code == 204
    assert list(post.circles.all()) == [friends]
    assert ModerationAction.objects.get().action == Action.REMOVE_FROM_CIRCLE


def test_deleting_a_comment_as_a_circle_admin_is_recorded_with_the_circle(client_as, world, comment):
    response = client_as("admin").delete(reverse("api-comment", args=[comment.pk]))

    assert response.status_code == 204
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.circle, entry.target_snapshot) == (
        Action.DELETE_COMMENT,
        world.circle,
        "Spam spam spam",
    )


def test_admins_leave_reports_of_their_own_content_to_staff(client_as, world):
    post = timeline.post_create(author=world.admin, body="Mine", circle_ids=[world.circle.pk])
    report = ReportFactory(post=post, reporter=world.member)

    response = client_as("admin").post(url("api-circle-report-dismiss", world, report.pk), {}, format="json")

    assert response.status_code == 403
    assert response.data == {"detail": services.OWN_CONTENT_REPORTS}
    assert client_as("owner").post(url("api-circle-report-dismiss", world, report.pk)).status_code == 204


def test_reports_of_other_circles_are_not_listed(client_as, world, friends):
    elsewhere = timeline.post_create(author=world.member, body="Elsewhere", circle_ids=[friends.pk])
    report = ReportFactory(post=elsewhere)
    comment_report = ReportFactory(comment=CommentFactory(post=elsewhere))

    response = client_as("owner").get(url("api-circle-reports", world))

    assert response.data["results"] == []
    for other in (report, comment_report):
        dismissed = client_as("owner").post(url("api-circle-report-dismiss", world, other.pk))
        assert dismissed.status_code == 404


def test_reports_of_comments_are_listed_with_the_comment(client_as, world, comment):
    ReportFactory(comment=comment, reporter=world.owner)

    [item] = client_as("admin").get(url("api-circle-reports", world)).data["results"]

    assert (item["post"], item["comment"], item["body"]) == (None, str(comment.pk), "Spam spam spam")


# --- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"user": ["This field is required."]}),
        ({"user": "abc"}, {"user": [INVALID_ID]}),
        ({"user": ["1"]}, {"user": [INVALID_ID]}),
        ({"user": "1", "why": "x"}, {"why": [UNKNOWN_FIELD]}),
        ({"user": "1", "reason": "x" * 1001}, {"reason": ["Ensure this field has no more than 1000 characters."]}),
    ],
)
def test_ban_with_bad_input_is_a_clear_400(client_as, world, payload, errors):
    response = client_as("owner").post(url("api-circle-bans", world), payload, format="json")

    assert response.status_code == 400
    assert response.data == errors


@pytest.mark.parametrize(
    "name", ["api-circle-post", "api-circle-comment", "api-circle-ban", "api-circle-report-dismiss"]
)
def test_unknown_ids_answer_404(client_as, world, name):
    method = "post" if name.endswith("dismiss") else "delete"

    response = getattr(client_as("owner"), method)(url(name, world, 999999))

    assert response.status_code == 404


def test_a_post_not_in_this_circle_cannot_be_removed_from_it(client_as, world, friends, target):
    elsewhere = timeline.post_create(author=target, body="Elsewhere", circle_ids=[friends.pk])

    response = client_as("member").delete(url("api-circle-post", world, elsewhere.pk))

    assert response.status_code == 404
