"""Steps shared by the browser journeys."""


def log_in(page, email, password):
    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(password)
    # The nav has a "Log in" link too; this is the form's button.
    form.get_by_role("button", name="Log in").click()
