from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import CircleFactory, InvitationFactory, MembershipFactory
from timeline import services
from timeline.models import Circle, Invitation, Membership

pytestmark = pytest.mark.django_db

IN_CIRCLE = ["owner", "admin", "member"]
NOT_IN_CIRCLE = ["removed", "outsider", "staff"]
MANAGERS = ["owner", "admin"]


def circle_url(world, name="api-circle", **kwargs):
    return reverse(name, kwargs={("pk" if name == "api-circle" else "circle_pk"): world.circle.pk, **kwargs})


def expected(kind, *, allowed, forbidden=(), forbidden_status=403, ok=200):
    """The status each kind of person gets: `ok`, 403 for members without the role, 404 outside, 401 anonymous."""
    if kind == "anonymous":
        return 401
    if kind in allowed:
        return ok
    if kind in forbidden:
        return forbidden_status
    return 404


# --- circles ----------------------------------------------------------------


def test_circle_create_makes_the_creator_owner(client_as, world):
    response = client_as("outsider").post(reverse("api-circles"), {"name": "Book club"}, format="json")

    assert response.status_code == 201
    assert response.data["role"] == "owner"
    assert response.data["member_count"] == 1
    assert Membership.objects.get(circle_id=response.data["id"]).user == world.outsider


@pytest.mark.parametrize("payload", [{}, {"name": ""}, {"name": "  "}, {"name": "x" * 101}, {"name": "A", "x": 1}])
def test_circle_create_refuses_bad_input(client_as, world, payload):
    response = client_as("member").post(reverse("api-circles"), payload, format="json")

    assert response.status_code == 400
    assert Circle.objects.count() == 2


def test_circle_list_shows_only_my_circles_with_my_role_and_all_members_counted(client_as, world):
    response = client_as("admin").get(reverse("api-circles"))

    assert response.status_code == 200
    assert [(c["name"], c["role"], c["member_count"]) for c in response.data["results"]] == [("Family", "admin", 3)]


@pytest.mark.parametrize("kind", ["removed", "staff"])
def test_circle_list_of_people_outside_every_circle_is_empty(client_as, world, kind):
    assert client_as(kind).get(reverse("api-circles")).data["results"] == []


def test_circle_list_anonymous_is_401(client_as, world):
    assert client_as("anonymous").get(reverse("api-circles")).status_code == 401


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_circle_list_query_count_does_not_grow_with_page_size(
    client_as, world, django_assert_max_num_queries, page_size
):
    for _ in range(25):
        MembershipFactory(user=world.member, circle=CircleFactory())
    with django_assert_max_num_queries(3):
        response = client_as("member").get(reverse("api-circles"), {"page_size": page_size})
    assert len(response.data["results"]) == min(page_size, 26)


def test_circle_list_pages_follow_each_other_without_gaps(client_as, world):
    for _ in range(5):
        MembershipFactory(user=world.member, circle=CircleFactory(name="Same name"))
    client = client_as("member")
    seen, url = [], reverse("api-circles") + "?page_size=2"
    while url:
        page = client.get(url).data
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == 6


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_circle_detail_visibility(client_as, world, kind):
    response = client_as(kind).get(circle_url(world))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE)
    if response.status_code == 200:
        assert response.data["name"] == "Family"


def test_circle_detail_of_a_missing_circle_looks_like_one_you_are_not_in(client_as, world):
    missing = client_as("outsider").get(reverse("api-circle", kwargs={"pk": 999999}))
    hidden = client_as("outsider").get(circle_url(world))

    assert (missing.status_code, missing.data) == (hidden.status_code, hidden.data)


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_circle_update_by_admins_only(client_as, world, kind):
    response = client_as(kind).patch(circle_url(world), {"name": "Renamed"}, format="json")

    assert response.status_code == expected(kind, allowed=MANAGERS, forbidden=["member"])
    world.circle.refresh_from_db()
    assert (world.circle.name == "Renamed") == (response.status_code == 200)


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_circle_delete_by_owner_only(client_as, world, kind):
    response = client_as(kind).delete(circle_url(world))

    assert response.status_code == expected(kind, allowed=["owner"], forbidden=["admin", "member"], ok=204)
    assert Circle.objects.filter(pk=world.circle.pk).exists() == (response.status_code != 204)


