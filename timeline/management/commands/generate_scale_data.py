import random
import time
from datetime import timedelta
from itertools import islice

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from timeline.models import Circle, Comment, Emoji, Membership, Post, PostAudience, Reaction

PASSWORD = "circleshare-scale"
YEARS = 5
# fmt: off
WORDS = [
    "the", "a", "our", "we", "you", "home", "garden", "summer", "photo", "birthday", "dinner", "school", "trip",
    "walk", "rain", "sun", "beach", "grandma", "grandpa", "kids", "dog", "cat", "cake", "soup", "bread", "train",
    "city", "park", "lake", "snow", "holiday", "new", "old", "happy", "tired", "today", "yesterday", "tomorrow",
    "weekend", "morning", "evening", "look", "at", "this", "finally", "again", "remember", "when", "love",
    "miss", "see", "soon", "thanks", "congratulations", "made", "found", "lost", "first", "last", "best",
]
# fmt: on


def batched(rows, size):
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Command(BaseCommand):
    help = (
        "Fill the database with a large synthetic world for benchmarks: people, circles, "
        "posts over five years, comments and reactions. Bulk inserts (COPY on PostgreSQL); "
        "reproducible with --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--circles", type=int, default=1_500)
        parser.add_argument("--posts", type=int, default=1_000_000)
        parser.add_argument("--comments", type=int, default=2_000_000)
        parser.add_argument("--reactions", type=int, default=3_000_000)
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same world.")
        parser.add_argument("--batch", type=int, default=20_000, help="Rows per insert.")

    def handle(self, *args, people, circles, posts, comments, reactions, seed, batch, **options):
        if min(people, circles, batch) < 1 or min(posts, comments, reactions) < 0:
            raise CommandError("--people, --circles and --batch must be at least 1; the other sizes at least 0.")
        if User.objects.filter(email__endswith="@scale.example").exists():
            raise CommandError("Scale data is here already; start from an empty database.")
        self.rng = random.Random(seed)
        self.batch = batch
        self.at = connection.ops.adapt_datetimefield_value
        started = time.monotonic()
        if connection.vendor == "sqlite":
            # Room for the indexes that random-order rows land in; this connection only.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -1048576")  # 1 GiB
        self.now = timezone.now()
        user_ids = self.create_people(people)
        members = self.create_circles(circles, user_ids)
        posts = self.create_posts(posts, members)
        self.create_comments(comments, posts, members)
        self.create_reactions(reactions, posts, members)
        self.finish()
        minutes, seconds = divmod(time.monotonic() - started, 60)
        self.stdout.write(self.style.SUCCESS(f"Done in {int(minutes)} min {seconds:.0f} s."))
        self.stdout.write(f"Every person's password is {PASSWORD!r}; emails are person<N>@scale.example.")

    def progress(self, label, done, total):
        self.stdout.write(f"\r{label}: {done:,}/{total:,} ({100 * done // max(total, 1)}%)", ending="")
        self.stdout.flush()

    @staticmethod
    def first_id(model) -> int:
        return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1

    def insert(self, label, model, fields, rows, total) -> int:
        """Insert `rows` (tuples of `fields`' database values, ids included) in batches, with progress.

        Every other column gets its field's default, so new fields need no change here.
        """
        others = [f for f in model._meta.concrete_fields if f.name not in fields]
        defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = [model._meta.get_field(name).column for name in fields] + [f.column for f in others]
        columns = ", ".join(map(quote, columns))
        done = 0
        self.progress(label, 0, total)
        for chunk in batched(rows, self.batch):
            chunk = [row + defaults for row in chunk]
            with transaction.atomic(), connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in chunk:
                            copy.write_row(row)
                else:
                    values = ", ".join(["%s"] * len(chunk[0]))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", chunk)
            done += len(chunk)
            self.progress(label, done, total)
        self.stdout.write("")
        return done

    def finish(self):
        """Move the id sequences past the explicit ids, and give the planner fresh statistics."""
        models = [User, Circle, Membership, Post, PostAudience, Comment, Reaction]
        self.stdout.write("Updating statistics …")
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
            if connection.vendor == "postgresql":
                cursor.execute("ANALYZE")

    def moment(self):
        return self.now - timedelta(seconds=self.rng.uniform(0, YEARS * 365 * 86400))

    def text(self, most):
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(2, most))).capitalize()

    def create_people(self, count):
        password, now, first = make_password(PASSWORD), self.at(self.now), self.first_id(User)
        fields = ["id", "email", "name", "password", "created_at"]
        rows = ((first + n, f"person{n}@scale.example", f"Person {n}", password, now) for n in range(count))
        self.insert("people", User, fields, rows, count)
        return list(range(first, first + count))

    def create_circles(self, count, user_ids):
        """Circles of 3–150 members; everyone in 1–8 circles. Returns {circle id: [member ids]}."""
        now, first = self.at(self.now), self.first_id(Circle)
        rows = ((first + n, f"Circle {n}", now) for n in range(count))
        self.insert("circles", Circle, ["id", "name", "created_at"], rows, count)
        circle_ids = list(range(first, first + count))
        # Mostly small circles (families), a few of up to 150 (a school year, a club).
        capacity = {pk: 3 + int(147 * self.rng.random() ** 3) for pk in circle_ids}
        seats = [pk for pk, size in capacity.items() for _ in range(size)]  # big circles drawn more often
        circles_of = {user_id: [] for user_id in user_ids}

        def join(user_id, attempts=30) -> bool:
            for _ in range(attempts):
                pk = self.rng.choice(seats)
                if capacity[pk] and pk not in circles_of[user_id]:
                    circles_of[user_id].append(pk)
                    capacity[pk] -= 1
                    return True
            return False

        # Everyone's first circle before anyone's second, so that nobody is left out.
        for user_id in user_ids:
            if not join(user_id, attempts=len(seats)):
                raise CommandError("The circles are full: ask for more --circles or fewer --people.")
        for user_id in user_ids:
            for _ in range(self.rng.randint(1, 8) - 1):
                join(user_id)
        members = {pk: [] for pk in circle_ids}
        for user_id, circles in circles_of.items():
            for pk in circles:
                members[pk].append(user_id)
        first = self.first_id(Membership)
        rows = (
            (first + n, pk, user_id, Membership.Role.OWNER if index == 0 else Membership.Role.MEMBER, now)
            for n, (pk, index, user_id) in enumerate(
                (pk, index, user_id) for pk, ids in members.items() for index, user_id in enumerate(ids)
            )
        )
        total = sum(map(len, members.values()))
        self.insert("memberships", Membership, ["id", "circle", "user", "role", "joined_at"], rows, total)
        return {pk: ids for pk, ids in members.items() if ids}

    def create_posts(self, count, members):
        """Posts with 0–3 of their author's circles (5% journal entries), ids in time order.

        Returns [(post id, author id, created_at, [circle ids])].
        """
        circles_of = {}
        for pk, ids in members.items():
            for user_id in ids:
                circles_of.setdefault(user_id, []).append(pk)
        authors = list(circles_of)
        first = self.first_id(Post)
        posts = []
        for n, created_at in enumerate(sorted(self.moment() for _ in range(count))):
            author = self.rng.choice(authors)
            mine = circles_of[author]
            audience = [] if self.rng.random() < 0.05 else self.rng.sample(mine, min(len(mine), self.rng.randint(1, 3)))
            posts.append((first + n, author, created_at, audience))
        fields = ["id", "author", "body", "created_at"]
        rows = ((pk, author, self.text(60), self.at(when)) for pk, author, when, _ in posts)
        self.insert("posts", Post, fields, rows, count)
        first = self.first_id(PostAudience)
        shares = ((pk, circle, self.at(when), author) for pk, author, when, audience in posts for circle in audience)
        rows = ((first + n, *share) for n, share in enumerate(shares))
        total = sum(len(audience) for *_, audience in posts)
        self.insert("shares", PostAudience, ["id", "post", "circle", "created_at", "author"], rows, total)
        return posts

    def someone_who_sees(self, post, members):
        _, author, _, audience = post
        if not audience or self.rng.random() < 0.2:
            return author
        return self.rng.choice(members[self.rng.choice(audience)])

    def create_comments(self, count, posts, members):
        if not posts:
            return
        first = self.first_id(Comment)

        def rows():
            for n in range(count):
                post = self.rng.choice(posts)
                when = min(self.now, post[2] + timedelta(minutes=self.rng.randint(1, 10_000)))
                yield first + n, post[0], self.someone_who_sees(post, members), self.text(30), self.at(when)

        self.insert("comments", Comment, ["id", "post", "author", "body", "created_at"], rows(), count)

    def create_reactions(self, count, posts, members):
        """Up to `count` reactions: a person reacting twice alike is skipped, as the constraint wants."""
        if not posts:
            return
        emoji, seen, first = Emoji.values, set(), self.first_id(Reaction)

        def rows():
            for _ in range(count):
                post = self.rng.choice(posts)
                reaction = (post[0], self.someone_who_sees(post, members), self.rng.choice(emoji))
                if reaction not in seen:
                    seen.add(reaction)
                    yield first + len(seen) - 1, *reaction, self.at(post[2])

        self.insert("reactions", Reaction, ["id", "post", "user", "emoji", "created_at"], rows(), count)
