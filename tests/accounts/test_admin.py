import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AccessToken, Session, User
from tests.factories import AccessTokenFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def signed_in_everywhere(user):
    """Log `user` in on a browser and give them an API token."""
    browser = Client()
    browser.force_login(user)
    AccessTokenFactory(user=user)
    return browser


def test_user_changelist_searches_by_name_and_email(admin_client):
    UserFactory(name="Ada Lovelace", email="ada@example.com")
    UserFactory(name="Ben Okafor", email="ben@example.com")

    by_name = admin_client.get(CHANGELIST, {"q": "lovelace"})
    by_email = admin_client.get(CHANGELIST, {"q": "ben@"})

    assert [u.name for u in by_name.context["cl"].result_list] == ["Ada Lovelace"]
    assert [u.name for u in by_email.context["cl"].result_list] == ["Ben Okafor"]


def test_user_changelist_filters_by_status(admin_client, staff):
    UserFactory(is_active=False, name="Suspended Sue")
    UserFactory(name="Active Al")
    helper = UserFactory(is_staff=True, name="Staff Stan")

    def listed(status):
        return list(admin_client.get(CHANGELIST, {"status": status}).context["cl"].result_list)

    assert [u.name for u in listed("suspended")] == ["Suspended Sue"]
    assert listed("staff") == [helper, staff]
    assert listed("superuser") == [staff]


def test_user_changelist_says_who_is_suspended_or_staff(admin_client, staff):
    UserFactory(is_active=False)
    UserFactory(is_staff=True)
    UserFactory()

    content = admin_client.get(CHANGELIST).content.decode()

    # Newest first.
    statuses = re.findall(r'<td class="field-status">([^<]*)</td>', content)
    assert statuses == ["active", "active, staff", "suspended", "active, superuser"]


def test_suspend_action_ends_sessions_and_tokens_at_once(admin_client):
    person = UserFactory()
    browser = signed_in_everywhere(person)
    assert browser.get(reverse("settings")).status_code == 200

    response = admin_client.post(CHANGELIST, {"action": "suspend", "_selected_action": [person.pk]}, follow=True)

    assert response.status_code == 200
    person.refresh_from_db()
    assert not person.is_active
    assert not Session.objects.filter(user=person).exists()
    assert not AccessToken.objects.filter(user=person).exists()
    assert browser.get(reverse("settings")).status_code == 302


def test_suspend_action_does_not_suspend_the_acting_staff_member(admin_client, staff):
    admin_client.post(CHANGELIST, {"action": "suspend", "_selected_action": [staff.pk]})

    staff.refresh_from_db()
    assert staff.is_active


def test_reactivate_action_lets_a_suspended_person_log_in_again(admin_client):
    person = UserFactory(is_active=False)

    admin_client.post(CHANGELIST, {"action": "reactivate", "_selected_action": [person.pk]})

    person.refresh_from_db()
    assert person.is_active


def test_unticking_active_in_the_change_form_also_ends_sessions_and_tokens(admin_client):
    person = UserFactory(name="Dev", email="dev@example.com")
    signed_in_everywhere(person)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(is_active="", email="dev@example.com", name="Dev", groups=[], user_permissions=[])
    data.pop("password", None)
    data.pop("avatar", None)
    data.pop("created_at", None)
    data.pop("last_login", None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert not person.is_active
    assert not AccessToken.objects.filter(user=person).exists()
    assert not Session.objects.filter(user=person).exists()


def test_admin_creates_a_person_with_a_lowercased_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.com",
            "name": "New Person",
            "usable_password": "true",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.filter(email="new.person@example.com").exists()


def test_admin_is_closed_to_people_who_are_not_staff(client, user):
    client.force_login(user)

    response = client.get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