# --- members ----------------------------------------------------------------


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_member_list_visibility(client_as, world, kind):
    response = client_as(kind).get(circle_url(world, "api-circle-members"))

    assert response.status_code == expected(kind, allowed=IN_CIRCLE)
    if response.status_code == 200:
        people = [(m["user"]["name"], m["role"]) for m in response.data["results"]]
        assert people == [(world.owner.name, "owner"), (world.admin.name, "admin"), (world.member.name, "member")]
        assert "email" not in response.data["results"][0]["user"]


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_member_list_query_count_does_not_grow_with_page_size(
    client_as, world, django_assert_max_num_queries, page_size
):
    for _ in range(30):
        MembershipFactory(circle=world.circle)
    with django_assert_max_num_queries(3):
        response = client_as("member").get(circle_url(world, "api-circle-members"), {"page_size": page_size})
    assert len(response.data["results"]) == min(page_size, 33)


@pytest.mark.parametrize(
    ("actor", "target", "role", "status"),
    [
        ("owner", "member", "admin", 200),
        ("owner", "admin", "member", 200),
        ("admin", "member", "admin", 403),  # only the owner promotes to admin
        ("admin", "owner", "member", 403),
        ("member", "admin", "member", 403),
        ("owner", "owner", "member", 403),  # the owner's role changes only by a transfer
        ("outsider", "member", "admin", 404),
        ("owner", "outsider", "admin", 404),
        ("owner", "removed", "admin", 404),
    ],
)
def test_member_role_change_matrix(client_as, world, actor, target, role, status):
    target_user = world.person(target)
    url = circle_url(world, "api-circle-member", user_pk=target_user.pk)

    response = client_as(actor).patch(url, {"role": role}, format="json")

    assert response.status_code == status
    membership = Membership.objects.filter(circle=world.circle, user=target_user).first()
    if status == 200:
        assert membership.role == role


def test_owner_transfers_ownership_and_becomes_admin(client_as, world):
    url = circle_url(world, "api-circle-member", user_pk=world.member.pk)

    response = client_as("owner").patch(url, {"role": "owner"}, format="json")

    assert response.status_code == 200
    roles = dict(Membership.objects.filter(circle=world.circle).values_list("user_id", "role"))
    assert roles[world.member.pk] == "owner"
    assert roles[world.owner.pk] == "admin"


@pytest.mark.parametrize("role", ["king", "", None, 5])
def test_member_role_change_refuses_unknown_roles(client_as, world, role):
    url = circle_url(world, "api-circle-member", user_pk=world.member.pk)

    response = client_as("owner").patch(url, {"role": role}, format="json")

    assert response.status_code == 400
    assert "role" in response.data


@pytest.mark.parametrize(
    ("actor", "target", "status"),
    [
        ("owner", "admin", 204),
        ("owner", "member", 204),
        ("admin", "member", 204),
        ("admin", "owner", 403),
        ("admin", "admin", 204),  # leaving
        ("member", "member", 204),  # leaving
        ("member", "admin", 403),
        ("owner", "owner", 400),  # must transfer ownership first
        ("outsider", "member", 404),
        ("removed", "member", 404),
        ("staff", "member", 404),
    ],
)
def test_member_remove_and_leave_matrix(client_as, world, actor, target, status):
    target_user = world.person(target)

    response = client_as(actor).delete(circle_url(world, "api-circle-member", user_pk=target_user.pk))

    assert response.status_code == status
    still_member = Membership.objects.filter(circle=world.circle, user=target_user).exists()
    assert still_member == (status != 204)


def test_owner_cannot_leave_and_is_told_why(client_as, world):
    response = client_as("owner").delete(circle_url(world, "api-circle-member", user_pk=world.owner.pk))

    assert response.data == {"non_field_errors": [services.OWNER_CANNOT_LEAVE]}


def test_a_removed_member_loses_the_circle_at_once(client_as, world):
    client = client_as("member")
    assert client.get(circle_url(world)).status_code == 200

    services.membership_remove(circle=world.circle, actor=world.owner, user=world.member)

    assert client.get(circle_url(world)).status_code == 404
    assert client.get(circle_url(world, "api-circle-members")).status_code == 404


