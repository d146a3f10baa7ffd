"""Actions from recommendations and the ASB case review figures in a real
browser: a partner officer marks their organisation's late action done; an
officer reads the board report, the review and the figures; the public reads
the published figures. axe-core on every page, at 1280 pixels and at 320."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from partnerships.demo import DEMO_PASSWORD
from reviews.models import Action
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _both_widths(browser, name):
    assert_accessible(browser, name)
    browser.set_window_size(320, 1000)
    assert_accessible(browser, f"{name}-320")
    browser.set_window_size(1280, 1000)


def _submit(browser):
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form[method=post] "
                                                                  "[type=submit]"))


def test_a_late_action_is_marked_done_and_the_figures_are_published(browser, demo):
    late = Action.objects.get(partnership=demo, owner__short_name="TVP",
                              status=Action.Status.IN_PROGRESS)
    sign_in(browser, "police", DEMO_PASSWORD)
    browser.get(browser.base_url + "/dashboard/")
    assert "Actions from recommendations" in browser.find_element(By.TAG_NAME, "main").text
    _both_widths(browser, "review-actions-dashboard")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "All actions"))
    table = browser.find_element(By.CSS_SELECTOR, "main table").text
    assert "Overdue" in table and "Milton Keynes Council" not in table
    _both_widths(browser, "review-actions-partner")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Add a domestic abuse"))
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=done]").click()
    _submit(browser)
    assert browser.title.startswith("Error: ")
    _both_widths(browser, "review-action-errors")
    today = timezone.localdate()
    browser.find_element(By.ID, "id_done_on_0").send_keys(str(today.day))
    browser.find_element(By.ID, "id_done_on_1").send_keys(str(today.month))
    browser.find_element(By.ID, "id_done_on_2").send_keys(str(today.year))
    browser.find_element(By.ID, "id_evidence").send_keys("New referral form in use.")
    _submit(browser)
    assert "The action is done" in browser.find_element(By.TAG_NAME, "main").text
    late.refresh_from_db()
    assert (late.status, late.done_on) == (Action.Status.DONE, today)

    browser.delete_all_cookies()
    sign_in(browser, "officer", DEMO_PASSWORD)
    browser.get(browser.base_url + f"/manage/partnership/{demo.slug}/actions/board-report/")
    _both_widths(browser, "review-board-report")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Reviews"))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "DARDR"))
    assert ("Awaiting Home Office quality assurance"
            in browser.find_element(By.TAG_NAME, "main").text)
    _both_widths(browser, "review-dardr")
    browser.get(browser.base_url + f"/manage/partnership/{demo.slug}/asb-case-reviews/")
    _submit(browser)
    assert browser.title.startswith("Error: ")
    _both_widths(browser, "review-asb-errors")

    browser.delete_all_cookies()
    browser.get(browser.base_url + f"/partnerships/{demo.slug}/")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "every year’s figures"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "ASB case reviews"
    _both_widths(browser, "public-asb-case-reviews")
