"""A resident asks for their response to be deleted; an officer decides it;
an administrator finds it in the audit and prints the records of
processing. axe-core on every page, at 1280 pixels and at 320."""

import pytest
from selenium.webdriver.common.by import By

from consultation.models import Response
from partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _both_widths(browser, name):
    assert_accessible(browser, name)
    browser.set_window_size(320, 1000)
    assert_accessible(browser, f"{name}-320")
    browser.set_window_size(1280, 1000)


def test_an_erasure_from_request_to_audit(browser, demo):
    response = Response.objects.filter(
        consultation__partnership=demo, erased_at__isnull=True
    ).filter(answers__question__kind="text").order_by("pk").first()

    browser.get(browser.base_url + "/consultations/your-response/")
    submit = browser.find_element(By.CSS_SELECTOR, "main form [type=submit]")
    click_and_wait(browser, submit)
    assert browser.title.startswith("Error: ")
    assert_accessible(browser, "your-response-errors")
    browser.find_element(By.ID, "id_reference").send_keys(response.reference)
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=erasure]").click()
    browser.find_element(By.ID, "id_email").send_keys("resident@example.org")
    _both_widths(browser, "your-response")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form [type=submit]"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Request sent"
    assert_accessible(browser, "your-response-sent")

    sign_in(browser, "officer", DEMO_PASSWORD)
    browser.get(browser.base_url + "/consultations/manage/")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, demo.name))
    _both_widths(browser, "rights-requests")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, response.reference))
    _both_widths(browser, "rights-request")
    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=erased]").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form [type=submit]"))
    assert "Response deleted" in browser.find_element(By.TAG_NAME, "main").text
    response.refresh_from_db()
    assert response.erased_at is not None

    browser.delete_all_cookies()
    sign_in(browser, "admin", DEMO_PASSWORD)
    browser.get(browser.base_url + f"/manage/partnership/{demo.slug}/audit/?action=erasure")
    assert "Erased response" in browser.find_element(By.TAG_NAME, "main").text
    _both_widths(browser, "audit")
    browser.get(browser.base_url + f"/manage/partnership/{demo.slug}/records-of-processing/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Records of processing"
    _both_widths(browser, "records-of-processing")
