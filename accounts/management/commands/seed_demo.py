from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from circleshare.links import absolute_url
from timeline import services as circles
from timeline.models import Circle, Membership

DEMO_PASSWORD = "circleshare-demo"
DEMO_PEOPLE = [
    # (email, name, bio, is_staff)
    ("admin@example.com", "Sam Admin", "Keeps the site running.", True),
    ("ada@example.com", "Ada Lovelace", "Grandmother of four, keeper of the family album.", False),
    ("ben@example.com", "Ben Okafor", "Cyclist, cook, occasional photographer.", False),
    ("chloe@example.com", "Chloé Martin", "Ada's granddaughter. Studying in Lyon.", False),
    ("dev@example.com", "Dev Patel", "Ben's college friend.", False),
]
DEMO_CIRCLES = [
    # (name, description, owner, {email: role})
    (
        "Lovelace family",
        "News and photos for the whole family.",
        "ada@example.com",
        {"chloe@example.com": Membership.Role.ADMIN, "ben@example.com": Membership.Role.MEMBER},
    ),
    (
        "College friends",
        "The old gang from university.",
        "ben@example.com",
        {"dev@example.com": Membership.Role.MEMBER},
    ),
]


class Command(BaseCommand):
    help = "Create a small demo world (people and circles) and print its logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "run it with DEBUG=True, or pass --force if you really mean it."
            )
        with transaction.atomic():
            created = self.create_people() + self.create_circles()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {created} demo people and circles."))
        else:
            self.stdout.write("The demo world exists already.")
        self.print_logins()

    def create_people(self) -> int:
        created = 0
        for email, name, bio, is_staff in DEMO_PEOPLE:
            if User.objects.filter(email=email).exists():
                continue
            create = User.objects.create_superuser if is_staff else User.objects.create_user
            create(email=email, name=name, password=DEMO_PASSWORD, bio=bio)
            created += 1
        return created

    def create_circles(self) -> int:
        created = 0
        for name, description, owner_email, members in DEMO_CIRCLES:
            owner = User.objects.get(email=owner_email)
            if Circle.objects.visible_to(owner).filter(name=name).exists():
                continue
            circle = circles.circle_create(creator=owner, name=name, description=description)
            for email, role in members.items():
                Membership.objects.create(circle=circle, user=User.objects.get(email=email), role=role)
            created += 1
        return created

    def print_logins(self):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, _bio, is_staff in DEMO_PEOPLE:
            role = "  (staff: can open /admin/)" if is_staff else ""
            self.stdout.write(f"  {email:<22} {name}{role}")
        family = Circle.objects.filter(name=DEMO_CIRCLES[0][0]).first()
        invitation = family and family.invitations.usable().first()
        if family and not invitation:
            owner = family.memberships.get(role=Membership.Role.OWNER).user
            invitation = circles.invitation_create(circle=family, actor=owner, max_uses=10)
        if invitation:
            link = absolute_url(invitation.get_absolute_url())
            self.stdout.write(f"\nTo join “{family.name}” as someone new, open: {link}")
