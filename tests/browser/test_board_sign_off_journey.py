"""A board chair signs off the demo's draft refresh; an officer looks after
the plan. axe-core on every page visited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from milestones.models import Milestone, SignOffRequest
from partnerships.demo import DEMO_PASSWORD
from strategy.models import Strategy
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _fill_date(driver, name, day, month, year):
    for suffix, value in (("0", day), ("1", month), ("2", year)):
        field = driver.find_element(By.NAME, f"{name}_{suffix}")
        field.clear()
        field.send_keys(value)


def test_the_chair_opens_the_pending_sign_off_sees_what_changed_and_approves(browser, demo):
    pending = SignOffRequest.objects.pending().get(board__slug="management-board")
    sign_in(browser, "chair", DEMO_PASSWORD)
    assert_accessible(browser, "governance-dashboard-chair")

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Board reviews"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Board reviews"
    assert "Decision to record" in browser.page_source
    assert_accessible(browser, "governance-board-reviews")

    click_and_wait(browser, browser.find_element(
        By.CSS_SELECTOR, f"a[href='{reverse('milestones:signoff', args=[pending.pk])}']"
    ))
    changes = browser.find_element(By.ID, "what-changed")
    assert changes.text == "What changed"
    # Since the first draft of the refresh: the priority partners proposed.
    changed = changes.find_element(By.XPATH, "..").text
    assert "Protecting people from fraud and online harm" in changed
    consulted = browser.find_element(By.ID, "consultation").find_element(By.XPATH, "..").text
    assert pending.strategy.consultations.get().title in consulted
    assert pending.content_hash in browser.page_source
    assert_accessible(browser, "governance-sign-off-review")

    browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=approved]").click()
    today = timezone.localdate()
    _fill_date(browser, "decided_on", str(today.day), str(today.month), str(today.year))
    browser.find_element(By.NAME, "minute_reference").send_keys(f"MB/{today:%Y/%m}/7")
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[normalize-space()='Record the decision']"
    ))
    assert "Decision recorded: approved" in browser.page_source
    assert_accessible(browser, "governance-sign-off-approved")

    pending.refresh_from_db()
    assert pending.decision.outcome == "approved"
    assert pending.decision.content_hash == pending.content_hash
    agreed = Milestone.objects.get(
        title="Draft refresh agreed in principle by MK Together Management Board"
    )
    assert agreed.status == Milestone.Status.DONE


def test_a_decision_form_with_mistakes_shows_an_error_summary_that_passes_axe(browser, demo):
    pending = SignOffRequest.objects.pending().get(board__slug="management-board")
    sign_in(browser, "chair", DEMO_PASSWORD)
    browser.get(browser.base_url + reverse("milestones:signoff", args=[pending.pk]))
    browser.find_element(By.CSS_SELECTOR,
                         "input[name=outcome][value=approved_with_conditions]").click()
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[normalize-space()='Record the decision']"
    ))
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    assert "Enter the conditions of the approval" in summary.text
    assert "Enter the date of the decision" in summary.text
    assert browser.title.startswith("Error: ")
    assert_accessible(browser, "governance-sign-off-errors")


def test_an_officer_works_the_plan_and_reschedules_with_a_reason(browser, demo):
    strategy = Strategy.objects.get(partnership=demo, kind="refresh")
    sign_in(browser, "officer", DEMO_PASSWORD)
    browser.get(browser.base_url + reverse("milestones:plan", args=[strategy.slug]))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Plan and timeline"
    assert_accessible(browser, "governance-plan")

    click_and_wait(browser, browser.find_element(
        By.LINK_TEXT, "Draft refresh agreed in principle by MK Together Management Board"
    ))
    assert_accessible(browser, "governance-milestone")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Reschedule"))
    assert_accessible(browser, "governance-reschedule")
    later = timezone.localdate() + dt.timedelta(days=14)
    _fill_date(browser, "due_date", str(later.day), str(later.month), str(later.year))
    browser.find_element(By.NAME, "reason").send_keys("The Management Board meets a week later")
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[normalize-space()='Reschedule']"
    ))
    assert "Rescheduled: The Management Board meets a week later" in browser.page_source

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Edit"))
    assert_accessible(browser, "governance-milestone-edit")

    browser.get(browser.base_url + reverse("milestones:signoff_new", args=[strategy.slug]))
    Select(browser.find_element(By.NAME, "first_board")).select_by_visible_text("Risk Board")
    assert_accessible(browser, "governance-sign-off-new")

    browser.get(browser.base_url + reverse(
        "milestones:plan_generate", args=["safermk-strategy-2018-2021"]
    ))
    assert_accessible(browser, "governance-plan-generate")

    browser.get(browser.base_url + reverse("milestones:calendar"))
    assert ".ics" in browser.find_element(By.ID, "feed-url").get_attribute("value")
    assert_accessible(browser, "governance-calendar")


def test_the_public_approvals_page_passes_axe(browser, demo):
    browser.get(browser.base_url + reverse("milestones:approvals",
                                           args=["safermk-strategy-2018-2021"]))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Board approvals"
    assert_accessible(browser, "governance-approvals")
