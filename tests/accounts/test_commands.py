import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_demo import DEMO_PASSWORD, DEMO_PEOPLE
from accounts.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_people_who_can_log_in_and_prints_their_logins(capsys, client):
    call_command("seed_demo", force=True)

    out = capsys.readouterr().out
    assert User.objects.count() == len(DEMO_PEOPLE)
    assert "ada@example.com" in out
    assert DEMO_PASSWORD in out
    assert client.login(username="ada@example.com", password=DEMO_PASSWORD)
    assert User.objects.get(email="admin@example.com").is_staff


def test_seed_demo_run_twice_creates_nobody_new(capsys):
    call_command("seed_demo", force=True)
    capsys.readouterr()
    call_command("seed_demo", force=True)

    assert User.objects.count() == len(DEMO_PEOPLE)
    assert "exists already" in capsys.readouterr().out


def test_seed_demo_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo")
    assert not User.objects.exists()
