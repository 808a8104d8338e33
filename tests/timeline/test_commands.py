import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_CIRCLES
from timeline.models import Circle, Membership

pytestmark = pytest.mark.django_db


def test_invite_prints_a_link_that_previews_the_circle(world, capsys, client, settings):
    settings.SITE_URL = "https://circles.example.org"

    call_command("invite", world.circle.pk, "--max-uses", "3", "--days", "2")

    link = capsys.readouterr().out.strip()
    invitation = world.circle.invitations.get()
    assert link == f"https://circles.example.org/invite/{invitation.token}/"
    assert (invitation.max_uses, invitation.created_by) == (3, world.owner)
    assert client.get(invitation.get_absolute_url()).status_code == 200


def test_invite_with_an_email_sends_the_link(world, capsys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("invite", world.circle.pk, "--email", "grandpa@example.com")

    assert mail.outbox[0].to == ["grandpa@example.com"]
    assert capsys.readouterr().out.strip() in mail.outbox[0].body


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "no circle with id"),
        (["{pk}", "--max-uses", "0"], "--max-uses"),
        (["{pk}", "--days", "0"], "--days"),
    ],
)
def test_invite_refuses_bad_arguments_clearly(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("invite", *[a.format(pk=world.circle.pk) for a in args])
    assert not world.circle.invitations.exists()


def test_seed_demo_creates_circles_with_members_of_every_role(capsys):
    call_command("seed_demo", force=True)
    call_command("seed_demo", force=True)

    assert Circle.objects.count() == len(DEMO_CIRCLES)
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"owner", "admin", "member"}
    assert "/invite/" in capsys.readouterr().out
