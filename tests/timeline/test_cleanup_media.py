import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from tests.images import image_upload
from timeline import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def orphan():
    name = default_storage.save("posts/999/left-behind.jpg", ContentFile(b"partial upload"))
    an_hour_ago = time.time() - 7200
    os.utime(default_storage.path(name), (an_hour_ago, an_hour_ago))
    return name


def test_cleanup_media_removes_orphans_and_keeps_files_in_use(world, orphan, capsys):
    post = services.post_create(author=world.member, body="x", images=[image_upload()], circle_ids=[])
    image = post.images.get()

    call_command("cleanup_media")

    assert not default_storage.exists(orphan)
    assert default_storage.exists(image.original.name)
    assert default_storage.exists(image.thumbnail.name)
    assert "1 orphaned file(s) removed; 2 file(s) in use kept." in capsys.readouterr().out


def test_cleanup_media_leaves_recent_files_alone(orphan):
    fresh = default_storage.save("posts/999/uploading.jpg", ContentFile(b"in progress"))

    call_command("cleanup_media")

    assert default_storage.exists(fresh)
    assert not default_storage.exists(orphan)


def test_cleanup_media_dry_run_removes_nothing(orphan, capsys):
    call_command("cleanup_media", "--dry-run")

    assert default_storage.exists(orphan)
    assert f"would remove {orphan}" in capsys.readouterr().out


def test_cleanup_media_with_no_media_folder_says_nothing_to_do(capsys):
    call_command("cleanup_media")

    assert "0 orphaned file(s) removed" in capsys.readouterr().out
