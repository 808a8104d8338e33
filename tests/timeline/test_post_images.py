"""Photos of posts: cleaned before they are stored, and served only to those who may see the post."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from circleshare.images import FILE_TOO_LARGE, NOT_AN_IMAGE, TOO_MANY_PIXELS
from tests.factories import AccessTokenFactory
from tests.images import image_bytes, image_upload
from timeline import services
from timeline.models import Post, PostImage

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
IN_CIRCLE = ["owner", "admin", "member"]
NOT_IN_CIRCLE = ["removed", "outsider", "staff"]


def exif_with(*, gps=False, orientation=None) -> Image.Exif:
    exif = Image.Exif()
    if gps:
        position = exif.get_ifd(GPS_IFD)
        position.update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    if orientation:
        exif[ORIENTATION] = orientation
    return exif


def jpeg_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def noisy_jpeg_bytes(size=(256, 256)) -> bytes:
    """A photo-like JPEG (not one flat colour), so that half of it is really half an image."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 64).convert("RGB").save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def files_under(root) -> list[Path]:
    root = Path(root)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def create(client, circle_ids, images, alt_texts=None, body="Photos!"):
    data = {"body": body, "circle_ids": circle_ids, "images": images}
    if alt_texts is not None:
        data["alt_texts"] = alt_texts
    return client.post(reverse("api-posts"), data, format="multipart")


def stored_image(path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


def fetch(client, url):
    """The response and its bytes. Reading a streamed response to the end closes it, as a WSGI server would."""
    response = client.get(url)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


@pytest.fixture
def photo_post(world):
    """A post of the member's with one photo, shared with the family."""
    return services.post_create(
        author=world.member,
        body="Look",
        circle_ids=[world.circle.pk],
        images=[image_upload(size=(1200, 900))],
        alt_texts=["The garden"],
    )


@pytest.fixture
def journal_photo(world):
    return services.post_create(author=world.member, body="Mine", circle_ids=[], images=[image_upload()])


def image_urls(client, post):
    [image] = client.get(reverse("api-post", args=[post.pk])).data["images"]
    return image


# --- creating posts with photos ---------------------------------------------


def test_post_create_with_two_photos_and_alt_texts(client_as, world, settings):
    response = create(
        client_as("member"),
        [world.circle.pk],
        [jpeg_upload(size=(640, 480)), jpeg_upload("second.png", size=(300, 200), fmt="PNG")],
        ["A beach", "A hill"],
    )

    assert response.status_code == 201
    assert [(i["alt"], i["width"], i["height"]) for i in response.data["images"]] == [
        ("A beach", 640, 480),
        ("A hill", 300, 200),
    ]
    images = list(PostImage.objects.filter(post_id=response.data["id"]).order_by("order"))
    assert [(i.order, i.alt, i.width, i.height) for i in images] == [(0, "A beach", 640, 480), (1, "A hill", 300, 200)]
    for image in images:
        for field in (image.original, image.thumbnail):
            assert Path(field.path).is_relative_to(Path(settings.MEDIA_ROOT) / "posts" / str(image.post_id))
            assert stored_image(field.path).format == "JPEG"


def test_post_create_with_photos_answers_with_the_post_as_shown(client_as, world):
    client = client_as("member")
    response = create(client, [world.circle.pk], [jpeg_upload(), jpeg_upload("b.jpg")], ["First", "Second"])

    assert response.json() == client.get(reverse("api-post", args=[response.data["id"]])).json()


def test_post_create_with_photos_and_no_text(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload()], body="")

    assert response.status_code == 201
    assert response.data["body"] == ""
    assert len(response.data["images"]) == 1


def test_post_create_with_photos_and_no_alt_texts_stores_empty_alts(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(), jpeg_upload()])

    assert response.status_code == 201
    assert [image["alt"] for image in response.data["images"]] == ["", ""]


def test_stored_photo_has_no_gps_position(client_as, world):
    upload = jpeg_upload(exif=exif_with(gps=True))
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)  # the upload carries one
    upload.seek(0)

    response = create(client_as("member"), [world.circle.pk], [upload])

    assert response.status_code == 201
    image = PostImage.objects.get()
    for field in (image.original, image.thumbnail):
        with Image.open(field.path) as stored:
            assert stored.getexif().get_ifd(GPS_IFD) == {}
            assert not stored.getexif()
        assert b"GPS" not in Path(field.path).read_bytes()


def test_stored_photo_is_turned_upright_by_its_exif_orientation(client_as, world):
    # Orientation 6: the camera was held on its side; the pixels must be turned 90°.
    upload = jpeg_upload(size=(64, 48), exif=exif_with(orientation=6))

    response = create(client_as("member"), [world.circle.pk], [upload])

    assert response.status_code == 201
    assert (response.data["images"][0]["width"], response.data["images"][0]["height"]) == (48, 64)
    image = PostImage.objects.get()
    assert (image.width, image.height) == (48, 64)
    stored = stored_image(image.original.path)
    assert stored.size == (48, 64)
    assert ORIENTATION not in stored.getexif()


