"""Journeys through the pages, in real headless Chromium."""

import pytest
from playwright.sync_api import expect

from accounts.services import INVALID_CREDENTIALS
from tests.browser.helpers import log_in
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser

NAME = "Grace Hopper"
EMAIL = "grace@example.com"
PASSWORD = "a-long-and-unusual-passphrase"


def test_a_person_signs_up_logs_out_and_logs_back_in(page, open_signup):
    page.goto("/accounts/signup/")
    page.get_by_label("Name").fill(NAME)
    page.get_by_label("Email address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name=f"Hello, {NAME}")).to_be_visible()

    page.get_by_role("navigation").get_by_role("button", name="Log out").click()
    expect(page).to_have_url("/accounts/login/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()

    log_in(page, EMAIL, PASSWORD)
    expect(page.get_by_role("heading", name=f"Hello, {NAME}")).to_be_visible()


def test_a_wrong_password_shows_the_generic_error_and_does_not_log_in(page):
    person = UserFactory(password=TEST_PASSWORD)

    log_in(page, person.email, "not-the-right-passphrase")

    expect(page.get_by_role("alert")).to_have_text(INVALID_CREDENTIALS)
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
