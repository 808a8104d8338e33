"""Muting and blocking someone: the API under /api/v1/me/, the buttons on a person's page, and the settings list."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts import services
from accounts.models import Block, Mute
from circleshare.api.serializers import INVALID_ID, UNKNOWN_FIELD
from tests.factories import BlockFactory, MuteFactory

pytestmark = pytest.mark.django_db

EVERYONE = ["owner", "admin", "member", "removed", "outsider", "staff", "anonymous"]
KINDS = {"mutes": (Mute, "muted"), "blocks": (Block, "blocked")}


@pytest.fixture(params=list(KINDS))
def relation(request):
    return request.param


def list_url(relation):
    return reverse(f"api-{relation}")


def one_url(relation, pk):
    return reverse(f"api-{relation[:-1]}", args=[pk])


@pytest.mark.parametrize("kind", EVERYONE)
def test_only_people_one_sees_can_be_muted_or_blocked(client_as, world, relation, kind):
    response = client_as(kind).post(list_url(relation), {"user": str(world.member.pk)}, format="json")

    if kind == "anonymous":
        assert response.status_code == 401
    elif kind == "member":
        assert response.status_code == 400
    else:
        assert response.status_code == (201 if kind in ("owner", "admin") else 404)
    model, field = KINDS[relation]
    assert model.objects.filter(**{field: world.member}).exists() == (response.status_code == 201)


def test_mute_or_block_then_list_then_undo(client_as, world, relation):
    client = client_as("member")

    created = client.post(list_url(relation), {"user": str(world.admin.pk)}, format="json")
    again = client.post(list_url(relation), {"user": world.admin.pk}, format="json")
    listed = client.get(list_url(relation))
    undone = client.delete(one_url(relation, world.admin.pk))
    undone_again = client.delete(one_url(relation, world.admin.pk))

    assert (created.status_code, again.status_code) == (201, 200)
    assert created.data["user"] == {"id": str(world.admin.pk), "name": world.admin.name, "avatar_url": None}
    assert [item["user"]["id"] for item in listed.data["results"]] == [str(world.admin.pk)]
    assert (undone.status_code, undone_again.status_code) == (204, 404)
    assert client.get(list_url(relation)).data["results"] == []


def test_ones_list_shows_nobody_elses(client_as, world, relation):
    model, field = KINDS[relation]
    model.objects.create(user=world.owner, **{field: world.admin})

    assert client_as("member").get(list_url(relation)).data["results"] == []
    assert client_as("member").delete(one_url(relation, world.admin.pk)).status_code == 404


def test_one_can_unblock_someone_one_no_longer_sees(client_as, world, relation):
    model, field = KINDS[relation]
    model.objects.create(user=world.member, **{field: world.removed})

    assert client_as("member").delete(one_url(relation, world.removed.pk)).status_code == 204


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({}, {"user": ["This field is required."]}),
        ({"user": "me"}, {"user": [INVALID_ID]}),
        ({"user": None}, {"user": ["This field may not be null."]}),
        ({"user": {"id": 1}}, {"user": [INVALID_ID]}),
        ({"user": "1", "extra": True}, {"extra": [UNKNOWN_FIELD]}),
    ],
)
def test_bad_input_is_a_clear_400(client_as, relation, payload, errors):
    response = client_as("member").post(list_url(relation), payload, format="json")

    assert response.status_code == 400
    assert response.data == errors


def test_oneself_cannot_be_muted_or_blocked(client_as, world, relation):
    response = client_as("member").post(list_url(relation), {"user": str(world.member.pk)}, format="json")

    message = services.CANNOT_MUTE_SELF if relation == "mutes" else services.CANNOT_BLOCK_SELF
    assert response.data == {"user": [message]}


def test_the_database_refuses_self_relations_and_doubles(world):
    for factory, field in ((MuteFactory, "muted"), (BlockFactory, "blocked")):
        with pytest.raises(IntegrityError), transaction.atomic():
            factory(user=world.member, **{field: world.member})
        factory(user=world.member, **{field: world.admin})
        with pytest.raises(IntegrityError), transaction.atomic():
            factory(user=world.member, **{field: world.admin})


def test_unknown_person_is_404(client_as, relation):
    assert client_as("member").post(list_url(relation), {"user": "999999"}, format="json").status_code == 404


# --- pages -----------------------------------------------------------------------


def test_a_persons_page_has_mute_and_block_buttons_but_ones_own_has_none(page_as, world):
    client = page_as("member")

    theirs = client.get(reverse("person", args=[world.admin.pk])).content.decode()
    mine = client.get(reverse("person", args=[world.member.pk])).content.decode()

    assert reverse("person-mute", args=[world.admin.pk]) in theirs
    assert reverse("person-block", args=[world.admin.pk]) in theirs
    assert reverse("person-mute", args=[world.member.pk]) not in mine
    assert reverse("person-block", args=[world.member.pk]) not in mine


def test_mute_and_unmute_from_a_persons_page(page_as, world):
    client = page_as("member")

    client.post(reverse("person-mute", args=[world.admin.pk]))
    page = client.get(reverse("person", args=[world.admin.pk])).content.decode()
    assert Mute.objects.filter(user=world.member, muted=world.admin).exists()
    assert reverse("person-unmute", args=[world.admin.pk]) in page

    client.post(reverse("person-unmute", args=[world.admin.pk]))
    assert not Mute.objects.exists()


def test_block_asks_for_confirmation_first(page_as, world):
    client = page_as("member")

    asked = client.get(reverse("person-block", args=[world.admin.pk]))
    assert asked.status_code == 200
    assert f"Block {world.admin.name}?" in asked.content.decode()
    assert not Block.objects.exists()

    done = client.post(reverse("person-block", args=[world.admin.pk]))
    assert done.url == reverse("person", args=[world.admin.pk])
    assert Block.objects.filter(user=world.member, blocked=world.admin).exists()


def test_settings_list_muted_and_blocked_people_with_undo(page_as, world):
    MuteFactory(user=world.member, muted=world.owner)
    BlockFactory(user=world.member, blocked=world.admin)
    client = page_as("member")

    page = client.get(reverse("settings")).content.decode()
    assert f"Unmute {world.owner.name}" in page
    assert f"Unblock {world.admin.name}" in page

    response = client.post(reverse("person-unblock", args=[world.admin.pk]), {"next": "settings"})
    assert response.url == reverse("settings") + "#people"
    assert not Block.objects.exists()


@pytest.mark.parametrize("name", ["person-mute", "person-block"])
@pytest.mark.parametrize("kind", ["outsider", "removed"])
def test_people_one_cannot_see_are_404_on_the_pages(page_as, world, name, kind):
    assert page_as(kind).post(reverse(name, args=[world.member.pk])).status_code == 404


def test_self_block_on_the_page_is_a_message_not_an_error(page_as, world):
    response = page_as("member").post(reverse("person-block", args=[world.member.pk]), follow=True)

    assert services.CANNOT_BLOCK_SELF in response.content.decode()


@pytest.mark.parametrize("name", ["person-mute", "person-block", "person-unmute", "person-unblock"])
def test_anonymous_visitors_are_sent_to_log_in(client, world, name):
    response = client.post(reverse(name, args=[world.member.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
