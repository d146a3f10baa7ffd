"""Each person's start page, as they first see it: the public home page,
a partnership's home, the lists of consultations and strategies and a
strategy page, the officer's dashboard, the chair's dashboard and sign-off
page, a board member's dashboard. Each at 1280 and at 320 pixels wide: axe
finds nothing, nothing is cut off sideways (WCAG 2.2 reflow), and a
screenshot of the whole page is saved for people to look at."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from milestones.models import SignOffRequest
from partnerships.demo import DEMO_PASSWORD
from strategy.models import Strategy
from tests.browser.conftest import axe_violations, click_and_wait, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (1280, 320)
ARTIFACTS = Path(
    os.environ.get(
        "TEST_ARTIFACTS_DIR", Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
    )
) / "screenshots"


def _screenshot(driver, name: str, width: int) -> Path:
    """The whole page, not just the window."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": min(height, 16000), "deviceScaleFactor": 1, "mobile": False},
    )
    try:
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})["data"]
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}-{width}.png"
    path.write_bytes(base64.b64decode(data))
    print(f"screenshot: {path}")
    return path


def _check(driver, path: str, name: str, problems: list[str]) -> str:
    """Open `path` at each width; note what axe or the reflow check finds."""
    html = ""
    for width in WIDTHS:
        driver.set_window_size(width, 900)
        driver.get(driver.base_url + path)
        html = driver.page_source
        for v in axe_violations(driver):
            targets = [str(n.get("target")) for n in v.get("nodes", [])[:3]]
            problems.append(f"{name} at {width}px: axe {v['id']} ({v.get('impact')}) at {targets}")
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            problems.append(f"{name} at {width}px: {overflow}px cut off at the side")
        _screenshot(driver, name, width)
    driver.set_window_size(1280, 1000)
    return html


def _sign_out(driver) -> None:
    driver.delete_all_cookies()


def test_every_persons_start_page_is_accessible_and_reflows_at_320px(browser, demo):
    problems: list[str] = []
    published = Strategy.objects.filter(status=Strategy.Status.PUBLISHED,
                                        duty=Strategy.Duty.COMMUNITY_SAFETY).first()
    assert published is not None

    # The public.
    _check(browser, reverse("home"), "home", problems)
    html = _check(browser, published.get_public_url(), "strategy-public", problems)
    assert "Our priorities and how they are going" in html
    assert reverse("milestones:approvals", args=[published.slug]) in html
    _check(browser, reverse("milestones:approvals", args=[published.slug]),
           "strategy-approvals", problems)
    slug = published.partnership.slug
    html = _check(browser, reverse("partnership_home", args=[slug]), "partnership-home", problems)
    assert published.title in html and "Contact us" in html
    # Filtered, with one filter that is not valid: its message must pass too.
    html = _check(browser, reverse("consultation:list") + f"?partnership={slug}&status=soon",
                  "consultations", problems)
    assert "Status: Choose from the list" in html
    _check(browser, reverse("strategy:public_list"), "strategies", problems)

    # The officer.
    sign_in(browser, "officer", DEMO_PASSWORD)
    html = _check(browser, reverse("dashboard:home"), "dashboard-officer", problems)
    assert html.index("What needs doing") < html.index("Notices")
    _sign_out(browser)

    # The chair: the dashboard, then the sign-off awaiting the board.
    sign_in(browser, "chair", DEMO_PASSWORD)
    html = _check(browser, reverse("dashboard:home"), "dashboard-chair", problems)
    assert "What needs doing" in html
    pending = SignOffRequest.objects.pending().filter(board__memberships__user__username="chair")
    for signoff in pending[:1]:
        html = _check(browser, reverse("milestones:signoff", args=[signoff.pk]),
                      "board-review", problems)
        assert "Reviews so far" in html and "Your status" in html
    _sign_out(browser)

    # A board member.
    sign_in(browser, "riskboard", DEMO_PASSWORD)
    html = _check(browser, reverse("dashboard:home"), "dashboard-board-member", problems)
    assert "Your boards' decisions" in html or "Your boards&#x27; decisions" in html
    _check(browser, reverse("milestones:decisions"), "board-decisions", problems)
    # From the dashboard to the board's latest decision, one click.
    browser.get(browser.base_url + reverse("dashboard:home"))
    section = browser.find_element(By.ID, "decisions-heading").find_element(By.XPATH, "..")
    first = section.find_element(By.CSS_SELECTOR, ".smk-decisions__item a")
    title = first.text
    click_and_wait(browser, first)
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    assert browser.find_elements(By.CSS_SELECTOR, ".govuk-panel--confirmation")
    _sign_out(browser)

    assert not problems, "\n".join(problems)


def test_officers_pages_with_wide_tables_scroll_the_table_not_the_page_at_320px(browser, demo):
    """Tables wider than a phone scroll inside a named, focusable region; the
    page itself never scrolls sideways, and axe finds nothing at either width."""
    problems: list[str] = []
    current = Strategy.objects.filter(status=Strategy.Status.PUBLISHED).first()
    slug = current.partnership.slug
    sign_in(browser, "manager", DEMO_PASSWORD)
    pages = {
        "manage-consultations": reverse("consultation:manage_list"),
        "organisations": reverse("partnerships:organisations", args=[slug]),
        "people": reverse("partnerships:people", args=[slug]),
        "policing-recommendations": reverse("partnerships:policing_recommendations", args=[slug]),
        "audit": reverse("audit:log", args=[slug]),
        "records-of-processing": reverse("documents:records_of_processing", args=[slug]),
        "strategy-versions": reverse("strategy:version_list", args=[current.slug]),
        "compare-versions": reverse("strategy:version_compare", args=[current.slug]),
    }
    for name, path in pages.items():
        _check(browser, path, name, problems)
        regions = browser.find_elements(By.CSS_SELECTOR, ".smk-table-scroll")
        tables = browser.find_elements(By.CSS_SELECTOR, "table.govuk-table")
        if len(regions) != len(tables):
            problems.append(f"{name}: {len(tables)} tables but {len(regions)} scroll regions")
        for region in regions:
            if not region.get_attribute("aria-label") or region.get_attribute("tabindex") != "0":
                problems.append(f"{name}: a table's scroll region has no name or focus")
    assert not problems, "\n".join(problems)
