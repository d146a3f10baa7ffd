"""The officer's document pages in a real browser, checked with axe-core."""

import pytest
from selenium.webdriver.common.by import By

from partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import (  # noqa: F401 - the browser fixture
    assert_accessible,
    browser,
    click_and_wait,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_an_officer_finds_the_strategy_pdf_and_writes_a_report_with_no_accessibility_problems(
    browser, demo  # noqa: F811
):
    sign_in(browser, "officer", DEMO_PASSWORD)
    browser.get(browser.base_url + "/documents/strategies/safermk-strategy-2018-2021/")
    assert "Download PDF" in browser.page_source
    assert_accessible(browser, "documents-strategy")

    browser.get(browser.base_url + "/documents/safermk/reports/")
    assert_accessible(browser, "documents-report-list")
    report_link = browser.find_element(By.LINK_TEXT, "SaferMK Strategy Development 2018/21")
    click_and_wait(browser, report_link)
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Subject:")
    assert_accessible(browser, "documents-report-preview")

    browser.get(browser.base_url + "/documents/strategies/safermk-strategy-2022/reports/new/")
    assert_accessible(browser, "documents-report-form")
    browser.find_element(By.ID, "id_author_name").clear()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button.govuk-button"))
    assert browser.title.startswith("Error: ")
    assert "Enter the subject of the report" in browser.find_element(
        By.CSS_SELECTOR, ".govuk-error-summary"
    ).text
    assert_accessible(browser, "documents-report-form-error")
