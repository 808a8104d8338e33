import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from tests.factories import InvitationFactory
from timeline import services
from timeline.models import Circle, Membership

pytestmark = pytest.mark.django_db

IN_CIRCLE = ["owner", "admin", "member"]
NOT_IN_CIRCLE = ["removed", "outsider", "staff"]


def expected(kind, *, allowed, forbidden=(), ok=200):
    if kind == "anonymous":
        return 302  # to the log-in page
    if kind in allowed:
        return ok
    return 403 if kind in forbidden else 404


@pytest.mark.parametrize(
    ("name", "allowed", "forbidden"),
    [
        ("circle", IN_CIRCLE, []),
        ("circle-edit", ["owner", "admin"], ["member"]),
        ("circle-delete", ["owner"], ["admin", "member"]),
        ("circle-leave", IN_CIRCLE, []),
    ],
)
@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_circle_pages_visibility(page_as, world, kind, name, allowed, forbidden):
    response = page_as(kind).get(reverse(name, args=[world.circle.pk]))

    assert response.status_code == expected(kind, allowed=allowed, forbidden=forbidden)
    if response.status_code == 404:
        assert b"Family" not in response.content


def test_my_circles_lists_member_counts_and_only_my_circles(page_as, world):
    response = page_as("member").get(reverse("circles"))

    assert response.status_code == 200
    assert b"Family" in response.content
    assert b"3 members" in response.content
    assert b"Elsewhere" not in response.content


def test_my_circles_has_an_empty_state(page_as, world):
    assert b"not in any circle yet" in page_as("staff").get(reverse("circles")).content


def test_create_a_circle_from_the_page(page_as, world):
    response = page_as("outsider").post(reverse("circles"), {"name": "Book club", "description": "Monthly"})

    circle = Circle.objects.get(name="Book club")
    assert response.status_code == 302
    assert response["Location"] == circle.get_absolute_url()
    assert circle.memberships.get().user == world.outsider


def test_circle_page_shows_invitations_only_to_admins(page_as, world):
    InvitationFactory(circle=world.circle, created_by=world.owner)

    admin_page = page_as("admin").get(reverse("circle", args=[world.circle.pk]))
    member_page = page_as("member").get(reverse("circle", args=[world.circle.pk]))

    assert b"Invite people" in admin_page.content
    assert b"/invite/" in admin_page.content
    assert b"Invite people" not in member_page.content
    assert b"/invite/" not in member_page.content


def test_admin_creates_an_invitation_link_from_the_circle_page(page_as, world):
    response = page_as("admin").post(
        reverse("invitation-create", args=[world.circle.pk]), {"max_uses": 3, "expires_in_days": 7, "email": ""}
    )

    assert response.status_code == 302
    invitation = world.circle.invitations.get()
    assert (invitation.max_uses, invitation.created_by) == (3, world.admin)


def test_member_cannot_create_an_invitation_and_is_told_why(page_as, world):
    client = page_as("member")

    response = client.post(reverse("invitation-create", args=[world.circle.pk]), {"max_uses": 1, "expires_in_days": 7})

    assert response.status_code == 302
    assert not world.circle.invitations.exists()
    assert services.ADMINS_ONLY in [str(m) for m in get_messages(response.wsgi_request)]


def test_admin_revokes_an_invitation(page_as, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)

    page_as("admin").post(reverse("invitation-revoke", args=[world.circle.pk, invitation.pk]))

    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_leave_asks_for_confirmation_then_leaves(page_as, world):
    client = page_as("member")
    confirmation = client.get(reverse("circle-leave", args=[world.circle.pk]))

    response = client.post(reverse("circle-leave", args=[world.circle.pk]))

    assert b"Leave the circle" in confirmation.content
    assert response.status_code == 302
    assert not world.circle.memberships.filter(user=world.member).exists()


def test_owner_leaving_is_refused_with_a_message(page_as, world):
    response = page_as("owner").post(reverse("circle-leave", args=[world.circle.pk]), follow=True)

    assert services.OWNER_CANNOT_LEAVE in response.content.decode()
    assert world.circle.memberships.filter(user=world.owner).exists()


