"""Suspending and reactivating people from the admin's Users is recorded in the audit trail like the queue's."""

import pytest
from django.urls import reverse

from accounts.models import AccessToken, Session
from moderation.models import ModerationAction
from tests.factories import AccessTokenFactory, CommentFactory, PostFactory, UserFactory
from timeline.models import Comment

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:accounts_user_changelist")
Action = ModerationAction.Action


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def change_form_data(client, person, **changes):
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    for name in ("password", "avatar", "created_at", "last_login"):
        data.pop(name, None)
    data.update(groups=[], user_permissions=[], **changes)
    return url, data


def test_suspend_and_reactivate_actions_are_recorded(admin_client, staff):
    person = UserFactory()

    admin_client.post(CHANGELIST, {"action": "suspend", "_selected_action": [person.pk]})
    admin_client.post(CHANGELIST, {"action": "reactivate", "_selected_action": [person.pk]})

    entries = ModerationAction.objects.order_by("pk")
    assert [(e.action, e.actor, e.target_id) for e in entries] == [
        (Action.SUSPEND, staff, person.pk),
        (Action.REACTIVATE, staff, person.pk),
    ]


def test_reactivating_someone_active_records_nothing(admin_client):
    person = UserFactory()

    admin_client.post(CHANGELIST, {"action": "reactivate", "_selected_action": [person.pk]})

    assert not ModerationAction.objects.exists()


def test_unticking_and_ticking_active_are_recorded(admin_client, staff):
    person = UserFactory(name="Dev", email="dev@example.com")
    AccessTokenFactory(user=person)

    url, data = change_form_data(admin_client, person, is_active="")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    url, data = change_form_data(admin_client, person, is_active="on")
    admin_client.post(url, data)

    person.refresh_from_db()
    assert person.is_active
    assert not AccessToken.objects.filter(user=person).exists()
    assert not Session.objects.filter(user=person).exists()
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.SUSPEND,
        Action.REACTIVATE,
    ]


def test_a_superuser_may_suspend_staff_from_users(admin_client):
    colleague = UserFactory(is_staff=True)

    admin_client.post(CHANGELIST, {"action": "suspend", "_selected_action": [colleague.pk]})

    colleague.refresh_from_db()
    assert not colleague.is_active
    assert ModerationAction.objects.get().action == Action.SUSPEND


def test_a_moderator_cannot_suspend_staff_or_change_who_is_staff(client, moderator):
    colleague = UserFactory(is_staff=True)
    client.force_login(moderator)

    response = client.post(CHANGELIST, {"action": "suspend", "_selected_action": [colleague.pk]}, follow=True)

    colleague.refresh_from_db()
    assert colleague.is_active
    assert "Staff accounts are not suspended" in response.content.decode()
    form = client.get(reverse("admin:accounts_user_change", args=[moderator.pk])).context["adminform"].form
    for field in ("is_staff", "is_superuser", "groups", "user_permissions", "is_active"):
        assert field not in form.fields, field


def test_comments_are_read_only_in_the_post_admin(admin_client):
    post = PostFactory()
    comment = CommentFactory(post=post, body="Keep me")

    page = admin_client.get(reverse("admin:timeline_post_change", args=[post.pk]))

    inline = next(formset for formset in page.context["inline_admin_formsets"] if formset.opts.model is Comment)
    assert not inline.has_delete_permission
    assert not inline.has_add_permission
    assert "body" not in inline.formset.forms[0].fields
    assert Comment.objects.filter(pk=comment.pk).exists()
