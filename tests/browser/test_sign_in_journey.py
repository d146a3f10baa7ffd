import pytest
from selenium.webdriver.common.by import By

from partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_demo_officer_signs_in_and_reaches_the_dashboard_with_no_accessibility_problems(
    browser, demo
):
    browser.get(browser.base_url + "/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Community safety strategies"
    assert_accessible(browser, "home")

    browser.get(browser.base_url + "/sign-in/")
    assert_accessible(browser, "sign-in")

    sign_in(browser, "officer", DEMO_PASSWORD)
    assert browser.current_url.endswith("/dashboard/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    assert "SaferMK Partnership" in browser.page_source
    assert_accessible(browser, "dashboard")


def test_a_wrong_password_shows_an_error_summary_that_passes_axe(browser, demo):
    sign_in(browser, "officer", "not the password")
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    assert "Enter a correct username and password" in summary.text
    assert browser.title.startswith("Error: ")
    assert_accessible(browser, "sign-in-error")