def test_admin_removes_a_member_after_confirming(page_as, world):
    client = page_as("admin")
    url = reverse("member-remove", args=[world.circle.pk, world.member.pk])

    confirmation = client.get(url)
    client.post(url)

    assert world.member.name in confirmation.content.decode()
    assert not world.circle.memberships.filter(user=world.member).exists()


def test_member_cannot_remove_another_member(page_as, world):
    page_as("member").post(reverse("member-remove", args=[world.circle.pk, world.admin.pk]))

    assert world.circle.memberships.filter(user=world.admin).exists()


def test_owner_promotes_a_member_to_admin(page_as, world):
    page_as("owner").post(reverse("member-role", args=[world.circle.pk, world.member.pk]), {"role": "admin"})

    assert world.circle.memberships.get(user=world.member).role == Membership.Role.ADMIN


def test_owner_deletes_the_circle_after_confirming(page_as, world):
    client = page_as("owner")
    confirmation = client.get(reverse("circle-delete", args=[world.circle.pk]))

    client.post(reverse("circle-delete", args=[world.circle.pk]))

    assert b"cannot be undone" in confirmation.content
    assert not Circle.objects.filter(pk=world.circle.pk).exists()


def test_admin_edits_the_circle(page_as, world):
    page_as("admin").post(reverse("circle-edit", args=[world.circle.pk]), {"name": "The Family", "description": ""})

    world.circle.refresh_from_db()
    assert world.circle.name == "The Family"


# --- the invitation landing page --------------------------------------------


def test_invitation_page_shows_who_invites_to_what(client, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 200
    assert f"{world.owner.name} invites you to “Family”" in response.content.decode()


@pytest.mark.parametrize("case", ["unknown", "revoked"])
def test_invalid_invitation_page_is_a_404(client, world, case):
    token = "nope" if case == "unknown" else InvitationFactory(circle=world.circle, revoked_at=timezone.now()).token

    response = client.get(reverse("invitation", args=[token]))

    assert response.status_code == 404
    assert b"Family" not in response.content


def test_new_person_signs_up_from_the_invitation_page_in_invite_mode(client, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)

    response = client.post(
        invitation.get_absolute_url(),
        {"name": "Nia", "email": "nia@example.com", "password": "a-long-and-unusual-passphrase"},
    )

    assert response.status_code == 302
    assert response["Location"] == world.circle.get_absolute_url()
    nia = User.objects.get(email="nia@example.com")
    assert world.circle.memberships.filter(user=nia).exists()
    assert client.get(world.circle.get_absolute_url()).status_code == 200


def test_logged_in_person_joins_from_the_invitation_page(page_as, world):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)
    client = page_as("outsider")

    assert b"Join" in client.get(invitation.get_absolute_url()).content
    response = client.post(invitation.get_absolute_url())

    assert response.status_code == 302
    assert world.circle.memberships.filter(user=world.outsider).exists()


def test_invitation_page_for_a_member_says_so(page_as, world):
    invitation = InvitationFactory(circle=world.circle)

    response = page_as("member").get(invitation.get_absolute_url())

    assert b"already a member" in response.content


@pytest.mark.parametrize(
    "name",
    ["circle-edit", "circle-delete", "circle-leave", "member-remove", "member-role", "invitation-create", "revoke"],
)
@pytest.mark.parametrize("kind", [*NOT_IN_CIRCLE, "anonymous"])
def test_circle_actions_from_outside_the_circle_change_nothing_and_reveal_nothing(page_as, world, kind, name):
    invitation = InvitationFactory(circle=world.circle, created_by=world.owner)
    args = {
        "member-remove": [world.circle.pk, world.member.pk],
        "member-role": [world.circle.pk, world.member.pk],
        "revoke": [world.circle.pk, invitation.pk],
    }.get(name, [world.circle.pk])
    url = reverse("invitation-revoke" if name == "revoke" else name, args=args)
    data = {"name": "Hacked", "role": "admin", "max_uses": 1, "expires_in_days": 1}

    response = page_as(kind).post(url, data)

    assert response.status_code == (302 if kind == "anonymous" else 404)
    if kind == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    world.circle.refresh_from_db()
    invitation.refresh_from_db()
    assert world.circle.name == "Family"
    assert world.circle.memberships.count() == 3
    assert world.circle.memberships.get(user=world.member).role == "member"
    assert world.circle.invitations.count() == 1
    assert invitation.revoked_at is None
