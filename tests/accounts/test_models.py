import pytest
from django.db import IntegrityError

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_email_lowercased():
    user = User.objects.create_user(email="  Ada@Example.COM ", name="Ada", password="x")

    assert user.email == "ada@example.com"


def test_the_database_refuses_a_mixed_case_email():
    with pytest.raises(IntegrityError):
        User.objects.filter(pk=UserFactory().pk).update(email="Mixed@Example.com")


def test_the_database_refuses_the_same_email_twice():
    UserFactory(email="ada@example.com")

    with pytest.raises(IntegrityError):
        UserFactory(email="ada@example.com")


def test_get_by_natural_key_ignores_case():
    user = UserFactory(email="ada@example.com")

    assert User.objects.get_by_natural_key("ADA@example.com") == user


def test_new_users_are_hashed_with_argon2_first(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

    user = User.objects.create_user(email="a@example.com", name="A", password="a-long-passphrase")

    assert user.password.startswith("argon2")


def test_avatar_url_is_none_without_an_avatar():
    assert UserFactory().avatar_url is None


def test_people_see_only_themselves_before_they_share_a_circle():
    me, other = UserFactory(), UserFactory()

    assert list(User.objects.visible_to(me)) == [me]
    assert other not in User.objects.visible_to(me)
