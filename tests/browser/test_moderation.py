"""Moderation in real headless Chromium: a member reports a post, a moderator hides it from the admin's queue."""

import pytest
from playwright.sync_api import expect

from moderation.views import REPORT_RECEIVED
from tests.browser.helpers import log_in
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from timeline import services

pytestmark = pytest.mark.browser

BODY = "Cheap designer watches, message me for prices!"
REASON = "Advertising is not what this circle is for"


def post_card(page, text):
    return page.locator("article.post", has_text=text)


def test_a_member_reports_a_post_and_a_moderator_hides_it_from_the_queue(page, new_page, moderator):
    ada = UserFactory(name="Ada Lovelace", password=TEST_PASSWORD)
    ben = UserFactory(name="Ben Lovelace", password=TEST_PASSWORD)
    family = services.circle_create(creator=ada, name="Family")
    MembershipFactory(circle=family, user=ben)
    services.post_create(author=ada, body=BODY, circle_ids=[family.pk])
    moderator.set_password(TEST_PASSWORD)
    moderator.save(update_fields=["password"])

    # Ben reports Ada's post from his home timeline.
    log_in(page, ben.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name=f"Hello, {ben.name}")).to_be_visible()
    post_card(page, BODY).get_by_role("link", name="Report").click()
    expect(page.get_by_role("heading", name="Report this post")).to_be_visible()
    page.get_by_role("radiogroup", name="What is wrong with it?").get_by_role("radio", name="Spam").check()
    page.get_by_label("Anything moderators should know").fill("She never sells anything, her account was taken.")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("status")).to_have_text(REPORT_RECEIVED)
    expect(post_card(page, BODY)).to_have_count(1)

    # A moderator logs in to the admin, finds the report in the queue and hides the post.
    staff = new_page()
    staff.goto("/admin/")
    staff.get_by_label("Email address").fill(moderator.email)
    staff.get_by_label("Password").fill(TEST_PASSWORD)
    staff.get_by_role("button", name="Log in").click()
    staff.get_by_role("link", name="Reports").click()
    row = staff.locator("#result_list tbody tr", has_text=BODY)
    expect(row).to_contain_text("Ada Lovelace")
    expect(row).to_contain_text("Family")
    row.get_by_role("checkbox").check()
    staff.get_by_role("combobox", name="Action").select_option("hide_content")
    staff.get_by_role("button", name="Go").click()
    reason = staff.get_by_label("Reason")
    expect(reason).to_have_value("Spam")
    reason.fill(REASON)
    staff.get_by_role("button", name="Hide them").click()
    expect(staff.locator(".messagelist")).to_contain_text("Hid 1 post")
    expect(staff.locator("#result_list tbody tr", has_text=BODY)).to_contain_text("Actioned")

    # Ben no longer sees it; Ada sees it marked hidden, with the reason.
    page.goto("/")
    expect(page.get_by_role("heading", name=f"Hello, {ben.name}")).to_be_visible()
    expect(post_card(page, BODY)).to_have_count(0)
    assert BODY not in page.content()

    ada_page = new_page()
    log_in(ada_page, ada.email, TEST_PASSWORD)
    expect(post_card(ada_page, BODY).get_by_role("note")).to_have_text(
        f"Hidden by a moderator: {REASON} — only you can see this post now."
    )