# --- invitations ------------------------------------------------------------


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_invitation_create_by_admins_only(client_as, world, kind):
    response = client_as(kind).post(circle_url(world, "api-circle-invitations"), {}, format="json")

    assert response.status_code == expected(kind, allowed=MANAGERS, forbidden=["member"], ok=201)
    if response.status_code == 201:
        assert response.data["max_uses"] == 1
        assert response.data["uses"] == 0
        assert response.data["url"].endswith(f"/invite/{response.data['token']}/")
        assert len(response.data["token"]) >= 32  # at least 128 bits of base64


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_invitation_list_by_admins_only(client_as, world, kind):
    InvitationFactory(circle=world.circle, created_by=world.owner)

    response = client_as(kind).get(circle_url(world, "api-circle-invitations"))

    assert response.status_code == expected(kind, allowed=MANAGERS, forbidden=["member"])


@pytest.mark.parametrize("page_size", [1, 20, 100])
def test_invitation_list_query_count_does_not_grow_with_page_size(
    client_as, world, django_assert_max_num_queries, page_size
):
    InvitationFactory.create_batch(30, circle=world.circle, created_by=world.owner)
    with django_assert_max_num_queries(4):
        response = client_as("owner").get(circle_url(world, "api-circle-invitations"), {"page_size": page_size})
    assert len(response.data["results"]) == min(page_size, 30)


@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_invitation_revoke_by_admins_only(client_as, world, kind):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)
    url = circle_url(world, "api-circle-invitation", pk=invitation.pk)

    response = client_as(kind).delete(url)

    assert response.status_code == expected(kind, allowed=MANAGERS, forbidden=["member"], ok=204)
    invitation.refresh_from_db()
    assert (invitation.revoked_at is not None) == (response.status_code == 204)


