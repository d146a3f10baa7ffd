"""An officer's journey through notices, the statutory duties and their
reminder preferences, in a real browser with axe-core on every page."""

import pytest
from selenium.webdriver.common.by import By

from partnerships.demo import DEMO_PASSWORD
from reminders.models import DutyRecord, Notice, ReminderPreferences
from tests.browser.conftest import (  # noqa: F401 - the browser fixture
    assert_accessible,
    browser,
    click_and_wait,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_officer_reads_notices_records_a_duty_and_chooses_the_digest(browser, demo):  # noqa: F811
    sign_in(browser, "officer", DEMO_PASSWORD)
    panel = browser.find_element(By.CSS_SELECTOR, "[aria-labelledby=notices-heading]")
    assert (
        "Milestone due in 7 days: Draft refresh agreed in principle by MK Together Management "
        "Board" in panel.text
    )
    assert_accessible(browser, "reminders-dashboard")

    unread = Notice.objects.filter(recipient__username="officer", read_at__isnull=True).count()
    click_and_wait(browser, panel.find_element(By.CSS_SELECTOR, "form button"))
    assert browser.current_url.endswith("/dashboard/")
    assert Notice.objects.filter(recipient__username="officer", read_at__isnull=True).count() == (
        unread - 1
    )

    browser.get(browser.base_url + "/reminders/safermk/compliance/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Statutory duties"
    # The demo's partnership is on top of its duties: the annual consultation
    # is due soon (one is open), nothing is overdue.
    assert "Overdue" not in browser.page_source and "Due soon" in browser.page_source
    assert_accessible(browser, "reminders-compliance")

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Record a duty"))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert browser.title.startswith("Error: ")
    assert "Enter the date it was done" in browser.page_source
    assert_accessible(browser, "reminders-duty-record-error")

    browser.find_element(By.CSS_SELECTOR, "input[value=scrutiny]").click()
    browser.find_element(By.ID, "id_done_on").send_keys("9 11 2022")
    browser.find_element(By.ID, "id_note").send_keys("Committee review")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert "Committee review" in browser.page_source
    assert DutyRecord.objects.filter(note="Committee review").exists()

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Change when reminders are sent"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "When reminders are sent"
    assert_accessible(browser, "reminders-settings")

    browser.get(browser.base_url + "/reminders/preferences/")
    assert_accessible(browser, "reminders-preferences")
    browser.find_element(By.CSS_SELECTOR, "input[name=daily_digest][value='1']").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button"))
    assert "Your reminder preferences are saved." in browser.page_source
    assert ReminderPreferences.objects.get(user__username="officer").daily_digest