def test_thumbnail_is_smaller_than_the_photo(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(size=(1200, 900))])

    assert response.status_code == 201
    image = PostImage.objects.get()
    assert (image.width, image.height) == (1200, 900)
    assert stored_image(image.original.path).size == (1200, 900)
    thumbnail = stored_image(image.thumbnail.path).size
    assert max(thumbnail) == services.THUMBNAIL_SIDE
    assert thumbnail == (480, 360)


def test_huge_photo_is_scaled_down_to_the_largest_side_kept(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(size=(3000, 1500))])

    assert response.status_code == 201
    image = PostImage.objects.get()
    assert (image.width, image.height) == (services.PHOTO_SIDE, services.PHOTO_SIDE // 2)
    assert stored_image(image.original.path).size == (image.width, image.height)


def test_photo_with_transparency_is_kept_as_png(client_as, world):
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")

    response = create(client_as("member"), [world.circle.pk], [upload])

    assert response.status_code == 201
    image = PostImage.objects.get()
    assert image.content_type == "image/png"
    assert stored_image(image.original.path).format == "PNG"


def truncated_jpeg():
    data = noisy_jpeg_bytes()
    return [SimpleUploadedFile("photo.jpg", data[: len(data) // 2], content_type="image/jpeg")]


REFUSALS = {
    "text named photo.jpg": (
        lambda: [SimpleUploadedFile("photo.jpg", b"Just some words, no pixels.\n" * 20, content_type="image/jpeg")],
        NOT_AN_IMAGE,
    ),
    "svg": (
        lambda: [
            SimpleUploadedFile(
                "drawing.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">'
                b'<script>alert(1)</script><rect width="64" height="64"/></svg>',
                content_type="image/svg+xml",
            )
        ],
        NOT_AN_IMAGE,
    ),
    "truncated jpeg": (truncated_jpeg, NOT_AN_IMAGE),
    "html named photo.gif": (
        lambda: [SimpleUploadedFile("photo.gif", b"GIF89a<html><script>alert(1)</script>", content_type="image/gif")],
        NOT_AN_IMAGE,
    ),
    "a good photo, then a bad one": (
        lambda: [jpeg_upload(), SimpleUploadedFile("b.jpg", b"not an image", content_type="image/jpeg")],
        NOT_AN_IMAGE,
    ),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_post_create_refuses_files_that_are_not_photos_and_stores_nothing(client_as, world, settings, case):
    make_files, message = REFUSALS[case]
    files = make_files()

    response = create(client_as("member"), [world.circle.pk], files)

    assert response.status_code == 400
    assert response.data == {"images": [f"Photo {len(files)}: {message}"]}
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_refuses_a_decompression_bomb_and_stores_nothing(client_as, world, settings):
    settings.MAX_IMAGE_PIXELS = 1000

    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(size=(100, 100))])

    assert response.status_code == 400
    expected = TOO_MANY_PIXELS.format(limit=settings.MAX_IMAGE_PIXELS // 1_000_000)
    assert response.data == {"images": [f"Photo 1: {expected}"]}
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_refuses_an_oversized_file_and_stores_nothing(client_as, world, settings):
    upload = SimpleUploadedFile("big.jpg", noisy_jpeg_bytes(), content_type="image/jpeg")
    settings.MAX_UPLOAD_BYTES = upload.size - 1

    response = create(client_as("member"), [world.circle.pk], [upload])

    assert response.status_code == 400
    expected = FILE_TOO_LARGE.format(limit=settings.MAX_UPLOAD_BYTES // (1024 * 1024))
    assert response.data == {"images": [f"Photo 1: {expected}"]}
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_refuses_more_than_ten_photos_and_stores_nothing(client_as, world, settings):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(f"{n}.jpg") for n in range(11)])

    assert response.status_code == 400
    assert "images" in response.data
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_accepts_ten_photos(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(f"{n}.jpg") for n in range(10)])

    assert response.status_code == 201
    assert PostImage.objects.count() == 10


@pytest.mark.parametrize("alt_texts", [["a", "b", "c"], ["x" * 501, ""]])
def test_post_create_refuses_alt_texts_that_do_not_fit_and_stores_nothing(client_as, world, settings, alt_texts):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(), jpeg_upload()], alt_texts)

    assert response.status_code == 400
    assert "alt_texts" in response.data
    assert not Post.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_with_fewer_alt_texts_than_photos_gives_the_rest_none(client_as, world):
    response = create(client_as("member"), [world.circle.pk], [jpeg_upload(), jpeg_upload()], ["The first"])

    assert response.status_code == 201
    assert [image["alt"] for image in response.data["images"]] == ["The first", ""]


def test_post_create_with_photos_to_a_circle_i_am_not_in_stores_nothing(client_as, world, settings):
    response = create(client_as("removed"), [world.circle.pk], [jpeg_upload()])

    assert response.status_code == 400
    assert response.data == {"circle_ids": [services.ONLY_YOUR_CIRCLES]}
    assert not Post.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_post_create_with_a_photo_in_a_text_field_is_refused(client_as, world, settings):
    response = client_as("member").post(
        reverse("api-posts"), {"body": jpeg_upload(), "circle_ids": [world.circle.pk]}, format="multipart"
    )

    assert response.status_code == 400
    assert not Post.objects.exists()


