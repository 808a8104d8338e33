import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db.models import Count

from accounts.management.commands.seed_demo import DEMO_CIRCLES
from accounts.models import User
from timeline.models import Circle, Comment, Membership, Post, Reaction

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


SCALE = {"people": 60, "circles": 8, "posts": 400, "comments": 300, "reactions": 500, "batch": 97}


def scale_world_fingerprint():
    return sorted(
        (post.body, post.author.email, tuple(sorted(c.name for c in post.circles.all())))
        for post in Post.objects.select_related("author").prefetch_related("circles")
    )


def test_generate_scale_data_builds_a_consistent_world(capsys):
    call_command("generate_scale_data", **SCALE)

    assert User.objects.count() == 60
    assert Post.objects.count() == 400
    assert Comment.objects.count() == 300
    assert 0 < Reaction.objects.count() <= 500
    assert all(1 <= n <= 8 for n in User.objects.annotate(n=Count("memberships")).values_list("n", flat=True))
    assert all(n <= 150 for n in Circle.objects.with_member_count().values_list("member_count", flat=True))
    journals = Post.objects.filter(audience__isnull=True).count()
    assert 0 < journals < 400 * 0.15
    for post in Post.objects.prefetch_related("audience")[:50]:
        assert {a.created_at for a in post.audience.all()} <= {post.created_at}
        author_circles = set(post.author.memberships.values_list("circle_id", flat=True))
        assert {a.circle_id for a in post.audience.all()} <= author_circles
    for comment in Comment.objects.select_related("post", "author")[:50]:
        assert Post.objects.visible_to(comment.author).filter(pk=comment.post_id).exists()
    assert "Done in" in capsys.readouterr().out


def test_generate_scale_data_is_reproducible_with_a_seed():
    call_command("generate_scale_data", seed=7, **SCALE)
    first = scale_world_fingerprint()
    User.objects.all().delete()
    Circle.objects.all().delete()

    call_command("generate_scale_data", seed=7, **SCALE)

    assert scale_world_fingerprint() == first


def test_generate_scale_data_refuses_to_run_twice():
    call_command("generate_scale_data", **SCALE)

    with pytest.raises(CommandError, match="already"):
        call_command("generate_scale_data", **SCALE)
