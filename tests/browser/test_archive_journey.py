"""An administrator takes the partnership's data out: the data archive
page, the archive being made and ready, its download. axe-core on every
page, at 1280 pixels and at 320."""

import pytest
from selenium.webdriver.common.by import By

from archive.models import PartnershipArchive
from partnerships.demo import DEMO_PASSWORD
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _both_widths(browser, name):
    assert_accessible(browser, name)
    browser.set_window_size(320, 1000)
    assert_accessible(browser, f"{name}-320")
    browser.set_window_size(1280, 1000)


def test_an_administrator_makes_and_finds_the_archive(browser, demo):
    sign_in(browser, "admin", DEMO_PASSWORD)
    browser.get(browser.base_url + f"/manage/partnership/{demo.slug}/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Data archive"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Data archive"
    _both_widths(browser, "archive-list-empty")
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[normalize-space()='Make an archive of all the data']"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Archive of all the data"
    archive = PartnershipArchive.objects.get(partnership=demo)
    # Tasks run in the test process: the archive was made after the commit.
    assert archive.status == PartnershipArchive.Status.READY, archive.error
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Ready to download" in main and archive.sha256 in main
    assert browser.find_element(By.PARTIAL_LINK_TEXT, "Download the archive").get_attribute(
        "href").endswith(f"/archive/{archive.pk}/download/")
    _both_widths(browser, "archive-ready")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "All archives"))
    assert "Ready to download" in browser.find_element(By.TAG_NAME, "main").text
    _both_widths(browser, "archive-list")
