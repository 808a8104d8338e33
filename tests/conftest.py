from dataclasses import dataclass
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import AccessTokenFactory, CircleFactory, MembershipFactory, UserFactory
from timeline import services
from timeline.models import Circle, Membership


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with no abuse-limit counts."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def moderator(db):
    """A staff member in the "moderator" group, as its migration makes it.

    The group is made again first: tests on a transactional database empty
    every table when they end, groups included.
    """
    import_module("moderation.migrations.0002_moderator_group").create_moderator_group(django_apps, None)
    person = UserFactory(name="Mo Derator", is_staff=True)
    person.groups.add(Group.objects.get(name="moderator"))
    return person


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def token_client(user):
    """An API client that sends `user`'s bearer token."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessTokenFactory(user=user).key}")
    return client


@pytest.fixture
def open_signup(settings):
    settings.SIGNUP_MODE = "open"


@dataclass
class CircleWorld:
    """A circle with one person of each kind the visibility rules care about."""

    circle: Circle
    owner: User
    admin: User
    member: User
    removed: User  # was a member, then was removed
    outsider: User  # a member of another circle only
    staff: User  # site staff, not in the circle

    def person(self, kind: str) -> User | None:
        return None if kind == "anonymous" else getattr(self, kind)


@pytest.fixture
def world(db):
    owner = UserFactory(name="Olive Owner")
    circle = services.circle_create(creator=owner, name="Family")
    admin = MembershipFactory(circle=circle, role=Membership.Role.ADMIN).user
    member = MembershipFactory(circle=circle).user
    removed = MembershipFactory(circle=circle).user
    services.membership_remove(circle=circle, actor=owner, user=removed)
    outsider = MembershipFactory(circle=CircleFactory(name="Elsewhere")).user
    staff = UserFactory(is_staff=True, is_superuser=True)
    return CircleWorld(circle, owner, admin, member, removed, outsider, staff)


@pytest.fixture
def client_as(world):
    """An API client authenticated as one kind of person of `world` (or anonymous)."""

    def build(kind: str) -> APIClient:
        client = APIClient()
        person = world.person(kind)
        if person:
            client.force_authenticate(person)
        return client

    return build


@pytest.fixture
def page_as(world, client):
    """Django's test client, logged in as one kind of person of `world` (or anonymous)."""

    def build(kind: str):
        person = world.person(kind)
        if person:
            client.force_login(person)
        return client

    return build
