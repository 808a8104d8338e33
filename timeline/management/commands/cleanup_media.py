from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from timeline.models import PostImage

MEDIA_FOLDERS = ("posts", "avatars")


def stored_files(folder):
    """Every file name under `folder` of the media storage."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from stored_files(f"{folder}/{sub}")


class Command(BaseCommand):
    help = (
        "Remove uploaded files that no post or profile refers to: left by uploads whose request "
        "failed or was killed before it committed, or by deletions whose clean-up did not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="Only files older than this (default 3600), so that uploads in progress are left alone.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List what would be removed; remove nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        referenced = set(PostImage.objects.values_list("original", flat=True))
        referenced |= set(PostImage.objects.values_list("thumbnail", flat=True))
        referenced |= set(User.objects.exclude(avatar="").values_list("avatar", flat=True))
        cutoff = timezone.now() - timedelta(seconds=older_than)
        removed = kept = 0
        for folder in MEDIA_FOLDERS:
            for name in stored_files(folder):
                if name in referenced:
                    kept += 1
                    continue
                if default_storage.get_modified_time(name) > cutoff:
                    continue
                self.stdout.write(f"{'would remove' if dry_run else 'removed'} {name}")
                if not dry_run:
                    default_storage.delete(name)
                removed += 1
        verb = "would be removed" if dry_run else "removed"
        self.stdout.write(self.style.SUCCESS(f"{removed} orphaned file(s) {verb}; {kept} file(s) in use kept."))
