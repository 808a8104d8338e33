"""Posts in real headless Chromium: sharing photos with one circle, and who can see them."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import TEST_PASSWORD, CircleFactory, MembershipFactory, UserFactory
from tests.images import image_bytes
from timeline import services

pytestmark = pytest.mark.browser

BODY = "Sunday at the lake with the whole family."
PHOTOS = {
    "lake.jpg": ("JPEG", (64, 48), (40, 110, 200), "The lake at sunset, seen from the jetty."),
    "cake.png": ("PNG", (40, 60), (220, 180, 60), "Grandma's lemon cake on the picnic table."),
}
COMMENT = "What a lovely day, thank you for the photos!"

# Resolves with the image's natural width once it has loaded, or 0 if it failed.
NATURAL_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(resolve => {
    img.addEventListener("load", () => resolve(img.naturalWidth), {once: true});
    img.addEventListener("error", () => resolve(0), {once: true});
})"""


def log_in_at_home(page, person):
    """Log in, land on the home page, and wait for its scripts (htmx, app.js) to have run.

    The heading shows before the deferred scripts run: choosing photos or ticking
    a circle earlier would find no alt-text fields and no audience preview.
    """
    log_in(page, person.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", name=f"Hello, {person.name}")).to_be_visible()
    page.wait_for_load_state("load")


def post_card(page, text):
    return page.locator("article.post", has_text=text)


def alt_text_field(page, filename):
    return page.get_by_label(f"Describe “{filename}” for people who cannot see it")


def test_photos_shared_with_one_circle_reach_its_members_and_nobody_else(page, new_page, tmp_path):
    ada = UserFactory(name="Ada Lovelace", password=TEST_PASSWORD)
    ben = UserFactory(name="Ben Lovelace", password=TEST_PASSWORD)
    cleo = UserFactory(name="Cleo Stranger", password=TEST_PASSWORD)
    family = services.circle_create(creator=ada, name="Family")
    MembershipFactory(circle=family, user=ben)
    MembershipFactory(circle=CircleFactory(name="Book club"), user=cleo)
    files = []
    for filename, (fmt, size, color, _alt) in PHOTOS.items():
        path = tmp_path / filename
        path.write_bytes(image_bytes(size=size, fmt=fmt, color=color))
        files.append(path)

    # Ada writes, picks two photos, describes each, and shares with Family.
    log_in_at_home(page, ada)
    composer = page.locator("form.composer-form")
    composer.get_by_label("What's new?").fill(BODY)
    composer.get_by_label("Photos (up to 10)").set_input_files(files)
    for filename, (*_, alt) in PHOTOS.items():
        alt_text_field(page, filename).fill(alt)
    expect(composer.locator("input[name=alt_texts]")).to_have_count(len(PHOTOS))
    composer.get_by_role("checkbox", name="Family").check()
    expect(page.locator("#audience-preview").get_by_text("2 people will see this")).to_be_visible()
    with page.expect_response(lambda response: response.request.method == "POST") as shared:
        composer.get_by_role("button", name="Share").click()
    # htmx sent it (with the photos, as multipart) and told the browser where to go next.
    assert shared.value.request.headers.get("hx-request") == "true"
    assert shared.value.request.headers["content-type"].startswith("multipart/form-data")
    assert shared.value.headers.get("hx-redirect") == "/"

    expect(page.get_by_role("status")).to_have_text("Shared.")
    expect(page).to_have_url("/")
    post = post_card(page, BODY)
    expect(post).to_have_count(1)
    expect(post).to_contain_text("Family")
    thumbnails = post.locator(".post-images a img")
    expect(thumbnails).to_have_count(len(PHOTOS))
    for index, (*_, alt) in enumerate(PHOTOS.values()):
        expect(thumbnails.nth(index)).to_have_attribute("alt", alt)
    image_urls = []
    for index in range(len(PHOTOS)):
        thumbnail = thumbnails.nth(index)
        image_urls.append(thumbnail.evaluate("img => img.src"))
        image_urls.append(thumbnail.locator("xpath=..").evaluate("a => a.href"))
    assert all("/media/posts/" in url for url in image_urls), image_urls
    assert len(set(image_urls)) == 2 * len(PHOTOS)
    post_url = post.locator("a.post-time").get_attribute("href")

    # Ben, in Family, sees the post with both photos, reacts in place, and comments.
    ben_page = new_page()
    log_in_at_home(ben_page, ben)
    post = post_card(ben_page, BODY)
    expect(post).to_contain_text(ada.name)
    thumbnails = post.locator(".post-images img")
    expect(thumbnails).to_have_count(len(PHOTOS))
    for index, (*_, alt) in enumerate(PHOTOS.values()):
        thumbnail = thumbnails.nth(index)
        expect(thumbnail).to_have_attribute("alt", alt)
        thumbnail.scroll_into_view_if_needed()
        assert thumbnail.evaluate(NATURAL_WIDTH) > 0, f"photo {index + 1} did not load for Ben"
    for url in image_urls:
        response = ben_page.request.get(url)
        assert response.status == 200, url
        assert response.headers["content-type"].startswith("image/"), url

    home_url = ben_page.url
    ben_page.evaluate("window.stillTheSamePage = true")
    love = post.get_by_role("button", name="Love")
    expect(love).to_have_attribute("aria-pressed", "false")
    expect(love.locator(".reaction-count")).to_have_count(0)
    love.click()
    expect(love).to_have_attribute("aria-pressed", "true")
    expect(love.locator(".reaction-count")).to_have_text("1")
    assert ben_page.url == home_url
    assert ben_page.evaluate("window.stillTheSamePage") is True, "reacting reloaded the page"

    post.get_by_role("link", name="Comment", exact=True).click()
    expect(ben_page).to_have_url(f"{post_url}#comments")
    comments = ben_page.get_by_role("region", name="Comments")
    comments.get_by_label("Add a comment").fill(COMMENT)
    comments.get_by_role("button", name="Comment").click()
    comment = comments.get_by_role("listitem").filter(has_text=COMMENT)
    expect(comment).to_have_count(1)
    expect(comment).to_contain_text(ben.name)

    # Cleo shares no circle with Ada: no post, a plain 404, and no photos.
    cleo_page = new_page()
    log_in_at_home(cleo_page, cleo)
    expect(cleo_page.get_by_role("region", name="Posts")).to_be_attached()
    expect(post_card(cleo_page, BODY)).to_have_count(0)
    assert BODY not in cleo_page.content()

    response = cleo_page.goto(post_url)
    assert response.status == 404
    expect(cleo_page.get_by_role("heading", name="We couldn’t find that")).to_be_visible()
    assert BODY not in cleo_page.content()
    assert COMMENT not in cleo_page.content()
    for url in image_urls:
        assert cleo_page.request.get(url).status == 404, url

    stranger = new_page()
    for url in image_urls:
        assert stranger.request.get(url).status in (401, 404), url

    # Ada, back on her post, finds Ben's comment and his reaction.
    page.goto(post_url)
    comment = page.get_by_role("region", name="Comments").get_by_role("listitem").filter(has_text=COMMENT)
    expect(comment).to_contain_text(ben.name)
    love = post_card(page, BODY).get_by_role("button", name="Love")
    expect(love.locator(".reaction-count")).to_have_text("1")
    expect(love).to_have_attribute("aria-pressed", "false")
    expect(post_card(page, BODY).get_by_role("link", name="1 comment")).to_be_visible()
