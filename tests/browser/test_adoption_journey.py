"""An officer adopts and then publishes an approved strategy in the browser,
confirming each on its own page; every page passes axe-core."""

import pytest
from selenium.webdriver.common.by import By

from strategy import services
from strategy.models import Strategy
from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def test_an_officer_confirms_adoption_and_publication_of_an_approved_strategy(browser):
    membership = factories.MembershipFactory()
    strategy = factories.StrategyFactory(partnership=membership.partnership)
    factories.MeasureFactory(objective__priority__strategy=strategy)
    factories.move_through(strategy, ("drafting", "sign_off"))
    sign_in(browser, membership.user.username, factories.PASSWORD)

    # Not yet sent to a board: the page says why there is no button.
    browser.get(browser.base_url + strategy.get_absolute_url())
    assert "No board has been asked to approve this strategy" in browser.page_source
    assert not browser.find_elements(By.LINK_TEXT, "Mark as adopted")
    assert_accessible(browser, "adoption-refused")

    factories.approve_for_adoption(strategy)
    browser.get(browser.base_url + strategy.get_absolute_url())
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mark as adopted"))
    assert browser.find_element(By.TAG_NAME, "h1").text == (
        "Are you sure you want to adopt this strategy?"
    )
    assert_accessible(browser, "adoption-confirm")
    browser.find_element(By.ID, "id_note").send_keys("Adopted by the Partnership, minute P/1")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Confirm']"))
    assert "The strategy is now adopted." in browser.page_source
    assert Strategy.objects.get(pk=strategy.pk).status == Strategy.Status.ADOPTED

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Publish"))
    assert_accessible(browser, "publication-confirm")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Confirm']"))
    assert "The strategy is now published." in browser.page_source
    assert services.version_latest(strategy=strategy).reason == "publication"
