import pytest
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from accounts import services
from accounts.models import AccessToken, Session
from circleshare import ratelimit
from tests.factories import AccessTokenFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_user_suspend_ends_every_session_and_token_of_that_person_only(user):
    other = UserFactory()
    for person in (user, other):
        Client().force_login(person)
        AccessTokenFactory(user=person)

    services.user_suspend(user=user)

    assert not user.is_active
    assert not Session.objects.filter(user=user).exists()
    assert not AccessToken.objects.filter(user=user).exists()
    assert Session.objects.filter(user=other).count() == 1
    assert AccessToken.objects.filter(user=other).count() == 1


def test_user_reactivate_lets_the_person_authenticate_again(user):
    services.user_suspend(user=user)
    services.user_reactivate(user=user)
    request = RequestFactory().post("/")

    assert services.user_authenticate(request=request, email=user.email, password="correct-horse-battery-staple")


def test_user_register_twice_with_one_email_raises_a_field_error(open_signup):
    request = RequestFactory().post("/")
    services.user_register(request=request, email="a@example.com", name="A", password="long-passphrase-1")

    with pytest.raises(ValidationError) as error:
        services.user_register(request=request, email="A@example.com", name="A", password="long-passphrase-1")

    assert error.value.message_dict == {"email": [services.EMAIL_TAKEN]}


@pytest.mark.parametrize(
    ("text", "limit", "period"),
    [("10/m", 10, 60), ("10/15m", 10, 900), ("5/h", 5, 3600), ("1/d", 1, 86400), ("3 / 2s", 3, 2)],
)
def test_rates_parse_counts_and_periods(text, limit, period):
    assert ratelimit.Rate.parse(text) == ratelimit.Rate(limit, period)


@pytest.mark.parametrize("text", ["ten/m", "10", "10/w", ""])
def test_malformed_rates_are_refused(text):
    with pytest.raises(ValueError, match="is not a rate"):
        ratelimit.Rate.parse(text)


def test_consume_allows_the_limit_then_raises_with_a_retry_after(settings):
    settings.RATE_LIMITS = {"demo": "2/h"}
    ratelimit.consume("demo", "key")
    ratelimit.consume("demo", "key")

    with pytest.raises(ratelimit.RateLimited) as error:
        ratelimit.consume("demo", "key")

    assert 0 < error.value.retry_after <= 3600
    ratelimit.consume("demo", "another key")


def test_sign_in_works_for_a_request_without_a_client_address(user):
    request = RequestFactory().post("/")
    del request.META["REMOTE_ADDR"]

    assert services.user_authenticate(request=request, email=user.email, password="correct-horse-battery-staple")
