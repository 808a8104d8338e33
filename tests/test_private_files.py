import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from circleshare.files import private_file_response
from timeline.models import PostImage


@pytest.fixture
def stored_file():
    """A photo's file as views pass it: a model's FieldFile, named relative to MEDIA_ROOT."""
    name = default_storage.save("posts/1/photo.jpg", ContentFile(b"jpeg bytes"))
    return PostImage(original=name).original


def test_private_files_are_sent_by_the_app_by_default(stored_file):
    response = private_file_response(stored_file, content_type="image/jpeg")

    assert b"".join(response.streaming_content) == b"jpeg bytes"
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")


def test_behind_nginx_private_files_are_handed_to_an_internal_location(stored_file, settings):
    settings.PRIVATE_MEDIA_SERVER = "nginx"

    response = private_file_response(stored_file, content_type="image/jpeg")

    assert response.content == b""
    assert response["X-Accel-Redirect"] == "/protected-media/posts/1/photo.jpg"
    assert response["Cache-Control"].startswith("private")


def test_with_sendfile_private_files_are_handed_to_the_web_server(stored_file, settings):
    settings.PRIVATE_MEDIA_SERVER = "sendfile"

    response = private_file_response(stored_file, content_type="image/jpeg")

    assert response["X-Sendfile"] == stored_file.path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/posts/99999999999999999999999/", "/api/v1/circles/123456789012345678901234567890/members/"],
)
def test_ids_too_large_for_the_database_are_a_plain_404(client, user, path):
    client.force_login(user)

    assert client.get(path).status_code == 404
