import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts.models import AccessToken, User
from accounts.services import EMAIL_TAKEN, INVALID_CREDENTIALS, SIGNUP_BY_INVITATION_ONLY
from circleshare.api.serializers import UNKNOWN_FIELD
from tests.factories import TEST_PASSWORD, AccessTokenFactory, UserFactory
from tests.images import image_upload

REGISTER = reverse("api-register")
TOKEN = reverse("api-token")
ME = reverse("api-me")

pytestmark = pytest.mark.django_db

NEW_PERSON = {"name": "Rosa Parks", "email": "Rosa@Example.com", "password": "a-long-and-unusual-passphrase"}


def bearer_client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


# --- register ---------------------------------------------------------------


def test_register_in_open_mode_creates_the_account_and_returns_a_working_token(api_client, open_signup):
    response = api_client.post(REGISTER, NEW_PERSON, format="json")

    assert response.status_code == 201
    assert response.data["user"]["email"] == "rosa@example.com"
    assert response.data["user"]["name"] == "Rosa Parks"
    assert isinstance(response.data["user"]["id"], str)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['token']}")
    assert api_client.get(ME).data["email"] == "rosa@example.com"


def test_register_in_invite_mode_without_invitation_is_refused(api_client):
    response = api_client.post(REGISTER, NEW_PERSON, format="json")

    assert response.status_code == 403
    assert response.data["detail"] == SIGNUP_BY_INVITATION_ONLY
    assert not User.objects.exists()


def test_register_with_an_existing_email_in_another_case_is_refused(api_client, open_signup):
    UserFactory(email="rosa@example.com")

    response = api_client.post(REGISTER, NEW_PERSON, format="json")

    assert response.status_code == 400
    assert response.data["email"] == [EMAIL_TAKEN]
    assert User.objects.count() == 1


def test_register_refuses_a_weak_password(api_client, open_signup):
    response = api_client.post(REGISTER, {**NEW_PERSON, "password": "password"}, format="json")

    assert response.status_code == 400
    assert "password" in response.data
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_PERSON, "nmae": "typo"}, "nmae"),
        ({**NEW_PERSON, "email": "not-an-email"}, "email"),
        ({**NEW_PERSON, "name": "   "}, "name"),
        ({**NEW_PERSON, "name": ["a", "list"]}, "name"),
        ({**NEW_PERSON, "email": 42}, "email"),
        ({**NEW_PERSON, "name": "x" * 101}, "name"),
    ],
)
def test_register_reports_bad_fields_by_name(api_client, open_signup, payload, field):
    response = api_client.post(REGISTER, payload, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not User.objects.exists()


def test_register_reports_unknown_fields_with_a_clear_message(api_client, open_signup):
    response = api_client.post(REGISTER, {**NEW_PERSON, "is_staff": True}, format="json")

    assert response.status_code == 400
    assert response.data["is_staff"] == [UNKNOWN_FIELD]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"name": "Rosa",', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ("null", "application/json"),
        ("\xff\xfe", "application/json"),
        ("name=Rosa", "text/plain"),
    ],
)
def test_register_answers_malformed_bodies_with_a_4xx(api_client, open_signup, body, content_type):
    response = api_client.generic("POST", REGISTER, body, content_type=content_type)

    assert 400 <= response.status_code < 500
    assert "detail" in response.json() or "non_field_errors" in response.json()
    assert not User.objects.exists()


