"""Circles in real headless Chromium: inviting by link, and what outsiders see."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import TEST_PASSWORD, UserFactory
from timeline import services

pytestmark = pytest.mark.browser

CIRCLE = "Hopper family"
NEWCOMER_NAME = "Walter Hopper"
NEWCOMER_EMAIL = "walter@example.com"
NEWCOMER_PASSWORD = "a-long-and-unusual-passphrase"


def members_of(page):
    return page.get_by_role("region", name="Members").get_by_role("listitem")


def test_an_owner_invites_by_link_and_a_new_person_signs_up_into_the_circle(page, new_page, live_server):
    owner = UserFactory(name="Grace Hopper", password=TEST_PASSWORD)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # The owner creates the circle.
    log_in(page, owner.email, TEST_PASSWORD)
    page.get_by_role("navigation").get_by_role("link", name="Circles", exact=True).click()
    expect(page.get_by_role("heading", name="My circles")).to_be_visible()
    create = page.locator("form", has=page.get_by_role("button", name="Create circle"))
    create.get_by_label("Name").fill(CIRCLE)
    create.get_by_label("Description").fill("Grandparents, parents and cousins.")
    create.get_by_role("button", name="Create circle").click()
    expect(page.get_by_role("heading", name=CIRCLE, level=1)).to_be_visible()
    circle_url = page.url

    # ... makes an invitation link with the defaults (one person, the usual days) and copies it.
    invite = page.get_by_role("region", name="Invite people")
    invite.get_by_role("button", name="Create invitation link").click()
    invitation = page.get_by_role("region", name="Invite people").get_by_role("listitem")
    expect(invitation).to_have_count(1)
    expect(invitation).to_contain_text("Active")
    expect(invitation).to_contain_text("used 0 of 1")
    copy = invitation.get_by_role("button", name="Copy link")
    copy.click()
    expect(invitation.get_by_role("button", name="Copied!")).to_be_visible()
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == invitation.locator("input.invitation-url").input_value()
    assert link.startswith(f"{live_server.url}/invite/")

    # A newcomer, with no account and no cookies, opens the link and signs up there.
    newcomer = new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(f"{owner.name} invites you to “{CIRCLE}”")
    signup = newcomer.locator("main form")
    signup.get_by_label("Name").fill(NEWCOMER_NAME)
    signup.get_by_label("Email address").fill(NEWCOMER_EMAIL)
    signup.get_by_label("Password").fill(NEWCOMER_PASSWORD)
    signup.get_by_role("button", name="Create account and join").click()

    expect(newcomer).to_have_url(circle_url)
    expect(newcomer.get_by_role("heading", name=CIRCLE, level=1)).to_be_visible()
    expect(newcomer.get_by_role("status")).to_contain_text(f"Welcome to CircleShare and to “{CIRCLE}”!")
    expect(members_of(newcomer).filter(has_text=f"{NEWCOMER_NAME} (you)")).to_have_count(1)
    expect(members_of(newcomer).filter(has_text=owner.name)).to_contain_text("Owner")
    # A plain member is not offered the invitation links.
    expect(newcomer.get_by_role("region", name="Invite people")).to_have_count(0)

    # The owner sees the newcomer among the members, and the link used up.
    page.reload()
    expect(members_of(page)).to_have_count(2)
    expect(members_of(page).filter(has_text=NEWCOMER_NAME)).to_contain_text("Member")
    expect(page.get_by_text("2 members · you are owner")).to_be_visible()
    expect(invitation).to_contain_text("Used up")
    expect(invitation).to_contain_text("used 1 of 1")
    expect(invitation.get_by_role("button", name="Copy link")).to_have_count(0)


def test_a_person_outside_the_circle_gets_not_found_without_its_name(page, live_server):
    owner = UserFactory(password=TEST_PASSWORD)
    circle = services.circle_create(creator=owner, name=CIRCLE)
    outsider = UserFactory(password=TEST_PASSWORD)

    log_in(page, outsider.email, TEST_PASSWORD)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    response = page.goto(f"/circles/{circle.pk}/")

    assert response.status == 404
    expect(page.get_by_role("heading", name="We couldn’t find that")).to_be_visible()
    assert CIRCLE not in page.content()
