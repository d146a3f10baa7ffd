"""A reader of a partnership that offers Welsh: its home page, the list of
its consultations, a consultation, the start, the question pages and the
check page, in Welsh at 320 and 1280 pixels, switched to from the header;
then sends the response, recorded as given in Welsh. axe-core on every
page; nothing scrolls sideways at 320 pixels. The officer's Welsh version
page is looked at too."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from consultation.models import Response
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in
from tests.browser.test_save_receipt_follow_journey import _answer_section, _choose, _continue
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.browser


def _look(driver, name: str) -> None:
    """axe at this width, no sideways scrolling, then the same page at 1280."""
    assert len(driver.find_elements(By.TAG_NAME, "h1")) == 1
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "cy"
    assert_accessible(driver, f"welsh-{name}-320")
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 320, f"{driver.current_url} scrolls sideways at 320 px ({width}px)"
    driver.set_window_size(1280, 1000)
    assert_accessible(driver, f"welsh-{name}-1280")
    driver.set_window_size(320, 900)


def test_a_reader_answers_in_welsh_at_320_pixels(browser):
    partnership = factories.PartnershipFactory(
        name="Partneriaeth Diogelwch Cymunedol Glannau", public_languages=["en-gb", "cy"],
    )
    consultation = open_consultation(partnership, title="Draft community safety strategy")
    consultation.translations = {"cy": {"title": "Strategaeth diogelwch cymunedol ddrafft"}}
    consultation.save()
    base = browser.base_url
    browser.set_window_size(320, 900)

    # The consultation's page in English; the header's switch turns it Welsh.
    browser.get(base + consultation.get_absolute_url())
    switch = browser.find_element(By.CSS_SELECTOR, "a[hreflang='cy']")
    click_and_wait(browser, switch)
    _look(browser, "consultation")
    assert "Strategaeth diogelwch cymunedol ddrafft" in browser.page_source

    browser.get(base + f"/consultations/?partnership={partnership.slug}")
    _look(browser, "list")
    browser.get(base + reverse("partnership_home", args=[partnership.slug]))
    _look(browser, "partnership-home")

    browser.get(base + f"/consultations/{consultation.slug}/respond/")
    _look(browser, "start")
    _choose(browser, "id_audience_1")
    _choose(browser, "id_consent")
    _continue(browser)
    _look(browser, "question")
    pages = 0
    while "/respond/check/" not in browser.current_url:
        pages += 1
        assert pages < 8, "the journey did not reach check your answers"
        if "/about-you/" not in browser.current_url:
            _answer_section(browser)
        _continue(browser)
    _look(browser, "check")
    _continue(browser)
    assert "/respond/confirmation/" in browser.current_url
    _look(browser, "confirmation")
    assert Response.objects.get().language == "cy"


def test_an_officer_enters_the_welsh_wording(browser):
    membership = factories.MembershipFactory(
        partnership=factories.PartnershipFactory(public_languages=["en-gb", "cy"]),
    )
    user = membership.user
    user.set_password("a long enough password 42")
    user.save()
    consultation = open_consultation(membership.partnership)
    sign_in(browser, user.username, "a long enough password 42")
    browser.get(browser.base_url + f"/consultations/{consultation.slug}/manage/languages/cy/")
    assert_accessible(browser, "welsh-version-officer-1280")
    title = browser.find_element(By.ID, "id_consultation-title")
    assert title.get_attribute("lang") == "cy"
    title.send_keys("Dweud eich dweud")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button.govuk-button"))
    assert "Welsh wording saved." in browser.page_source
    consultation.refresh_from_db()
    assert consultation.translations["cy"]["title"] == "Dweud eich dweud"
