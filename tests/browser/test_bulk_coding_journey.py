"""An officer codes 200 free-text answers in a handful of bulk actions in a
real browser, with the keyboard where a person would use it, undoes one,
and asks for suggested themes. axe-core checks every page, errors included."""

import re

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from consultation import coding, services
from consultation.models import CodingAction, SuggestionRun
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in
from tests.consultation.coding_helpers import consultation_with_answers

pytestmark = pytest.mark.browser


def _find(browser, words: str = "", uncoded: bool = False) -> int:
    box = browser.find_element(By.ID, "f-q")
    box.clear()
    if words:
        box.send_keys(words)
    tick = browser.find_element(By.ID, "f-uncoded")
    if tick.is_selected() != uncoded:
        browser.find_element(By.CSS_SELECTOR, "label[for='f-uncoded']").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Find answers']"))
    heading = browser.find_element(By.ID, "matching").text
    return int(re.match(r"(\d+) matching", heading).group(1))


def _choose_theme(browser, theme: str) -> None:
    select = Select(browser.find_element(By.ID, "id_theme"))
    select.select_by_visible_text(next(o.text for o in select.options
                                       if o.text.startswith(theme + " (")))


def _apply_to_all(browser, theme: str, expected: int) -> None:
    _choose_theme(browser, theme)
    button = browser.find_element(By.XPATH, "//button[starts-with(text(), 'Apply to all')]")
    assert f"Apply to all {expected} matching" in button.text
    click_and_wait(browser, button)


def test_an_officer_codes_200_answers_in_a_handful_of_actions(browser):
    membership = factories.MembershipFactory()
    consultation = consultation_with_answers(membership.partnership, 200, slug="coding-journey")
    services.theme_create(consultation=consultation, name="Other concerns")
    sign_in(browser, membership.user.username, factories.PASSWORD)
    browser.get(browser.base_url + consultation.get_manage_url())
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Code answers in bulk"))
    assert "200 answers have no theme yet" in browser.page_source
    assert_accessible(browser, "bulk-coding")

    # A mistake first: nothing ticked.
    Select(browser.find_element(By.ID, "id_theme")).select_by_index(1)
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[text()='Apply to the ticked answers']"))
    assert "There is a problem" in browser.page_source
    assert "Select at least one answer" in browser.page_source
    assert_accessible(browser, "bulk-coding-error")

    # Three searches, each coded in one action.
    lights = _find(browser, "light", uncoded=True)
    assert lights >= 10
    _apply_to_all(browser, "Street lighting", lights)
    assert f"“Street lighting” added to {lights} answers." in browser.page_source
    assert_accessible(browser, "bulk-coding-done")
    police = _find(browser, "police", uncoded=True)
    _apply_to_all(browser, "Police visibility", police)
    speed = _find(browser, "speed", uncoded=True)
    _apply_to_all(browser, "Road safety", speed)

    # Everything left without a theme, in one more action.
    rest = _find(browser, "", uncoded=True)
    assert rest == 200 - lights - police - speed
    _apply_to_all(browser, "Other concerns", rest)
    assert "0 answers have no theme yet" in browser.page_source
    assert coding.uncoded(coding.codable_answers(consultation)).count() == 0
    assert CodingAction.objects.filter(consultation=consultation).count() == 4

    # Tick two answers with the keyboard, remove a theme, and undo it.
    _find(browser, "", uncoded=False)
    boxes = browser.find_elements(By.CSS_SELECTOR, "input[name='answers']")[:2]
    for box in boxes:
        box.send_keys(Keys.SPACE)
    assert all(box.is_selected() for box in boxes)
    _choose_theme(browser, "Other concerns")
    browser.find_element(By.CSS_SELECTOR, "label[for='id_action_2']").click()
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[text()='Apply to the ticked answers']"))
    assert "“Other concerns” removed from" in browser.find_element(By.ID, "coding-done").text
    before_undo = CodingAction.objects.filter(consultation=consultation).count()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[starts-with(., 'Undo')]"))
    assert "Undone" in browser.page_source
    assert CodingAction.objects.filter(consultation=consultation).count() == before_undo + 1
    assert coding.uncoded(coding.codable_answers(consultation)).count() == 0

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "coding history"))
    rows = browser.find_elements(By.CSS_SELECTOR, "main tbody tr")
    assert len(rows) == 6  # four additions, the removal (undone) and its undo
    assert "Undone" in rows[1].text and "Undo" in rows[0].text
    assert_accessible(browser, "coding-history")

    # Suggested themes, worked out on the server.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Suggested themes"))
    assert_accessible(browser, "suggestions")
    browser.find_element(By.CSS_SELECTOR, "label[for='id_kind_1']").click()
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[text()='Work out suggestions']"))
    run = SuggestionRun.objects.get(consultation=consultation)
    assert run.status == SuggestionRun.Status.DONE, run.error
    assert "Key phrases:" in browser.page_source
    assert_accessible(browser, "suggested-themes")


def test_the_suggestions_page_follows_the_workers_progress_by_itself(browser):
    membership = factories.MembershipFactory()
    consultation = consultation_with_answers(membership.partnership, 20, slug="progress")
    run = SuggestionRun.objects.create(
        consultation=consultation, kind=SuggestionRun.Kind.THEMES,
        status=SuggestionRun.Status.RUNNING, progress=20, stage="Reading the answers",
    )
    sign_in(browser, membership.user.username, factories.PASSWORD)
    browser.get(browser.base_url + reverse(
        "consultation:suggestion_run", args=[consultation.slug, run.pk]))
    assert "20% done" in browser.find_element(By.ID, "run-status").text
    assert_accessible(browser, "suggestions-in-progress")
    SuggestionRun.objects.filter(pk=run.pk).update(progress=60, stage="Grouping 20 answers")
    WebDriverWait(browser, 10).until(
        lambda d: "60% done" in d.find_element(By.ID, "run-status").text)
    SuggestionRun.objects.filter(pk=run.pk).update(status=SuggestionRun.Status.DONE,
                                                   progress=100)
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "run-status").text.startswith("Finished"))
    assert "Refresh this page" not in browser.page_source
