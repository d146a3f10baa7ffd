"""An officer adds documents beside the draft in a real browser: a web page
named like a PDF is refused next to the field, then an easy-read PDF and a
map are added; the public page lists them. axe-core checks each page, at
1280 pixels and at 320."""

import io

import pytest
from django.urls import reverse
from PIL import Image
from selenium.webdriver.common.by import By

from tests import factories
from tests.browser.conftest import assert_accessible, click_and_wait, sign_in
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.browser


def _check(browser, name: str) -> None:
    assert_accessible(browser, name)
    browser.set_window_size(320, 1000)
    assert_accessible(browser, f"{name}-320")
    # Nothing wider than the screen: no sideways scrolling at 320 pixels.
    assert browser.execute_script(
        "return document.documentElement.scrollWidth <= window.innerWidth")
    browser.set_window_size(1280, 1000)


def _upload(browser, path, title: str, description: str) -> None:
    browser.find_element(By.ID, "id_file").send_keys(str(path))
    browser.find_element(By.ID, "id_title").clear()
    browser.find_element(By.ID, "id_title").send_keys(title)
    browser.find_element(By.ID, "id_description").clear()
    browser.find_element(By.ID, "id_description").send_keys(description)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Add document']"))


def test_an_officer_adds_documents_and_the_public_sees_them(browser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    membership = factories.MembershipFactory()
    consultation = open_consultation(membership.partnership, slug="documents-journey")
    disguised = tmp_path / "easy-read.pdf"
    disguised.write_bytes(b"<!doctype html><title>x</title><script>alert(1)</script>")
    pdf = tmp_path / "easy-read-version.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    picture = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 90, 40)).save(picture, format="PNG")
    map_file = tmp_path / "wards.png"
    map_file.write_bytes(picture.getvalue())

    sign_in(browser, membership.user.username, factories.PASSWORD)
    browser.get(browser.base_url + consultation.get_manage_url())
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Documents"))
    assert "No documents yet." in browser.page_source
    _check(browser, "documents")

    _upload(browser, disguised, "Easy read version", "The draft in short sentences.")
    assert "There is a problem" in browser.page_source
    error = browser.find_element(By.ID, "id_file_1_error").text
    assert "The file must be a PDF, a Word document (.docx), or a PNG or JPEG image" in error
    _check(browser, "documents-error")

    _upload(browser, pdf, "Easy read version", "The draft in short sentences, with pictures.")
    assert "Document added." in browser.page_source
    _upload(browser, map_file, "Map of the wards",
            "Shows the wards of the area, shaded by the number of incidents reported.")
    assert "Map of the wards" in browser.page_source

    browser.get(browser.base_url + reverse("consultation:detail", args=[consultation.slug]))
    page = browser.page_source
    assert "Easy read version" in page and "Map of the wards" in page
    assert "PNG image" in page and "shaded by the number of incidents" in page
    _check(browser, "public-documents")
