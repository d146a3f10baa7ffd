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


def test_the_report_pdf_pages_while_it_is_made_ready_or_failed_have_no_accessibility_problems(
    browser, demo  # noqa: F811
):
    from documents.models import PartnershipReport, ReportDocument
    from documents.services import report_content_hash, report_document_render

    report = PartnershipReport.objects.get(title="SaferMK Strategy Development 2018/21")
    # Asked for a moment ago and waiting for the worker.
    document = ReportDocument.objects.create(
        report=report, content_hash=report_content_hash(report)
    )
    sign_in(browser, "officer", DEMO_PASSWORD)
    url = f"{browser.base_url}/documents/reports/{report.pk}/report.pdf"
    browser.get(url)
    assert browser.title.startswith("The report PDF is being prepared")
    assert_accessible(browser, "documents-report-pdf-being-prepared")

    report_document_render(document_id=document.pk)  # what the worker does
    browser.get(url + "?waiting=1")
    assert browser.title.startswith("The report PDF is ready")
    assert_accessible(browser, "documents-report-pdf-ready")

    ReportDocument.objects.filter(pk=document.pk).update(status="failed", error="RuntimeError")
    browser.get(url)
    assert browser.title.startswith("The report PDF could not be made")
    assert browser.find_element(By.XPATH, "//button[contains(., 'Try again')]")
    assert_accessible(browser, "documents-report-pdf-failed")
