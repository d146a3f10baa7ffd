"""A serious violence strategy from its strategic needs assessment to
publication, in the browser, on a partnership of its own: the officer
writes the needs assessment and the strategy, records each required
consultee, sends the strategy to each specified authority; each authority's
representative signs it off; the officer adopts and publishes it. The
public read its summary and its PDF, never the restricted assessment; the
statutory duties page shows its annual review. axe-core on every page."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from milestones.models import SignOffRequest
from milestones.services import signoff_decide, signoff_request, signoff_review
from partnerships.models import BoardMembership
from reminders.duties import add_years
from strategy.models import StrategicAssessment, Strategy
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in
from tests.documents.conftest import pdf_text, squash
from tests.serious_violence import SV, authorities_at

pytestmark = pytest.mark.browser

RESTRICTED = "Restricted analysis: the cohort by school and ward."


def _fill_date(driver, name, day: dt.date):
    for suffix, value in (("0", day.day), ("1", day.month), ("2", day.year)):
        field = driver.find_element(By.NAME, f"{name}_{suffix}")
        field.clear()
        field.send_keys(str(value))


def _type(driver, name, text):
    field = driver.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def _submit(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form [type=submit]"))


def _sign_out(driver):
    driver.delete_all_cookies()


def test_a_serious_violence_strategy_from_needs_assessment_to_publication(browser):
    today = dt.date.today()
    officer = factories.MembershipFactory(partnership__name="Safer Riverside Partnership",
                                          partnership__area="Riverside").user
    partnership = officer.memberships.get().partnership
    board = factories.BoardFactory(partnership=partnership, name="Serious Violence Group",
                                   quorum=1)
    chair = factories.BoardMembershipFactory(board=board, role=BoardMembership.Role.CHAIR).user
    authorities = authorities_at(board)
    base = browser.base_url

    # The strategic needs assessment, with its local definition and summary.
    sign_in(browser, officer.username, factories.PASSWORD)
    browser.get(base + f"/partnerships/{partnership.slug}/needs-assessments/new/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Create a strategic needs assessment"
    _type(browser, "year", str(today.year))
    _type(browser, "title", f"Riverside Serious Violence Needs Assessment {today.year}")
    _submit(browser)
    assert "Enter the local definition of serious violence" in browser.page_source
    assert_accessible(browser, "sv-needs-assessment-errors")
    _type(browser, "local_definition", "Homicide, knife crime and violence causing injury.")
    _type(browser, "public_summary", "Most violence with injury happens in the evening.")
    _type(browser, "summary", RESTRICTED)
    browser.find_element(By.CSS_SELECTOR, "input[name=status][value=ready]").click()
    _submit(browser)
    needs = StrategicAssessment.objects.get(partnership=partnership, duty="serious_violence")
    assert "for the partnership's officers only" in browser.page_source
    assert_accessible(browser, "sv-needs-assessment")
    # The board signs the needs assessment off (as the sign-off tests do).
    (request,) = signoff_request(boards=[board], assessment=needs, by=officer)
    signoff_review(request=request, reviewer=chair, position="support")
    signoff_decide(request=request, by=chair, outcome="approved", decided_on=today,
                   minute_reference="SVG/1")

    # The strategy, informed by it.
    browser.get(base + f"/partnerships/{partnership.slug}/strategies/new/")
    _type(browser, "title", "Riverside Serious Violence Strategy")
    browser.find_element(By.CSS_SELECTOR, "input[name=duty][value=serious_violence]").click()
    browser.find_element(By.CSS_SELECTOR, "input[name=kind][value=full]").click()
    _fill_date(browser, "period_start", today)
    _fill_date(browser, "period_end", add_years(today, 3))
    browser.find_element(By.CSS_SELECTOR, f"input[name=assessments][value='{needs.pk}']").click()
    _submit(browser)
    strategy = Strategy.objects.get(partnership=partnership, duty="serious_violence")
    assert "Serious violence strategy" in browser.find_element(By.TAG_NAME, "main").text
    factories.MeasureFactory(objective__priority__strategy=strategy)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Start drafting']"))
    click_and_wait(browser, browser.find_element(By.XPATH,
                                                 "//button[text()='Send for sign-off']"))
    assert "There is no record that the prison authority was consulted" in browser.page_source
    assert_accessible(browser, "sv-strategy-sign-off")

    # Each required consultee, recorded with who, when, how and the evidence.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Consultees"))
    _submit(browser)
    assert "Choose which consultee was consulted" in browser.page_source
    assert_accessible(browser, "sv-consultees-errors")
    for kind, who in (("education", "Riverside heads' forum"), ("prison", "HMP Riverside"),
                      ("youth_custody", "Youth Custody Service, resettlement lead")):
        browser.find_element(By.CSS_SELECTOR, f"input[name=consultee_kind][value={kind}]").click()
        _type(browser, "consultee", who)
        _fill_date(browser, "consulted_on", today)
        browser.find_element(By.CSS_SELECTOR, "input[name=method][value=meeting]").click()
        _type(browser, "evidence", f"Note of the meeting with {who}.")
        click_and_wait(browser, browser.find_element(By.CSS_SELECTOR,
                                                     "#add-consultee [type=submit]"))
        assert f"Recorded: {who}" in browser.page_source
    assert "Every required consultee has been recorded as consulted." in browser.page_source
    assert_accessible(browser, "sv-consultees")

    # Sent to each specified authority, in turn, at the group.
    browser.get(base + strategy.get_absolute_url())
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ask each authority to sign off"))
    Select(browser.find_element(By.NAME, "first_board")).select_by_visible_text(board.name)
    for kind in SV.authority_kinds:
        box = browser.find_element(
            By.CSS_SELECTOR, f"input[name=authorities][value='{authorities[kind][0].pk}']")
        assert box.is_selected()
    assert_accessible(browser, "sv-signoff-new")
    _submit(browser)
    steps = list(SignOffRequest.objects.filter(strategy=strategy).order_by("step"))
    assert [s.authority.kind for s in steps] == list(SV.authority_kinds)

    # Each representative records their authority's sign-off.
    for number, step in enumerate(steps, start=1):
        _sign_out(browser)
        org, rep = authorities[step.authority.kind]
        sign_in(browser, rep.username, factories.PASSWORD)
        browser.get(base + f"/sign-offs/{step.pk}/")
        assert f"You represent {org.name} on this board" in browser.page_source
        if number == 1:
            assert_accessible(browser, "sv-authority-sign-off")
        browser.find_element(By.CSS_SELECTOR, "input[name=outcome][value=approved]").click()
        _fill_date(browser, "decided_on", today)
        _type(browser, "minute_reference", f"SVG/{number + 1}")
        click_and_wait(browser, browser.find_element(
            By.XPATH, "//button[text()='Record the decision']"))
        assert "Decision recorded: approved" in browser.page_source
    assert_accessible(browser, "sv-authority-signed")

    # Adopted and published by the officer.
    _sign_out(browser)
    sign_in(browser, officer.username, factories.PASSWORD)
    browser.get(base + strategy.get_absolute_url())
    assert "There is no record that" not in browser.page_source
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mark as adopted"))
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Confirm']"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Publish"))
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Confirm']"))
    assert "The strategy is now published." in browser.page_source
    strategy.refresh_from_db()
    assert strategy.status == Strategy.Status.PUBLISHED

    # The compliance page shows its annual review, a year after it took effect.
    browser.get(base + f"/reminders/{partnership.slug}/compliance/")
    row = browser.find_element(
        By.XPATH, "//th[contains(., 'Annual review of the serious violence strategy')]/..")
    assert add_years(today, 1).strftime("%-d %b %Y") in row.text.replace("\xa0", " ")
    assert_accessible(browser, "sv-compliance")

    # The public: the strategy, the needs assessment's summary only, the PDF.
    _sign_out(browser)
    browser.get(base + strategy.get_public_url())
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Homicide, knife crime and violence causing injury." in page
    assert_accessible(browser, "sv-public-strategy")
    click_and_wait(browser, browser.find_element(
        By.PARTIAL_LINK_TEXT, "Summary of the strategic needs assessment"))
    page = browser.find_element(By.TAG_NAME, "main").text
    assert "Most violence with injury happens in the evening." in page
    assert RESTRICTED not in browser.page_source
    assert_accessible(browser, "sv-public-needs-summary")
    browser.get(base + needs.get_absolute_url())
    assert RESTRICTED not in browser.page_source  # the sign-in page, not the assessment

    pdf_url = base + f"/strategies/{strategy.slug}/strategy.pdf"
    with urllib.request.urlopen(pdf_url, timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        text = squash(pdf_text(response.read()))
    assert "Riverside Serious Violence Strategy" in text
    assert "Serious Violence Duty" in text
    assert "Strategic needs assessment" in text
    assert "HMP Riverside" in text
    assert RESTRICTED not in text
    # The sign-off record: one approval by each authority, of this text.
    assert "Sign-offs by the authorities and boards" in text
    assert text.count("Approved") >= len(SV.authority_kinds)