def test_register_refuses_an_oversized_body_with_413(api_client, open_signup):
    huge = '{"name": "' + "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + '"}'

    response = api_client.generic("POST", REGISTER, huge, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large."


def test_register_is_throttled_per_address(api_client, open_signup, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup_ip": "2/h"}
    for n in range(2):
        assert api_client.post(REGISTER, {**NEW_PERSON, "email": f"p{n}@example.com"}).status_code == 201

    response = api_client.post(REGISTER, {**NEW_PERSON, "email": "p3@example.com"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert User.objects.count() == 2


# --- token ------------------------------------------------------------------


def test_token_create_with_any_case_of_email_returns_a_token_and_the_user(api_client, user):
    response = api_client.post(TOKEN, {"email": user.email.upper(), "password": TEST_PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.data["user"]["id"] == str(user.pk)
    assert AccessToken.objects.get(user=user).digest == AccessToken.digest_of(response.data["token"])


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "suspended"])
def test_token_create_gives_one_generic_message_for_any_wrong_credentials(api_client, case):
    person = UserFactory(email="known@example.com", is_active=case != "suspended")
    email = "nobody@example.com" if case == "unknown email" else person.email
    password = "wrong" if case == "wrong password" else TEST_PASSWORD

    response = api_client.post(TOKEN, {"email": email, "password": password}, format="json")

    assert response.status_code == 401
    assert response.data == {"detail": INVALID_CREDENTIALS}
    assert not AccessToken.objects.exists()


def test_token_create_is_throttled_per_account_after_failures(api_client, user, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": "3/15m"}
    for _ in range(3):
        api_client.post(TOKEN, {"email": user.email, "password": "wrong"}, format="json")

    response = api_client.post(TOKEN, {"email": user.email, "password": TEST_PASSWORD}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not AccessToken.objects.exists()


def test_token_create_is_throttled_per_address_across_accounts(api_client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_ip": "3/10m"}
    for n in range(3):
        api_client.post(TOKEN, {"email": f"guess{n}@example.com", "password": "x"}, format="json")

    response = api_client.post(TOKEN, {"email": "other@example.com", "password": "x"}, format="json")

    assert response.status_code == 429


def test_token_delete_revokes_only_the_token_in_use(user):
    kept = AccessTokenFactory(user=user)
    used = AccessTokenFactory(user=user)
    client = bearer_client(used.key)

    assert client.delete(TOKEN).status_code == 204

    assert client.get(ME).status_code == 401
    assert list(AccessToken.objects.all()) == [kept]


def test_token_delete_with_a_session_is_a_clear_400(api_client, user):
    api_client.force_login(user)

    response = api_client.delete(TOKEN)

    assert response.status_code == 400
    assert "token" in response.data["detail"]


def test_token_delete_anonymous_is_401(api_client):
    assert api_client.delete(TOKEN).status_code == 401


# --- me ---------------------------------------------------------------------


def test_me_shows_own_profile_with_email(token_client, user):
    response = token_client.get(ME)

    assert response.status_code == 200
    assert set(response.data) == {"id", "name", "email", "bio", "avatar_url", "created_at"}
    assert response.data["email"] == user.email


def test_me_anonymous_is_401(api_client):
    assert api_client.get(ME).status_code == 401


def test_me_with_an_unknown_token_is_401(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-real-token")

    assert api_client.get(ME).status_code == 401


def test_me_with_the_token_of_a_suspended_person_is_401(user):
    token = AccessTokenFactory(user=user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert bearer_client(token.key).get(ME).status_code == 401


def test_me_patch_changes_name_and_bio_only(token_client, user):
    response = token_client.patch(ME, {"name": " Ada L. ", "bio": "Hello"}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.name, user.bio) == ("Ada L.", "Hello")


def test_me_patch_cannot_change_email(token_client, user):
    email = user.email

    response = token_client.patch(ME, {"email": "other@example.com"}, format="json")

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == email


def test_me_patch_refuses_unknown_fields_and_changes_nothing(token_client, user):
    name = user.name

    response = token_client.patch(ME, {"name": "New", "is_staff": True}, format="json")

    assert response.status_code == 400
    user.refresh_from_db()
    assert (user.name, user.is_staff) == (name, False)


def test_me_patch_refuses_a_blank_name(token_client):
    response = token_client.patch(ME, {"name": " "}, format="json")

    assert response.status_code == 400
    assert "name" in response.data


def test_me_put_is_not_allowed(token_client):
    assert token_client.put(ME, {"name": "x"}, format="json").status_code == 405


def test_me_patch_avatar_stores_a_clean_resized_image_served_only_to_its_owner(token_client, user, client):
    response = token_client.patch(ME, {"avatar": image_upload(size=(2000, 1000))}, format="multipart")

    assert response.status_code == 200
    url = response.data["avatar_url"]
    user.refresh_from_db()
    with Image.open(user.avatar.path) as stored:
        assert max(stored.size) == 512
        assert not stored.getexif()
    client.force_login(user)
    served = client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "private" in served["Cache-Control"]
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_me_patch_avatar_refuses_a_file_that_is_not_an_image(token_client, user):
    fake = SimpleUploadedFile("photo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/jpeg")

    response = token_client.patch(ME, {"avatar": fake}, format="multipart")

    assert response.status_code == 400
    assert "avatar" in response.data
    user.refresh_from_db()
    assert not user.avatar


def test_me_patch_avatar_null_removes_it(token_client, user):
    token_client.patch(ME, {"avatar": image_upload()}, format="multipart")

    response = token_client.patch(ME, {"avatar": None}, format="json")

    assert response.status_code == 200
    assert response.data["avatar_url"] is None


def test_session_authenticated_api_writes_need_the_csrf_token(user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)

    assert client.get(ME).status_code == 200
    response = client.patch(ME, {"name": "Changed"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in response.data["detail"]
