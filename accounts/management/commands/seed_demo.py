import io
import random
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from circleshare.links import absolute_url
from timeline import services as circles
from timeline.models import Circle, Membership, Post, PostAudience

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


DEMO_POSTS = [
    # (author, circle or None for a journal entry, body, photos, comments, reactions, days ago)
    (
        "ada@example.com",
        "Lovelace family",
        "Sunday lunch at ours! Thank you all for coming — the garden has never looked better.",
        3,
        [
            ("chloe@example.com", "Wish I could have been there! Save me some cake 🍰"),
            ("ben@example.com", "Best roast ever."),
        ],
        [("chloe@example.com", "❤️"), ("ben@example.com", "❤️"), ("ben@example.com", "😂")],
        6,
    ),
    (
        "chloe@example.com",
        "Lovelace family",
        "First week in Lyon done. The view from my window, and the bakery I will be visiting too often.",
        2,
        [("ada@example.com", "So proud of you, darling. Eat well!")],
        [("ada@example.com", "🎉"), ("ben@example.com", "👍")],
        3,
    ),
    (
        "ben@example.com",
        "College friends",
        "Ten years since graduation. Who's up for a reunion ride in June? https://example.org/route",
        1,
        [("dev@example.com", "I'm in, if we stop for coffee halfway.")],
        [("dev@example.com", "🎉")],
        2,
    ),
    (
        "ada@example.com",
        None,
        "Note to self: ask Chloé for the recipe of that tarte tatin before Christmas.",
        0,
        [],
        [],
        1,
    ),
]


def demo_photo(seed: int, name: str) -> SimpleUploadedFile:
    """A generated picture: a sky, a sun and a few hills, in colours picked by `seed`."""
    rng = random.Random(seed)
    width, height = 1200, 800
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = [rng.randint(60, 200) for _ in range(3)], [rng.randint(150, 255) for _ in range(3)]
    for y in range(height):
        mix = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(t + (b - t) * mix) for t, b in zip(top, bottom, strict=True)))
    sun_x, sun_y = rng.randint(150, width - 150), rng.randint(80, 300)
    draw.ellipse([sun_x - 70, sun_y - 70, sun_x + 70, sun_y + 70], fill=(255, 220, 120))
    for hill in range(3):
        base = height - hill * 90
        colour = (rng.randint(30, 90), rng.randint(100, 170), rng.randint(40, 90))
        draw.ellipse([rng.randint(-400, 400), base - 300, rng.randint(800, 1600), base + 300], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


class Command(BaseCommand):
    help = "Create a small demo world (people, circles, posts with photos) and print its logins. Safe to run again."

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
            created += self.create_posts()
        if created:
            self.stdout.write(self.style.SUCCESS(f"Created {created} demo people, circles and posts."))
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

    def create_posts(self) -> int:
        if Post.objects.filter(author__email__in=[p[0] for p in DEMO_PEOPLE]).exists():
            return 0
        now = timezone.now()
        for index, (email, circle_name, body, photos, comments, reactions, days_ago) in enumerate(DEMO_POSTS):
            author = User.objects.get(email=email)
            circle_ids = [Circle.objects.visible_to(author).get(name=circle_name).pk] if circle_name else []
            images = [demo_photo(index * 10 + n, f"photo-{n}.jpg") for n in range(photos)]
            alt_texts = [f"A generated landscape, number {n + 1}" for n in range(photos)]
            post = circles.post_create(
                author=author, body=body, circle_ids=circle_ids, images=images, alt_texts=alt_texts
            )
            created_at = now - timedelta(days=days_ago)
            Post.objects.filter(pk=post.pk).update(created_at=created_at)
            PostAudience.objects.filter(post=post).update(created_at=created_at)
            for commenter, text in comments:
                circles.comment_create(post=post, author=User.objects.get(email=commenter), body=text)
            for reactor, emoji in reactions:
                circles.reaction_add(post=post, user=User.objects.get(email=reactor), emoji=emoji)
        return len(DEMO_POSTS)

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