def test_invitation_of_another_circle_cannot_be_revoked_through_mine(client_as, world):
    elsewhere = InvitationFactory()

    response = client_as("owner").delete(circle_url(world, "api-circle-invitation", pk=elsewhere.pk))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "payload",
    [
        {"max_uses": 0},
        {"max_uses": -1},
        {"max_uses": "many"},
        {"expires_in_days": 0},
        {"expires_in_days": 1000},
        {"email": "not-an-email"},
        {"colour": "red"},
    ],
)
def test_invitation_create_refuses_bad_input(client_as, world, payload):
    response = client_as("owner").post(circle_url(world, "api-circle-invitations"), payload, format="json")

    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_invitation_with_an_email_sends_the_link_there(client_as, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("admin").post(
            circle_url(world, "api-circle-invitations"), {"email": "Grandpa@Example.com"}, format="json"
        )

    assert response.status_code == 201
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["grandpa@example.com"]
    assert f"/invite/{response.data['token']}/" in mail.outbox[0].body
    assert world.circle.name in mail.outbox[0].subject


def test_invitation_preview_shows_who_invites_to_what_to_anyone(client_as, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)

    response = client_as("anonymous").get(reverse("api-invitation", args=[invitation.token]))

    assert response.status_code == 200
    assert response.data["circle"] == {"name": "Family"}
    assert response.data["invited_by"] == {"name": world.owner.name}


def bad_invitations(world):
    return {
        "unknown": "no-such-token-at-all-0123456789abcdef",
        "expired": InvitationFactory(circle=world.circle, expires_at=timezone.now() - timedelta(seconds=1)).token,
        "revoked": InvitationFactory(circle=world.circle, revoked_at=timezone.now()).token,
        "used up": InvitationFactory(circle=world.circle, max_uses=2, uses=2).token,
    }


@pytest.mark.parametrize("case", ["unknown", "expired", "revoked", "used up"])
def test_invalid_invitations_all_look_alike_in_preview_and_accept(client_as, world, case):
    token = bad_invitations(world)[case]
    client = client_as("outsider")

    preview = client.get(reverse("api-invitation", args=[token]))
    accept = client.post(reverse("api-invitation-accept", args=[token]))

    assert preview.status_code == accept.status_code == 404
    assert preview.data == accept.data == {"detail": services.INVITATION_INVALID}
    assert not world.circle.memberships.filter(user=world.outsider).exists()


def test_invitation_accept_joins_the_circle_and_counts_a_use(client_as, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner, max_uses=2)

    response = client_as("outsider").post(reverse("api-invitation-accept", args=[invitation.token]))

    assert response.status_code == 200
    assert response.data["name"] == "Family"
    assert response.data["role"] == "member"
    invitation.refresh_from_db()
    assert invitation.uses == 1
    assert client_as("outsider").get(circle_url(world)).status_code == 200


def test_invitation_accept_by_a_member_changes_nothing(client_as, world):
    invitation = InvitationFactory(circle=world.circle)

    response = client_as("admin").post(reverse("api-invitation-accept", args=[invitation.token]))

    assert response.status_code == 200
    assert response.data["role"] == "admin"
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_invitation_for_another_email_is_refused(client_as, world):
    invitation = InvitationFactory(circle=world.circle, email="someone@example.com")

    response = client_as("outsider").post(reverse("api-invitation-accept", args=[invitation.token]))

    assert response.status_code == 403
    assert response.data["detail"] == services.INVITATION_OTHER_EMAIL
    assert not world.circle.memberships.filter(user=world.outsider).exists()


def test_invitation_for_my_email_in_another_case_is_accepted(client_as, world):
    invitation = InvitationFactory(circle=world.circle, email=world.outsider.email)
    Invitation.objects.filter(pk=invitation.pk).update(email=world.outsider.email.upper())

    response = client_as("outsider").post(reverse("api-invitation-accept", args=[invitation.token]))

    assert response.status_code == 200


def test_invitation_accept_into_a_full_circle_is_refused(client_as, world, settings):
    settings.CIRCLE_MAX_MEMBERS = 3
    invitation = InvitationFactory(circle=world.circle)

    response = client_as("outsider").post(reverse("api-invitation-accept", args=[invitation.token]))

    assert response.status_code == 400
    assert "full" in str(response.data)
    invitation.refresh_from_db()
    assert invitation.uses == 0


def test_invitation_accept_anonymous_is_401(client_as, world):
    invitation = InvitationFactory(circle=world.circle)

    assert client_as("anonymous").post(reverse("api-invitation-accept", args=[invitation.token])).status_code == 401


def test_register_with_an_invitation_in_invite_mode_joins_the_circle(api_client, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)
    payload = {"name": "Nia", "email": "nia@example.com", "password": "a-long-and-unusual-passphrase"}

    response = api_client.post(reverse("api-register"), {**payload, "invitation": invitation.token}, format="json")

    assert response.status_code == 201
    assert world.circle.memberships.filter(user__email="nia@example.com", role="member").exists()


def test_register_with_an_invalid_invitation_creates_no_account(api_client, world):
    token = bad_invitations(world)["expired"]
    payload = {"name": "Nia", "email": "nia@example.com", "password": "a-long-and-unusual-passphrase"}

    response = api_client.post(reverse("api-register"), {**payload, "invitation": token}, format="json")

    assert response.status_code == 404
    assert not User.objects.filter(email="nia@example.com").exists()


def test_register_with_an_invitation_for_another_email_creates_no_account(api_client, world):
    invitation = InvitationFactory(circle=world.circle, email="grandpa@example.com")
    payload = {"name": "Nia", "email": "nia@example.com", "password": "a-long-and-unusual-passphrase"}

    response = api_client.post(reverse("api-register"), {**payload, "invitation": invitation.token}, format="json")

    assert response.status_code == 403
    assert not User.objects.filter(email="nia@example.com").exists()


def test_register_into_a_full_circle_creates_no_account(api_client, world, settings):
    settings.CIRCLE_MAX_MEMBERS = 3
    invitation = InvitationFactory(circle=world.circle)
    payload = {"name": "Nia", "email": "nia@example.com", "password": "a-long-and-unusual-passphrase"}

    response = api_client.post(reverse("api-register"), {**payload, "invitation": invitation.token}, format="json")

    assert response.status_code == 400
    assert not User.objects.filter(email="nia@example.com").exists()


def test_accepting_invitations_is_throttled_per_person(client_as, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_accept_user": "1/h"}
    first, second = InvitationFactory(circle=world.circle), InvitationFactory(circle=CircleFactory())
    client = client_as("outsider")

    assert client.post(reverse("api-invitation-accept", args=[first.token])).status_code == 200
    response = client.post(reverse("api-invitation-accept", args=[second.token]))

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_creating_invitations_is_throttled_per_person(client_as, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "invitation_create_user": "1/d"}
    client = client_as("owner")
    url = circle_url(world, "api-circle-invitations")

    assert client.post(url, {}, format="json").status_code == 201
    assert client.post(url, {}, format="json").status_code == 429
    assert world.circle.invitations.count() == 1
