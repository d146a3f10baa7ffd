"""In a real browser: a visitor reads a partnership's accessibility statement
and asks for the strategy in large print; an officer finds the request and
marks it done; an administrator records the statement's review date; a
superuser uses the admin. axe-core finds nothing on any page, and the public
pages fit a 320-pixel screen."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from selenium.webdriver.common.by import By

from accessibility.models import FormatRequest
from partnerships.demo import DEMO_PASSWORD
from partnerships.models import Partnership
from strategy.models import Strategy
from tests import factories
from tests.browser.conftest import (  # noqa: F401 (browser is a fixture)
    assert_accessible,
    browser,
    click_and_wait,
    sign_in,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _h1(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def _submit(driver) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def _fits_320(driver, name: str) -> None:
    driver.set_window_size(320, 900)
    try:
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name}: {overflow}px cut off at 320px"
        assert_accessible(driver, f"{name}-320")
    finally:
        driver.set_window_size(1280, 1000)


def test_a_visitor_asks_for_the_strategy_in_large_print_and_an_officer_closes_it(
    browser, demo  # noqa: F811
):
    strategy = Strategy.objects.filter(partnership=demo, status=Strategy.Status.PUBLISHED,
                                       duty=Strategy.Duty.COMMUNITY_SAFETY).first()
    browser.get(f"{browser.base_url}/strategies/{strategy.slug}/")
    # The footer of the partnership's page leads to its own statement.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Accessibility statement"))
    assert _h1(browser) == f"Accessibility statement for {demo.name}"
    assert_accessible(browser, "accessibility-statement")
    _fits_320(browser, "accessibility-statement")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "All accessibility statements"))
    assert _h1(browser) == "Accessibility statements"
    assert_accessible(browser, "accessibility-statements")

    # From the strategy, where the PDF is.
    browser.get(f"{browser.base_url}/strategies/{strategy.slug}/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ask for it in another format"))
    assert _h1(browser) == "Ask for a document in another format"
    document = browser.find_element(By.ID, "id_document")
    assert document.get_attribute("value") == strategy.title
    assert_accessible(browser, "format-request")
    _fits_320(browser, "format-request")

    _submit(browser)
    assert browser.title.startswith("Error: ")
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    assert "Choose the format you need" in summary.text
    assert_accessible(browser, "format-request-errors")

    browser.find_element(By.CSS_SELECTOR, "input[name=format][value=large_print]").click()
    browser.find_element(By.ID, "id_name").send_keys("Ada Resident")
    browser.find_element(By.ID, "id_email").send_keys("ada@example.org")
    _submit(browser)
    assert _h1(browser) == "Request sent"
    reference = FormatRequest.objects.get(partnership=demo).reference
    assert reference in browser.find_element(By.CSS_SELECTOR, ".govuk-panel").text
    assert_accessible(browser, "format-request-sent")
    _fits_320(browser, "format-request-sent")

    browser.delete_all_cookies()
    sign_in(browser, "officer", DEMO_PASSWORD)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "1 waiting"))
    assert _h1(browser) == "Requests for another format"
    assert reference in browser.page_source
    assert_accessible(browser, "format-requests")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert f"Request {reference} is marked as done." in browser.page_source
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Done (1)"))
    assert_accessible(browser, "format-requests-done")
    assert FormatRequest.objects.get(reference=reference).is_done


def test_an_administrator_records_the_statements_review_date(browser):  # noqa: F811
    partnership = factories.PartnershipFactory(name="Safer Dale Partnership")
    administrator = factories.AdministratorFactory(partnership=partnership).user
    sign_in(browser, administrator.username, PASSWORD)
    browser.get(f"{browser.base_url}/manage/partnership/{partnership.slug}/details/")
    assert_accessible(browser, "setup-details")
    for part, value in (("0", "1"), ("1", "1"), ("2", "2999")):
        browser.find_element(By.ID, f"id_accessibility_reviewed_on_{part}").send_keys(value)
    browser.find_element(By.ID, "id_contact_email").send_keys("team@dale.example")
    _submit(browser)
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    assert "Year must be between 2000 and 2100" in summary.text
    assert_accessible(browser, "setup-details-errors")
    # Reviewed today: the statement was prepared when the partnership was set up.
    today = timezone.localdate()
    for part, value in (("0", today.day), ("1", today.month), ("2", today.year)):
        field = browser.find_element(By.ID, f"id_accessibility_reviewed_on_{part}")
        field.clear()
        field.send_keys(str(value))
    _submit(browser)
    assert _h1(browser) == "Safer Dale Partnership"
    assert f"last reviewed on {today:%-d %B %Y}" in browser.page_source
    assert_accessible(browser, "setup-overview-statement")
    partnership.refresh_from_db()
    assert partnership.accessibility_reviewed_on == today


def test_the_admin_pages_a_superuser_uses_pass_axe(browser, demo):  # noqa: F811
    sign_in(browser, "admin", DEMO_PASSWORD)
    strategy = Strategy.objects.filter(partnership=demo).order_by("pk").first()
    officer = get_user_model().objects.get(username="officer")
    pages = {
        "admin-index": "/admin/",
        "admin-partnerships": "/admin/partnerships/partnership/",
        "admin-partnership": f"/admin/partnerships/partnership/{demo.pk}/change/",
        "admin-user": f"/admin/auth/user/{officer.pk}/change/",
        "admin-strategy-history": f"/admin/strategy/strategy/{strategy.pk}/history/",
        "admin-periodic-task-add": "/admin/django_celery_beat/periodictask/add/",
    }
    for name, path in pages.items():
        browser.get(browser.base_url + path)
        assert "Log in" not in browser.title, path
        assert_accessible(browser, name)
    assert Partnership.objects.filter(pk=demo.pk).exists()
