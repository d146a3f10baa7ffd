"""A resident on a 320-pixel phone saves half-way, comes back with the
link in a fresh browser, finishes and gets the receipt; then follows the
consultation's results, confirms, gets the results e-mail once and
unsubscribes. Mail is Django's in-memory outbox; tasks run at once after
each commit, as the worker would. axe-core on every page."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from consultation.models import ReceiptRequest, Response, SavedJourney
from subscriptions import services as subscription_services
from subscriptions.models import Subscription
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait
from tests.consultation.factories import open_consultation
from tests.subscriptions.helpers import publish_results

pytestmark = pytest.mark.browser


def _path(body: str, part: str) -> str:
    return re.search(r"https?://[^/\s]+(\S*" + re.escape(part) + r"\S*)", body).group(1)


def _check(driver, name):
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert_accessible(driver, name)
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 320, f"{driver.current_url} scrolls sideways at 320 px ({width}px)"


def _choose(driver, input_id):
    driver.find_element(By.CSS_SELECTOR, f"label[for='{input_id}']").click()


def _answer_section(driver):
    for group in driver.find_elements(By.CSS_SELECTOR, "main .govuk-radios"):
        _choose(driver, group.find_element(By.CSS_SELECTOR, ".govuk-radios__input")
                .get_attribute("id"))
    boxes = driver.find_elements(By.CSS_SELECTOR, "main .govuk-checkboxes__input")
    if boxes:
        _choose(driver, boxes[0].get_attribute("id"))
    for rank, select in enumerate(
        driver.find_elements(By.CSS_SELECTOR, "main select.govuk-select"), start=1
    ):
        Select(select).select_by_value(str(rank))
    for area in driver.find_elements(By.CSS_SELECTOR, "main textarea"):
        area.send_keys("Brighter underpasses, please.")


def _continue(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button.govuk-button"))


def _fill(driver, field_id, text):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(text)


def test_save_come_back_finish_get_a_receipt_and_follow_the_results(
    browser, installation_plan_templates
):
    partnership = factories.PartnershipFactory(name="Riverside Community Safety Partnership")
    factories.PartnershipFactory(name="Hilltop Safety Partnership")
    consultation = open_consultation(partnership, title="Riverside draft strategy")
    base = browser.base_url
    browser.set_window_size(320, 900)

    # Start, answer the first page, and save it for later.
    browser.get(base + f"/consultations/{consultation.slug}/respond/")
    _check(browser, "save-start-320")
    _choose(browser, "id_audience_1")
    _choose(browser, "id_consent")
    _continue(browser)
    _check(browser, "save-step-1-320")
    _answer_section(browser)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "button[name=save_later]"))
    assert "/respond/saved/" in browser.current_url
    _check(browser, "saved-320")
    link = browser.find_element(By.ID, "saved-link").get_attribute("href")
    # A wrong address is named next to its field; then the link is e-mailed.
    _fill(browser, "id_email", "not an address")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert browser.title.startswith("Error: ")
    _check(browser, "saved-error-320")
    _fill(browser, "id_email", "resident@example.org")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert "We are e-mailing you the link" in browser.page_source
    (emailed,) = mail.outbox
    assert _path(emailed.body, "/respond/continue/").split("/continue/")[0] in link
    assert SavedJourney.objects.get().email == ""

    # Another day: a fresh browser session opens the link and carries on.
    browser.delete_all_cookies()
    browser.get(base + _path(emailed.body, "/respond/continue/"))
    _check(browser, "continue-320")
    _continue(browser)
    assert browser.current_url.endswith(f"/consultations/{consultation.slug}/respond/1/")
    assert browser.find_elements(By.CSS_SELECTOR, "main input[type=radio]:checked")
    _continue(browser)
    pages = 0
    while "/respond/check/" not in browser.current_url:
        pages += 1
        assert pages < 8, "the journey did not reach check your answers"
        _check(browser, f"save-step-{pages + 1}-320")
        if "/about-you/" not in browser.current_url:
            _answer_section(browser)
        _continue(browser)

    # Check your answers: a receipt by e-mail.
    _check(browser, "check-320")
    _fill(browser, "id_receipt_email", "resident@example")
    _continue(browser)
    assert browser.title.startswith("Error: ") and not Response.objects.exists()
    _check(browser, "check-error-320")
    _fill(browser, "id_receipt_email", "resident@example.org")
    _continue(browser)
    assert "/respond/confirmation/" in browser.current_url
    _check(browser, "confirmation-320")
    reference = browser.find_element(By.CSS_SELECTOR, ".smk-reference").text
    response = Response.objects.get(reference=reference)
    assert response.answers.filter(text__startswith="Brighter underpasses").exists()
    receipt = mail.outbox[-1]
    assert receipt.to == ["resident@example.org"] and reference in receipt.body
    assert "Brighter underpasses" in receipt.body
    assert not ReceiptRequest.objects.exists()

    # The saved link has been used: it gets a clear page and changes nothing.
    browser.get(link)
    assert "This link has already been used" in browser.page_source
    assert not browser.find_elements(By.CSS_SELECTOR, "main form")
    _check(browser, "continue-used-320")

    # Follow the results from the confirmation page.
    browser.get(base + f"/consultations/{consultation.slug}/respond/confirmation/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Get the results by e-mail"))
    _check(browser, "follow-320")
    assert "Riverside Community Safety Partnership" in browser.page_source
    _continue(browser)
    assert browser.title.startswith("Error: ")
    _check(browser, "follow-error-320")
    _fill(browser, "id_email", "resident@example.org")
    _continue(browser)
    _check(browser, "follow-sent-320")
    confirmation = mail.outbox[-1]
    assert "Confirm" in confirmation.subject
    sent_before = len(mail.outbox)
    browser.get(base + _path(confirmation.body, "/follow/confirm/"))
    _check(browser, "follow-confirm-320")
    assert Subscription.objects.get().confirmed_at is None
    _continue(browser)
    assert "You are subscribed" in browser.page_source
    _check(browser, "follow-confirmed-320")
    assert len(mail.outbox) == sent_before  # confirming sends nothing itself

    # The partnership publishes its results: one e-mail, however often the sweep runs.
    publish_results(consultation)
    from django.utils import timezone

    later = timezone.now() + subscription_services.CLAIM_TIMEOUT * 2
    subscription_services.subscriptions_sweep(now=later)
    results = [m for m in mail.outbox if "Results published" in m.subject]
    assert len(results) == 1 and results[0].to == ["resident@example.org"]
    assert results[0].extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    browser.get(base + _path(results[0].body, "/follow/unsubscribe/"))
    _check(browser, "unsubscribe-320")
    _continue(browser)
    assert "You are unsubscribed" in browser.page_source
    _check(browser, "unsubscribed-320")
    assert not Subscription.objects.exists()
