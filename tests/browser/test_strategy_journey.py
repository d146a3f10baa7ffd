"""An officer builds a strategy in the browser, from a new strategy to its
first measurement; and the demo's strategy pages pass axe-core."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from partnerships.demo import DEMO_PASSWORD
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _type(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def _date(driver, name: str, day: str, month: str, year: str) -> None:
    _type(driver, f"id_{name}_0", day)
    _type(driver, f"id_{name}_1", month)
    _type(driver, f"id_{name}_2", year)


def _click_link(driver, text: str) -> None:
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, text))


def _submit(driver) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def _h1(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def test_an_officer_goes_from_a_new_strategy_to_its_first_measurement(browser):
    membership = factories.MembershipFactory()
    factories.OrganisationFactory(partnership=membership.partnership, name="Town Police")
    sign_in(browser, membership.user.username, factories.PASSWORD)

    browser.get(browser.base_url + "/manage/strategies/")
    assert _h1(browser) == "Your strategies"
    assert_accessible(browser, "strategy-list")

    _click_link(browser, "Create a strategy")
    assert_accessible(browser, "strategy-create")
    _submit(browser)  # nothing filled in: the errors say what to fix
    assert browser.title.startswith("Error: ")
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary").text
    assert "Enter the strategy's title" in summary
    assert "Enter the first day of the period" in summary
    assert_accessible(browser, "strategy-create-errors")

    _type(browser, "id_title", "Town Community Safety Strategy 2025–2028")
    _date(browser, "period_start", "1", "4", "2025")
    _date(browser, "period_end", "31", "3", "2028")
    _type(browser, "id_pcc_plan_reference", "Police and Crime Plan 2025–2029")
    _submit(browser)
    assert _h1(browser) == "Town Community Safety Strategy 2025–2028"
    assert_accessible(browser, "strategy-detail-new")

    _click_link(browser, "Add a priority")
    assert_accessible(browser, "priority-create")
    _type(browser, "id_title", "Reducing violence against women and girls")
    _submit(browser)
    assert "Reducing violence against women and girls" in browser.page_source
    assert_accessible(browser, "strategy-detail-priority")

    _click_link(browser, "Add an objective")
    assert_accessible(browser, "objective-create")
    _type(browser, "id_title", "Make the town centre safer at night")
    Select(browser.find_element(By.ID, "id_lead_organisation")).select_by_visible_text(
        "Town Police"
    )
    _submit(browser)
    assert "Make the town centre safer at night" in browser.page_source

    _click_link(browser, "Add a performance measure")
    assert_accessible(browser, "measure-create")
    _type(browser, "id_title", "Sexual offences reported in the night-time economy")
    _type(browser, "id_unit", "offences")
    _type(browser, "id_baseline_value", "120")
    _date(browser, "baseline_date", "31", "3", "2025")
    _type(browser, "id_target_value", "90")
    _date(browser, "target_date", "31", "3", "2028")
    browser.find_element(By.CSS_SELECTOR, "input[name=direction][value=lower]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=frequency][value=quarterly]").click()
    _type(browser, "id_data_source", "Police recorded crime")
    _submit(browser)
    assert _h1(browser) == "Sexual offences reported in the night-time economy"
    assert "No data" in browser.page_source
    assert_accessible(browser, "measure-detail-empty")

    _click_link(browser, "Record a measurement")
    assert_accessible(browser, "measurement-create")
    _date(browser, "period_end", "30", "6", "2025")
    _type(browser, "id_value", "112")
    _type(browser, "id_note", "Includes the summer festival weekend.")
    _submit(browser)
    assert "Measurement recorded" in browser.page_source
    table = browser.find_element(By.CSS_SELECTOR, "main table").text
    assert "30 Jun 2025" in table and "112" in table
    assert "On track" in browser.page_source
    assert_accessible(browser, "measure-detail")


DEMO_PAGES = [
    ("strategy-2018-detail", "/strategies/safermk-strategy-2018-2021/manage/"),
    ("strategy-2022-detail", "/strategies/safermk-strategy-2022/manage/"),
    ("strategy-2022-proposals", "/strategies/safermk-strategy-2022/proposals/"),
    # Adoption awaits the Management Board: the page says why, with no button.
    ("strategy-2022-adopt", "/strategies/safermk-strategy-2022/transition/adopted/"),
    ("strategy-2018-versions", "/strategies/safermk-strategy-2018-2021/versions/"),
    ("strategy-2018-version-1", "/strategies/safermk-strategy-2018-2021/versions/1/"),
    ("strategy-2018-compare", "/strategies/safermk-strategy-2018-2021/versions/compare/"),
    ("strategy-2022-history", "/strategies/safermk-strategy-2022/history/"),
    ("assessment-list", "/manage/assessments/"),
    ("assessment-2021", "/partnerships/safermk/assessments/2021/"),
    ("dashboard-strategies", "/dashboard/"),
]


def test_the_demo_strategy_pages_pass_axe(browser, demo):
    browser.get(browser.base_url + "/strategies/")
    assert_accessible(browser, "public-strategies")
    _click_link(browser, "SaferMK Community Safety Strategy 2018–2021")
    # The strategy page is a summary: each priority, its objectives and how its targets stand.
    assert "Reducing the number of violent incidences" in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, ".smk-priority-summary .smk-status-counts")
    assert_accessible(browser, "public-strategy-2018")

    # A priority's own page: every target with its trend chart and its figures.
    _click_link(browser, "Reducing the number of violent incidences")
    assert _h1(browser) == "Reducing the number of violent incidences"
    assert browser.find_elements(By.CSS_SELECTOR, "svg.smk-chart")
    browser.find_element(By.CSS_SELECTOR, "details summary").click()
    figures = browser.find_element(By.CSS_SELECTOR, "details .govuk-details__text table")
    assert figures.is_displayed()
    assert_accessible(browser, "public-strategy-2018-priority")

    sign_in(browser, "officer", DEMO_PASSWORD)
    for name, path in DEMO_PAGES:
        browser.get(browser.base_url + path)
        assert browser.find_elements(By.TAG_NAME, "h1"), path
        assert_accessible(browser, name)
