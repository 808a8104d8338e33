from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User

DEMO_PASSWORD = "circleshare-demo"
DEMO_PEOPLE = [
    # (email, name, bio, is_staff)
    ("admin@example.com", "Sam Admin", "Keeps the site running.", True),
    ("ada@example.com", "Ada Lovelace", "Grandmother of four, keeper of the family album.", False),
    ("ben@example.com", "Ben Okafor", "Cyclist, cook, occasional photographer.", False),
    ("chloe@example.com", "Chloé Martin", "Ada's granddaughter. Studying in Lyon.", False),
    ("dev@example.com", "Dev Patel", "Ben's college friend.", False),
]


class Command(BaseCommand):
    help = "Create a small demo world and print its logins. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have a published password).",
        )

    @transaction.atomic
    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password; "
                "run it with DEBUG=True, or pass --force if you really mean it."
            )
        created = 0
        for email, name, bio, is_staff in DEMO_PEOPLE:
            if User.objects.filter(email=email).exists():
                continue
            create = User.objects.create_superuser if is_staff else User.objects.create_user
            create(email=email, name=name, password=DEMO_PASSWORD, bio=bio)
            created += 1
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {created} demo people."))
        else:
            self.stdout.write("The demo people exist already.")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for email, name, _bio, is_staff in DEMO_PEOPLE:
            role = "  (staff: can open /admin/)" if is_staff else ""
            self.stdout.write(f"  {email:<22} {name}{role}")
