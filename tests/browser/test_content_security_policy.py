"""Pages work under the Content-Security-Policy in a real browser: nothing
is refused (no violation events, nothing in the console), GOV.UK Frontend's
body classes are set, and styles drawn from data still apply."""

import pytest
from django.contrib.auth import get_user_model
from selenium.webdriver.common.by import By

from consultation.models import Consultation
from partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser

# Runs before any script of each page (and is itself exempt from the policy).
LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


@pytest.fixture
def watched(browser):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": LISTENER})
    browser.get_log("browser")  # start from an empty console
    return browser


def _open(driver, path):
    driver.get(driver.base_url + path)
    _assert_nothing_refused(driver)


def _assert_nothing_refused(driver):
    violations = driver.execute_script("return window.__cspViolations")
    assert violations == [], f"{driver.current_url}: {violations}"
    console = [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
        or "Content-Security-Policy" in entry["message"]
    ]
    assert console == [], f"{driver.current_url}: {console}"
    classes = driver.find_element(By.TAG_NAME, "body").get_attribute("class")
    if "govuk-template__body" in classes:
        assert "js-enabled" in classes and "govuk-frontend-supported" in classes


def test_public_pages_and_sign_in_run_under_the_policy(watched, demo):
    # The demo lives in the present: of its consultations, one is open now.
    consultation = Consultation.objects.get(partnership=demo, status=Consultation.Status.OPEN)
    for path in ("/", "/strategies/", "/strategies/safermk-strategy-2018-2021/"):
        _open(watched, path)
    # A priority's own page, with its trend charts.
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, ".smk-priority-summary h3 a"))
    assert watched.find_elements(By.CSS_SELECTOR, "svg.smk-chart")
    _assert_nothing_refused(watched)

    _open(watched, f"/consultations/{consultation.slug}/respond/")
    honeypot = watched.find_element(By.ID, "id_website")
    assert not honeypot.is_displayed()

    _open(watched, "/account/password-reset/")
    assert_accessible(watched, "password-reset")
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "main form button"))
    assert watched.title.startswith("Error: ")
    assert_accessible(watched, "password-reset-error")
    watched.find_element(By.ID, "id_email").send_keys("someone@example.org")
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "main form button"))
    assert watched.find_element(By.TAG_NAME, "h1").text == "Check your email"
    _assert_nothing_refused(watched)
    assert_accessible(watched, "password-reset-sent")


def test_officer_pages_with_data_drawn_styles_run_under_the_policy(watched, demo):
    sign_in(watched, "officer", DEMO_PASSWORD)
    _assert_nothing_refused(watched)

    _open(watched, "/strategies/safermk-strategy-2022/plan/")
    track = watched.find_element(By.CSS_SELECTOR, ".smk-chart__track")
    bar = watched.find_element(By.CSS_SELECTOR, ".smk-plan-bar-1")
    # The nonce'd <style> placed the bar: it neither fills the track nor has no width.
    assert 0 < bar.size["width"] < track.size["width"]

    _open(watched, "/documents/safermk/reports/")
    click_and_wait(
        watched, watched.find_element(By.LINK_TEXT, "SaferMK Strategy Development 2018/21")
    )
    _assert_nothing_refused(watched)


def test_the_admin_runs_under_the_policy(watched, demo):
    _open(watched, "/admin/login/")
    watched.find_element(By.ID, "id_username").send_keys("admin")
    watched.find_element(By.ID, "id_password").send_keys(DEMO_PASSWORD)
    click_and_wait(watched, watched.find_element(By.CSS_SELECTOR, "input[type=submit]"))
    assert watched.current_url.endswith("/admin/")
    _assert_nothing_refused(watched)

    officer = get_user_model().objects.get(username="officer")
    _open(watched, f"/admin/auth/user/{officer.pk}/change/")
    assert watched.find_element(By.ID, "id_username").get_attribute("value") == "officer"
    _open(watched, "/admin/django_celery_beat/periodictask/add/")


def test_the_lock_out_page_is_accessible_and_offers_a_password_reset(watched, demo, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        sign_in(watched, "officer", "not the password")
    assert watched.find_element(By.TAG_NAME, "h1").text == "Too many attempts to sign in"
    _assert_nothing_refused(watched)
    assert_accessible(watched, "too-many-attempts")
    link = watched.find_element(By.LINK_TEXT, "reset your password by email")
    click_and_wait(watched, link)
    assert watched.find_element(By.TAG_NAME, "h1").text == "Reset your password"
