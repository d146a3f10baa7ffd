"""Before the idle sign-out, a signed-in page warns and offers more time
(WCAG 2.2.1): "Stay signed in" restarts the server's clock; letting the time
run out signs out and the sign-in page says why. The idle time is cut to a
minute here, with the warning 50 seconds before it."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

from tests import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _dialog_open(driver) -> bool:
    return driver.execute_script("return document.getElementById('smk-timeout').open")


def test_the_warning_offers_more_time_and_then_signs_out(browser, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    settings.SESSION_TIMEOUT_WARNING_SECONDS = 50
    officer = factories.MembershipFactory().user
    sign_in(browser, officer.username, PASSWORD)
    assert browser.current_url.endswith("/dashboard/")
    assert not _dialog_open(browser)

    # About 10 seconds after the page loads, the warning opens, focus on its button.
    WebDriverWait(browser, 30).until(lambda d: _dialog_open(d))
    dialog = browser.find_element(By.ID, "smk-timeout")
    assert "You’re about to be signed out" in dialog.text
    assert browser.switch_to.active_element.text == "Stay signed in"
    assert "second" in dialog.find_element(By.CLASS_NAME, "smk-timeout__countdown").text
    assert_accessible(browser, "timeout-warning")

    # Staying signed in closes it and restarts the server's clock.
    dialog.find_element(By.XPATH, ".//button[normalize-space()='Stay signed in']").click()
    WebDriverWait(browser, 10).until(lambda d: not _dialog_open(d))
    assert browser.current_url.endswith("/dashboard/")
    remaining = browser.execute_script(
        "return fetch('/account/session/').then(r => r.json()).then(j => j.remaining)"
    )
    assert remaining >= 50

    # Left alone, the warning comes back and, when the time is up, the page
    # goes to the sign-in page, which says why.
    WebDriverWait(browser, 30).until(lambda d: _dialog_open(d))
    WebDriverWait(browser, 90).until(expected_conditions.url_contains("/sign-in/"))
    banner = browser.find_element(By.CSS_SELECTOR, ".govuk-notification-banner")
    assert "You were signed out after 1 minute without activity." in banner.text
    assert_accessible(browser, "timeout-signed-out")
