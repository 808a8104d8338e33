import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.services import INVALID_CREDENTIALS
from tests.factories import TEST_PASSWORD, UserFactory
from tests.images import image_upload

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")
LOGIN = reverse("login")
LOGOUT = reverse("logout")
SETTINGS = reverse("settings")
HOME = reverse("home")


def test_landing_page_invites_anonymous_visitors_to_log_in(client):
    response = client.get(HOME)

    assert response.status_code == 200
    assert b"Log in" in response.content


def test_signup_page_in_invite_mode_explains_invitations_and_creates_nobody(client):
    page = client.get(SIGNUP)
    response = client.post(SIGNUP, {"name": "Rosa", "email": "rosa@example.com", "password": "x-long-passphrase"})

    assert b"by invitation only" in page.content
    assert response.status_code == 403
    assert not User.objects.exists()


def test_signup_in_open_mode_creates_the_account_and_logs_in(client, open_signup):
    response = client.post(
        SIGNUP,
        {"name": "Rosa Parks", "email": "Rosa@Example.com", "password": "a-long-and-unusual-passphrase"},
    )

    assert response.status_code == 302
    user = User.objects.get()
    assert user.email == "rosa@example.com"
    assert b"Hello, Rosa Parks" in client.get(HOME).content


def test_signup_with_a_taken_email_shows_the_form_again(client, open_signup):
    UserFactory(email="rosa@example.com")

    response = client.post(SIGNUP, {"name": "Rosa", "email": "ROSA@example.com", "password": "a-long-passphrase-1"})

    assert response.status_code == 200
    assert b"cannot be used to sign up" in response.content
    assert User.objects.count() == 1


def test_signup_refuses_a_weak_password(client, open_signup):
    response = client.post(SIGNUP, {"name": "Rosa", "email": "rosa@example.com", "password": "12345678"})

    assert response.status_code == 200
    assert not User.objects.exists()


def test_login_with_email_in_any_case_then_logout(client, user):
    response = client.post(LOGIN, {"username": user.email.upper(), "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert f"Hello, {user.name}".encode() in client.get(HOME).content
    assert client.post(LOGOUT).status_code == 302
    assert b"Hello" not in client.get(HOME).content


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "suspended"])
def test_login_failure_shows_one_generic_message(client, case):
    person = UserFactory(email="known@example.com", is_active=case != "suspended")
    email = "nobody@example.com" if case == "unknown email" else person.email
    password = "wrong" if case == "wrong password" else TEST_PASSWORD

    response = client.post(LOGIN, {"username": email, "password": password})

    assert response.status_code == 200
    assert INVALID_CREDENTIALS in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_is_throttled_per_account_with_429_and_retry_after(client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "2/15m"}
    for _ in range(2):
        client.post(LOGIN, {"username": user.email, "password": "wrong"})

    response = client.post(LOGIN, {"username": user.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert b"Too many attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_settings_page_needs_login(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_settings_saves_name_bio_and_avatar(client, user):
    client.force_login(user)

    response = client.post(SETTINGS, {"name": "Ada", "bio": "Hi", "avatar": image_upload()})

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.name, user.bio) == ("Ada", "Hi")
    assert user.avatar
    assert client.get(user.avatar_url).status_code == 200


def test_settings_refuses_a_non_image_avatar_with_a_message(client, user):
    client.force_login(user)
    fake = SimpleUploadedFile("me.jpg", b"not an image at all", content_type="image/jpeg")

    response = client.post(SETTINGS, {"name": "Ada", "bio": "", "avatar": fake})

    assert response.status_code == 200
    assert b"Upload a JPEG, PNG, WebP or GIF image." in response.content
    user.refresh_from_db()
    assert not user.avatar


def test_password_change_keeps_this_session_and_ends_the_others(client, user):
    other_device = type(client)()
    other_device.force_login(user)
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )

    assert response.status_code == 302
    assert client.get(SETTINGS).status_code == 200
    assert other_device.get(SETTINGS).status_code == 302


def test_password_reset_sends_a_link_that_sets_a_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get("/" + path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-fresh-long-passphrase", "new_password2": "a-fresh-long-passphrase"},
    )
    user.refresh_from_db()
    assert user.check_password("a-fresh-long-passphrase")


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_is_throttled_per_address(client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset_ip": "1/h"}
    client.post(reverse("password_reset"), {"email": user.email})

    response = client.post(reverse("password_reset"), {"email": user.email})

    assert response.status_code == 429
    assert len(mail.outbox) == 1


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert b"We couldn" in response.content


def test_unknown_api_path_is_a_json_404(client):
    response = client.get("/api/v1/no/such/thing/")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_oversized_form_post_is_a_friendly_413(client, settings):
    response = client.post(LOGIN, {"username": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})

    assert response.status_code == 413
    assert b"too large" in response.content


def test_password_reset_links_that_are_unknown_or_forged_look_alike(client, user):
    real_uid = urlsafe_base64_encode(force_bytes(user.pk))
    unknown_uid = urlsafe_base64_encode(force_bytes(999999))

    pages = [
        client.get(reverse("password_reset_confirm", args=[uid, "abc-0123456789abcdef"]), follow=True)
        for uid in (real_uid, unknown_uid)
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert [page.context["validlink"] for page in pages] == [False, False]
    assert pages[0].content.replace(real_uid.encode(), b"") == pages[1].content.replace(unknown_uid.encode(), b"")
