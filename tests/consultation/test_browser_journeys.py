"""The demo's open consultation answered in a real browser on a phone-sized window,
as a member of the public and as a pupil with a class code, with axe-core
on every page."""

import datetime as dt

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from consultation.models import Consultation, Response
from tests.browser.conftest import assert_accessible, click_and_wait

pytestmark = pytest.mark.browser


@pytest.fixture
def reopened(demo):
    """The demo's consultation that is open today (on the annual refresh)."""
    return Consultation.objects.open_at(timezone.now()).get(partnership=demo)


def _choose(driver, input_id):
    driver.find_element(By.CSS_SELECTOR, f"label[for='{input_id}']").click()


def _continue(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button.govuk-button"))


def _answer_section(driver):
    """Pick the first option of every radios group, rank the priorities and
    write a comment, like a person would."""
    groups = driver.find_elements(By.CSS_SELECTOR, "main .govuk-radios")
    for group in groups:
        first = group.find_element(By.CSS_SELECTOR, ".govuk-radios__input")
        _choose(driver, first.get_attribute("id"))
    boxes = driver.find_elements(By.CSS_SELECTOR, "main .govuk-checkboxes__input")
    if boxes:
        _choose(driver, boxes[0].get_attribute("id"))
    selects = driver.find_elements(By.CSS_SELECTOR, "main select.govuk-select")
    for rank, select in enumerate(selects, start=1):
        Select(select).select_by_value(str(rank))
    for area in driver.find_elements(By.CSS_SELECTOR, "main textarea"):
        area.send_keys("Better lighting on the redways, please.")


def _assert_phone_width(driver):
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 375, f"the page scrolls sideways on a phone ({width}px wide)"


def test_a_member_of_the_public_answers_the_demo_consultation_on_a_phone(browser, reopened):
    browser.set_window_size(375, 812)
    base = browser.base_url
    browser.get(base + "/consultations/")
    assert_accessible(browser, "consultation-list-phone")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, reopened.title))
    assert_accessible(browser, "consultation-detail-phone")
    _assert_phone_width(browser)

    # From the home page, "Respond now" is one click from the start page.
    browser.get(base + "/")
    assert_accessible(browser, "home-phone")
    _assert_phone_width(browser)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Respond now"))
    assert browser.current_url.endswith(f"/consultations/{reopened.slug}/respond/")

    # Forgetting consent shows an error summary, which must be accessible too.
    _choose(browser, "id_audience_1")
    _continue(browser)
    assert browser.title.startswith("Error: ")
    assert_accessible(browser, "consultation-start-error-phone")
    _choose(browser, "id_consent")
    _continue(browser)

    pages = 0
    while "/respond/check/" not in browser.current_url:
        pages += 1
        assert pages < 10, "the journey did not reach check your answers"
        assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
        assert_accessible(browser, f"consultation-public-step-{pages}-phone")
        _assert_phone_width(browser)
        if "/about-you/" in browser.current_url:
            _choose(browser, "id_age_band_2")
        else:
            _answer_section(browser)
        _continue(browser)

    assert_accessible(browser, "consultation-check-phone")
    _assert_phone_width(browser)
    _continue(browser)
    assert "/respond/confirmation/" in browser.current_url
    assert_accessible(browser, "consultation-confirmation-phone")
    reference = browser.find_element(By.CSS_SELECTOR, ".smk-reference").text
    response = Response.objects.get(reference=reference)
    assert response.audience == "public" and response.channel == "online"
    assert response.answers.filter(text__startswith="Better lighting").exists()


def test_a_pupil_answers_the_demo_consultation_with_a_class_code_on_a_phone(browser, reopened):
    browser.set_window_size(375, 812)
    browser.get(browser.base_url + reopened.get_absolute_url())
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Use your class code"))
    assert_accessible(browser, "consultation-schools-phone")
    browser.find_element(By.ID, "id_code").send_keys("mk9cpa")
    _choose(browser, "id_age_band_2")
    _continue(browser)

    assert "/schools/privacy/" in browser.current_url
    _continue(browser)  # without ticking the box: an error summary
    assert_accessible(browser, "consultation-pupil-privacy-error-phone")
    assert "/schools/privacy/" in browser.current_url
    _assert_phone_width(browser)
    _choose(browser, "id_consent")
    _continue(browser)

    pages = 0
    while "/respond/check/" not in browser.current_url:
        pages += 1
        assert pages < 6
        assert_accessible(browser, f"consultation-pupil-step-{pages}-phone")
        _assert_phone_width(browser)
        _answer_section(browser)
        _continue(browser)
    assert_accessible(browser, "consultation-pupil-check-phone")
    _continue(browser)
    assert_accessible(browser, "consultation-pupil-confirmation-phone")
    reference = browser.find_element(By.CSS_SELECTOR, ".smk-reference").text
    response = Response.objects.get(reference=reference)
    assert response.audience == "young_people"
    assert response.class_code.school == "Campbell Park Academy"
    assert response.consent is True
    assert not hasattr(response, "equality") or response.equality is None


OFFICER_PAGES = ["manage", "questions", "class_codes", "paper_entry", "analysis", "free_text",
                 "comments", "themes", "edit"]


def test_the_officer_pages_of_the_demo_consultation_pass_axe(browser, demo):
    from django.urls import reverse

    from partnerships.demo import DEMO_PASSWORD
    from tests.browser.conftest import sign_in

    # The closed 2021-22 consultation, with its themes and results.
    consultation = Consultation.objects.get(slug="safermk-strategy-2022-consultation")
    sign_in(browser, "officer", DEMO_PASSWORD)
    for name in OFFICER_PAGES:
        browser.get(browser.base_url + reverse(f"consultation:{name}", args=[consultation.slug]))
        assert len(browser.find_elements(By.TAG_NAME, "h1")) == 1
        assert_accessible(browser, f"consultation-officer-{name}")
    browser.get(browser.base_url + reverse("consultation:results", args=[consultation.slug]))
    assert_accessible(browser, "consultation-results")

    # The builder of a draft, with its edit, move and remove controls.
    from consultation import services

    draft = services.consultation_create(
        strategy=consultation.strategy, title="Next year's survey", slug="next-year",
        summary="S", opens_at=timezone.now() + dt.timedelta(days=30),
    )
    section = draft.sections.first()
    for name, args in (("questions", [draft.slug]), ("create", []),
                       ("question_new", [draft.slug, section.pk]),
                       ("section_edit", [draft.slug, section.pk])):
        browser.get(browser.base_url + reverse(f"consultation:{name}", args=args))
        assert_accessible(browser, f"consultation-builder-{name}")
