from django.core.management.base import BaseCommand, CommandError

from circleshare.links import absolute_url
from timeline import services
from timeline.api.serializers import MAX_INVITATION_DAYS, MAX_INVITATION_USES
from timeline.models import INVITATION_DAYS, Circle, Membership


class Command(BaseCommand):
    help = "Create an invitation link to a circle (on behalf of its owner) and print it."

    def add_arguments(self, parser):
        parser.add_argument("circle_id", type=int, help="The circle's id (see the admin, or the API).")
        parser.add_argument("--email", default="", help="Only this address may accept; the link is emailed there.")
        parser.add_argument("--max-uses", type=int, default=1, help="How many people may join with it (default 1).")
        parser.add_argument(
            "--days", type=int, default=INVITATION_DAYS, help=f"Days until it expires (default {INVITATION_DAYS})."
        )

    def handle(self, *args, circle_id, email, max_uses, days, **options):
        if not 1 <= max_uses <= MAX_INVITATION_USES:
            raise CommandError(f"--max-uses must be between 1 and {MAX_INVITATION_USES}.")
        if not 1 <= days <= MAX_INVITATION_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_INVITATION_DAYS}.")
        try:
            circle = Circle.objects.get(pk=circle_id)
        except Circle.DoesNotExist:
            raise CommandError(f"There is no circle with id {circle_id}.") from None
        owner = circle.memberships.get(role=Membership.Role.OWNER).user
        invitation = services.invitation_create(
            circle=circle, actor=owner, email=email, max_uses=max_uses, expires_in_days=days
        )
        self.stdout.write(absolute_url(invitation.get_absolute_url()))
        details = f"{circle.name}: {max_uses} use(s), expires {invitation.expires_at:%Y-%m-%d %H:%M %Z}"
        if email:
            details += f", sent to {invitation.email}"
        self.stderr.write(details)
