import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from accounts.models import User
from tests.factories import CircleFactory, InvitationFactory, MembershipFactory
from timeline.models import Circle, Membership

pytestmark = pytest.mark.django_db


def test_a_person_is_in_a_circle_at_most_once():
    membership = MembershipFactory()

    with pytest.raises(IntegrityError):
        MembershipFactory(circle=membership.circle, user=membership.user)


def test_a_circle_has_at_most_one_owner():
    circle = CircleFactory()
    MembershipFactory(circle=circle, role=Membership.Role.OWNER)

    with pytest.raises(IntegrityError):
        MembershipFactory(circle=circle, role=Membership.Role.OWNER)


def test_an_invitation_cannot_be_used_more_than_its_maximum():
    invitation = InvitationFactory(max_uses=1)

    with pytest.raises(IntegrityError):
        type(invitation).objects.filter(pk=invitation.pk).update(uses=2)


def test_invitation_tokens_are_long_and_unique():
    tokens = {InvitationFactory().token for _ in range(20)}

    assert len(tokens) == 20
    assert all(len(token) >= 32 for token in tokens)  # 24 random bytes, base64


def test_circles_visible_to_a_person_are_the_ones_they_are_in_now(world):
    assert list(Circle.objects.visible_to(world.member)) == [world.circle]
    assert list(Circle.objects.visible_to(world.removed)) == []
    assert world.circle not in Circle.objects.visible_to(world.outsider)


def test_people_visible_to_a_person_are_themselves_and_current_co_members(world):
    visible = set(User.objects.visible_to(world.member))

    assert visible == {world.owner, world.admin, world.member}
    assert world.removed not in User.objects.visible_to(world.member)
    assert set(User.objects.visible_to(world.removed)) == {world.removed}


def test_people_in_two_shared_circles_appear_once(world):
    shared = CircleFactory()
    MembershipFactory(circle=shared, user=world.member)
    MembershipFactory(circle=shared, user=world.owner)

    people = list(User.objects.visible_to(world.member))

    assert len(people) == len(set(people)) == 3


def test_nobody_is_visible_to_an_anonymous_visitor(world):
    assert not User.objects.visible_to(AnonymousUser()).exists()
    assert not Circle.objects.visible_to(AnonymousUser()).exists()
