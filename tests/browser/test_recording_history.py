"""A partnership adopting the service mid-cycle enters what already happened,
in the browser: a past consultation with its results, and a lifecycle step
with the day it happened. Every page, errors included, passes axe-core."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from consultation.models import Consultation
from strategy.models import Strategy
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser

RECORD = "//button[text()='Record the consultation']"


def _type(browser, field_id: str, text: str) -> None:
    element = browser.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def test_an_officer_records_a_past_consultation_and_a_step_with_its_date(browser):
    membership = factories.MembershipFactory()
    strategy = factories.StrategyFactory(partnership=membership.partnership,
                                         title="Safer Town strategy 2023-26")
    factories.PriorityFactory(strategy=strategy)
    sign_in(browser, membership.user.username, factories.PASSWORD)

    browser.get(browser.base_url + "/consultations/manage/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Record a past consultation"))
    assert_accessible(browser, "record-past-consultation")
    Select(browser.find_element(By.ID, "id_strategy")).select_by_visible_text(strategy.title)
    _type(browser, "id_title", "Have your say on the 2023-26 strategy")
    _type(browser, "id_slug", "have-your-say-2022")
    _type(browser, "id_summary", "The draft strategy, consulted on in autumn 2022.")
    for prefix, (day, month, year) in (("opens_on", ("3", "10", "2022")),
                                       ("closes_on", ("23", "12", "2030"))):
        for index, value in enumerate((day, month, year)):
            _type(browser, f"id_{prefix}_{index}", value)
    _type(browser, "id_responses_online", "412")
    _type(browser, "id_responses_paper", "37")
    _type(browser, "id_findings", "Most people agreed with the priorities.")
    _type(browser, "id_headline_figures", "78% agreed with the draft priorities")
    click_and_wait(browser, browser.find_element(By.XPATH, RECORD))
    assert "There is a problem" in browser.page_source
    assert "The closing date must be in the past" in browser.page_source
    assert_accessible(browser, "record-past-consultation-error")

    _type(browser, "id_closes_on_2", "2022")
    click_and_wait(browser, browser.find_element(By.XPATH, RECORD))
    consultation = Consultation.objects.get()
    assert consultation.is_historical
    assert "Historical record" in browser.page_source
    assert_accessible(browser, "historical-consultation-officer")

    browser.get(browser.base_url + f"/consultations/{consultation.slug}/results/")
    assert "449 responses" in browser.page_source
    assert_accessible(browser, "historical-consultation-results")

    browser.get(browser.base_url + strategy.get_absolute_url())
    click_and_wait(browser, browser.find_element(
        By.LINK_TEXT, "Record a step that happened on an earlier date"
    ))
    assert_accessible(browser, "record-earlier-step")
    browser.find_element(By.CSS_SELECTOR, "input[value='drafting']").click()
    for index, value in enumerate(("31", "2", "2022")):
        _type(browser, f"id_happened_on_{index}", value)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Record the step']"))
    assert "The date it happened must be a real date" in browser.page_source
    assert_accessible(browser, "record-earlier-step-error")
    _type(browser, "id_happened_on_0", "20")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Record the step']"))
    assert Strategy.objects.get(pk=strategy.pk).status == Strategy.Status.DRAFTING
    assert "Recorded later" in browser.page_source
    browser.get(browser.base_url + strategy.get_absolute_url() + "#transitions")
    assert_accessible(browser, "lifecycle-history-backdated")
