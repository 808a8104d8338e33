"""Bans: a banned person is removed, and no invitation brings them back until the ban is lifted."""

import pytest
from django.http import Http404
from django.urls import reverse

from moderation import services
from moderation.models import Ban, ModerationAction
from tests.factories import UserFactory
from timeline import services as timeline
from timeline.models import Membership

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


@pytest.fixture
def banned(world):
    services.member_ban(actor=world.admin, circle=world.circle, user=world.member, reason="Rude to everyone")
    return world.member


@pytest.fixture
def invitations(world, banned):
    """Links made after the ban: by the owner, by an admin, and one for the banned person's address."""
    return [
        timeline.invitation_create(circle=world.circle, actor=world.owner, max_uses=10),
        timeline.invitation_create(circle=world.circle, actor=world.admin),
        timeline.invitation_create(circle=world.circle, actor=world.owner, email=banned.email),
    ]


def test_a_ban_removes_the_member_and_is_recorded(world, banned):
    assert not Membership.objects.filter(circle=world.circle, user=banned).exists()
    ban = Ban.objects.get()
    assert (ban.circle, ban.user, ban.banned_by, ban.reason) == (world.circle, banned, world.admin, "Rude to everyone")
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.circle, entry.actor, entry.target_author) == (
        Action.BAN_MEMBER,
        world.circle,
        world.admin,
        banned,
    )
    assert entry.reason == "Rude to everyone"


def test_a_banned_person_cannot_rejoin_through_any_invitation_in_the_api(client_as, world, invitations, banned):
    client = client_as("member")

    for invitation in invitations:
        response = client.post(reverse("api-invitation-accept", args=[invitation.token]))
        assert response.status_code == 403
        assert response.data == {"detail": timeline.BANNED}
        invitation.refresh_from_db()
        assert invitation.uses == 0
    assert not Membership.objects.filter(circle=world.circle, user=banned).exists()


def test_a_banned_person_cannot_rejoin_through_the_invitation_page(page_as, world, invitations, banned):
    client = page_as("member")

    for invitation in invitations:
        response = client.post(reverse("invitation", args=[invitation.token]), follow=True)
        assert timeline.BANNED in response.content.decode()
    assert not Membership.objects.filter(circle=world.circle, user=banned).exists()


def test_after_the_ban_is_lifted_an_invitation_works_again(client_as, world, invitations, banned):
    services.member_unban(actor=world.owner, circle=world.circle, user=banned)

    response = client_as("member").post(reverse("api-invitation-accept", args=[invitations[0].token]))

    assert response.status_code == 200
    assert ModerationAction.objects.filter(action=Action.UNBAN_MEMBER, circle=world.circle).count() == 1


def test_a_ban_in_one_circle_does_not_keep_anyone_out_of_another(client_as, world, banned):
    other = timeline.circle_create(creator=world.owner, name="Cousins")
    invitation = timeline.invitation_create(circle=other, actor=world.owner)

    assert client_as("member").post(reverse("api-invitation-accept", args=[invitation.token])).status_code == 200


def test_a_newcomer_signing_up_is_never_banned(api_client, world, invitations):
    payload = {"name": "New", "email": "new@example.com", "password": "a long and unusual passphrase"}
    response = api_client.post(reverse("api-register"), {**payload, "invitation": invitations[0].token}, format="json")

    assert response.status_code == 201


def test_unbanning_someone_not_banned_is_404(world):
    with pytest.raises(Http404) as error:
        services.member_unban(actor=world.owner, circle=world.circle, user=UserFactory())
    assert str(error.value) == services.NOT_BANNED