# --- serving the files --------------------------------------------------------


@pytest.mark.parametrize("size", ["url", "thumbnail_url"])
@pytest.mark.parametrize("kind", [*IN_CIRCLE, *NOT_IN_CIRCLE, "anonymous"])
def test_photo_file_visibility(client_as, world, photo_post, kind, size):
    url = image_urls(client_as("member"), photo_post)[size]

    response, content = fetch(client_as(kind), url)

    if kind == "anonymous":
        assert response.status_code == 401
    elif kind in NOT_IN_CIRCLE:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]
        with Image.open(io.BytesIO(content)) as served:
            assert served.size == ((1200, 900) if size == "url" else (480, 360))
    if response.status_code != 200:
        assert content[:3] != b"\xff\xd8\xff"  # no JPEG bytes in the refusal


def test_photo_file_of_an_unseen_post_answers_like_a_missing_one(client_as, world, photo_post):
    url = image_urls(client_as("member"), photo_post)["url"]
    image = PostImage.objects.get()
    missing_url = reverse("post-image", args=[photo_post.pk, image.pk + 1000, "original"])

    hidden, _ = fetch(client_as("outsider"), url)
    missing, _ = fetch(client_as("outsider"), missing_url)

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content


def test_png_photo_is_served_as_png(client_as, world):
    buffer = io.BytesIO()
    Image.new("RGBA", (40, 40), (0, 0, 0, 0)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
    post = services.post_create(author=world.member, circle_ids=[world.circle.pk], images=[upload])

    response, content = fetch(client_as("owner"), image_urls(client_as("owner"), post)["url"])

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert content.startswith(b"\x89PNG")


@pytest.mark.parametrize("kind", ["owner", "admin", *NOT_IN_CIRCLE])
def test_journal_photos_are_served_to_the_author_alone(client_as, world, journal_photo, kind):
    urls = image_urls(client_as("member"), journal_photo)

    for size in ("url", "thumbnail_url"):
        assert fetch(client_as("member"), urls[size])[0].status_code == 200
        assert fetch(client_as(kind), urls[size])[0].status_code == 404


def test_photos_of_a_hidden_post_are_served_to_the_author_alone(client_as, world, photo_post):
    urls = image_urls(client_as("member"), photo_post)
    Post.objects.filter(pk=photo_post.pk).update(moderation_state=Post.Moderation.HIDDEN)

    assert fetch(client_as("member"), urls["url"])[0].status_code == 200
    assert fetch(client_as("owner"), urls["url"])[0].status_code == 404


def test_photo_of_a_journal_cannot_be_reached_through_a_post_i_may_see(client_as, world, photo_post, journal_photo):
    secret = PostImage.objects.get(post=journal_photo)
    url = reverse("post-image", args=[photo_post.pk, secret.pk, "original"])

    assert fetch(client_as("owner"), url)[0].status_code == 404


def test_a_removed_member_loses_the_photos_at_once(client_as, world, photo_post):
    url = image_urls(client_as("member"), photo_post)["url"]
    client = client_as("admin")
    assert fetch(client, url)[0].status_code == 200

    services.membership_remove(circle=world.circle, actor=world.owner, user=world.admin)

    assert fetch(client, url)[0].status_code == 404


def test_photo_file_with_an_unknown_size_is_404(client_as, world, photo_post):
    image = PostImage.objects.get()

    response, _ = fetch(client_as("member"), reverse("post-image", args=[photo_post.pk, image.pk, "huge"]))

    assert response.status_code == 404


@pytest.mark.parametrize(("kind", "status"), [("owner", 200), ("member", 200), ("outsider", 404), ("removed", 404)])
def test_photo_file_with_a_bearer_token(world, photo_post, client_as, kind, status):
    url = image_urls(client_as("member"), photo_post)["thumbnail_url"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessTokenFactory(user=world.person(kind)).key}")

    response, content = fetch(client, url)

    assert response.status_code == status
    if status == 200:
        assert content.startswith(b"\xff\xd8\xff")


def test_photo_file_with_a_wrong_bearer_token_is_401(world, photo_post, client_as):
    url = image_urls(client_as("member"), photo_post)["url"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    assert fetch(client, url)[0].status_code == 401


def test_photo_files_are_never_under_a_public_url(client_as, world, photo_post, settings):
    image = PostImage.objects.get()

    response = client_as("member").get(settings.MEDIA_URL + image.original.name)

    assert response.status_code == 404


def test_deleting_a_post_deletes_its_photo_files(
    client_as, world, photo_post, settings, django_capture_on_commit_callbacks
):
    assert len(files_under(settings.MEDIA_ROOT)) == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("member").delete(reverse("api-post", args=[photo_post.pk]))

    assert response.status_code == 204
    assert not PostImage.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []
