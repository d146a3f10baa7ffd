"""In a real browser: a board member reads a strategy's performance summary;
axe-core finds nothing on it, wide or on a 320-pixel screen, where its tables
scroll in their own regions instead of pushing the page sideways."""

import datetime as dt
from decimal import Decimal

import pytest
from selenium.webdriver.common.by import By

from strategy.models import Strategy
from tests import factories
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_a_board_member_reads_the_performance_summary(browser):  # noqa: F811
    board_member = factories.BoardMembershipFactory()
    partnership = board_member.board.partnership
    strategy = factories.StrategyFactory(partnership=partnership)
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED)
    organisation = factories.OrganisationFactory(
        partnership=partnership, name="A partner organisation with a rather long name")
    objective = factories.ObjectiveFactory(
        priority=factories.PriorityFactory(strategy=strategy, title="Reduce violence"),
        lead_organisation=organisation)
    for title, value in (("Violent crime", Decimal(150)), ("Repeat victims", Decimal(90))):
        measure = factories.MeasureFactory(objective=objective, title=title,
                                           target_date=dt.date(2099, 3, 31))
        factories.MeasurementFactory(measure=measure, value=value)

    sign_in(browser, board_member.user.username, factories.PASSWORD)
    browser.get(f"{browser.base_url}/strategies/{strategy.slug}/performance/")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Performance summary"
    assert "Violent crime" in browser.find_element(By.ID, "exceptions").find_element(
        By.XPATH, "following-sibling::div[@role='region']").text
    assert_accessible(browser, "performance-summary")
    browser.set_window_size(320, 900)
    try:
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow}px cut off at 320px"
        assert_accessible(browser, "performance-summary-320")
    finally:
        browser.set_window_size(1280, 1000)
