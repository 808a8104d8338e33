import random
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from timeline.models import Circle, Comment, Emoji, Membership, Post, PostAudience, Reaction

PASSWORD = "circleshare-scale"
YEARS = 5


class Command(BaseCommand):
    help = (
        "Fill the database with a large synthetic world for benchmarks: people, circles, "
        "posts over five years, comments and reactions. Bulk inserts; reproducible with --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--circles", type=int, default=1_500)
        parser.add_argument("--posts", type=int, default=1_000_000)
        parser.add_argument("--comments", type=int, default=2_000_000)
        parser.add_argument("--reactions", type=int, default=3_000_000)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same world.")
        parser.add_argument("--batch", type=int, default=5_000, help="Rows per insert.")

    def handle(self, *args, people, circles, posts, comments, reactions, seed, batch, **options):
        if min(people, circles) < 1 or min(posts, comments, reactions) < 0:
            raise CommandError("--people and --circles must be at least 1; the other sizes at least 0.")
        if User.objects.filter(email__endswith="@scale.example").exists():
            raise CommandError("Scale data is here already; start from an empty database.")
        self.rng = random.Random(seed)
        self.batch = batch
        started = time.monotonic()
        self.now = timezone.now()
        user_ids = self.create_people(people)
        members = self.create_circles(circles, user_ids)
        post_audiences = self.create_posts(posts, members)
        self.create_comments(comments, post_audiences, members)
        self.create_reactions(reactions, post_audiences, members)
        minutes, seconds = divmod(time.monotonic() - started, 60)
        self.stdout.write(self.style.SUCCESS(f"Done in {int(minutes)} min {seconds:.0f} s."))
        self.stdout.write(f"Every person's password is {PASSWORD!r}; emails are person<N>@scale.example.")

    def progress(self, label, done, total):
        self.stdout.write(f"\r{label}: {done:,}/{total:,} ({100 * done // max(total, 1)}%)", ending="")
        if done >= total:
            self.stdout.write("")
        self.stdout.flush()

    def insert(self, label, model, rows, total, **options):
        """Bulk-insert `rows` (an iterable) in batches, with progress; return the created objects."""
        created, chunk = [], []
        self.progress(label, 0, total)
        for row in rows:
            chunk.append(row)
            if len(chunk) >= self.batch:
                created += self.flush(model, chunk, options)
                if len(created) < total:
                    self.progress(label, len(created), total)
                chunk = []
        created += self.flush(model, chunk, options)
        self.progress(label, total, total)
        return created

    @staticmethod
    def flush(model, chunk, options):
        if not chunk:
            return []
        with transaction.atomic():
            model.objects.bulk_create(chunk, **options)
        return chunk

    def moment(self):
        return self.now - timedelta(seconds=self.rng.uniform(0, YEARS * 365 * 86400))

    def create_people(self, count):
        password = make_password(PASSWORD)
        rows = (
            User(email=f"person{n}@scale.example", name=f"Person {n}", password=password, created_at=self.now)
            for n in range(count)
        )
        return [user.pk for user in self.insert("people", User, rows, count)]

    def create_circles(self, count, user_ids):
        """Circles of 3–150 members; everyone in 1–8 circles. Returns {circle id: [member ids]}."""
        circle_objects = self.insert(
            "circles", Circle, (Circle(name=f"Circle {n}", created_at=self.now) for n in range(count)), count
        )
        circle_ids = [circle.pk for circle in circle_objects]
        capacity = {pk: self.rng.randint(3, 150) for pk in circle_ids}
        members = {pk: [] for pk in circle_ids}
        for user_id in user_ids:
            open_circles = [pk for pk in self.rng.sample(circle_ids, min(len(circle_ids), 16)) if capacity[pk]]
            for pk in open_circles[: self.rng.randint(1, 8)]:
                members[pk].append(user_id)
                capacity[pk] -= 1
        rows = (
            Membership(
                circle_id=pk,
                user_id=user_id,
                role=Membership.Role.OWNER if index == 0 else Membership.Role.MEMBER,
                joined_at=self.now,
            )
            for pk, ids in members.items()
            for index, user_id in enumerate(ids)
        )
        self.insert("memberships", Membership, rows, sum(map(len, members.values())))
        return {pk: ids for pk, ids in members.items() if ids}

    def create_posts(self, count, members):
        """Posts with 0–3 of their author's circles (5% journal entries). Returns [(post id, author, circles)]."""
        circles_of = {}
        for pk, ids in members.items():
            for user_id in ids:
                circles_of.setdefault(user_id, []).append(pk)
        authors = list(circles_of)
        plans = []
        for n in range(count):
            author = self.rng.choice(authors)
            audience = (
                []
                if self.rng.random() < 0.05
                else self.rng.sample(circles_of[author], min(len(circles_of[author]), self.rng.randint(1, 3)))
            )
            plans.append((Post(author_id=author, body=f"Post {n}", created_at=self.moment()), audience))
        created = self.insert("posts", Post, (post for post, _ in plans), count)
        shares = [(post, audience) for post, (_, audience) in zip(created, plans, strict=True)]
        rows = (
            PostAudience(post_id=post.pk, circle_id=pk, created_at=post.created_at)
            for post, audience in shares
            for pk in audience
        )
        self.insert("shares", PostAudience, rows, sum(len(audience) for _, audience in shares))
        return [(post.pk, post.author_id, post.created_at, audience) for post, audience in shares]

    def someone_who_sees(self, post, members):
        _, author, _, audience = post
        if not audience or self.rng.random() < 0.2:
            return author
        return self.rng.choice(members[self.rng.choice(audience)])

    def create_comments(self, count, posts, members):
        if not posts:
            return

        def rows():
            for n in range(count):
                post = self.rng.choice(posts)
                yield Comment(
                    post_id=post[0],
                    author_id=self.someone_who_sees(post, members),
                    body=f"Comment {n}",
                    created_at=min(self.now, post[2] + timedelta(minutes=self.rng.randint(1, 10_000))),
                )

        self.insert("comments", Comment, rows(), count)

    def create_reactions(self, count, posts, members):
        if not posts:
            return
        emoji = Emoji.values

        def rows():
            for _ in range(count):
                post = self.rng.choice(posts)
                yield Reaction(
                    post_id=post[0],
                    user_id=self.someone_who_sees(post, members),
                    emoji=self.rng.choice(emoji),
                    created_at=post[2],
                )

        # A person reacting twice alike is skipped, as the constraint wants.
        self.insert("reactions", Reaction, rows(), count, ignore_conflicts=True)
