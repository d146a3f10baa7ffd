"""A partnership administrator who is not a superuser sets up their
partnership in the browser: organisations, a board with its quorum and
members, and an invitation that the invited person uses to sign in. Every
page passes axe-core."""

import io
import re

import pytest
from django.core import mail
from PIL import Image
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from partnerships.models import Board, BoardMembership, Membership, Organisation
from tests import factories
from tests.browser.conftest import (  # noqa: F401 (browser is a fixture)
    assert_accessible,
    browser,
    click_and_wait,
    sign_in,
)
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _type(driver, element_id: str, text: str) -> None:
    field = driver.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def _click_link(driver, text: str) -> None:
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, text))


def _submit(driver) -> None:
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def _h1(driver) -> str:
    return driver.find_element(By.TAG_NAME, "h1").text


def _radio(driver, name: str, value: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"input[name={name}][value={value}]").click()


def test_an_administrator_sets_up_organisations_a_board_and_invites_a_person(
    browser, tmp_path_factory, installation_plan_templates  # noqa: F811
):
    # A first partnership with its own "Probation", which must never be offered.
    first = factories.PartnershipFactory(name="First Town Partnership")
    factories.OrganisationFactory(partnership=first, name="First Town Probation",
                                  short_name="Probation")
    second = factories.PartnershipFactory(name="Second Town Partnership")
    administrator = factories.AdministratorFactory(partnership=second).user
    colleague = factories.MembershipFactory(partnership=second).user
    assert not administrator.is_superuser

    sign_in(browser, administrator.username, PASSWORD)
    _click_link(browser, "Set up")
    assert _h1(browser) == "Second Town Partnership"
    assert_accessible(browser, "setup-overview")

    # The logo: a PDF is refused next to the field, then a picture is taken
    # and shown in the header beside the partnership's name.
    _click_link(browser, "Add a logo")
    assert_accessible(browser, "setup-logo")
    folder = tmp_path_factory.mktemp("logo")
    (folder / "logo.pdf").write_bytes(b"%PDF-1.7 not a picture")
    browser.find_element(By.ID, "id_logo").send_keys(str(folder / "logo.pdf"))
    _submit(browser)
    assert "must be a PNG, JPEG, GIF or WebP image" in (
        browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary").text
    )
    assert_accessible(browser, "setup-logo-error")
    picture = io.BytesIO()
    Image.new("RGBA", (160, 160), (255, 255, 255, 255)).save(picture, format="PNG")
    (folder / "logo.png").write_bytes(picture.getvalue())
    browser.find_element(By.ID, "id_logo").send_keys(str(folder / "logo.png"))
    _submit(browser)
    assert _h1(browser) == "Second Town Partnership"
    header_logo = browser.find_element(By.CSS_SELECTOR, "img.smk-header__logo")
    assert browser.execute_script(
        "return arguments[0].complete && arguments[0].naturalWidth", header_logo
    ) == 160

    # Organisations: a mistake first, then two organisations.
    _click_link(browser, "Organisations")
    assert_accessible(browser, "setup-organisations")
    _click_link(browser, "Add an organisation")
    _submit(browser)
    summary = browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary")
    assert "Enter the organisation's full name" in summary.text
    assert browser.title.startswith("Error: ")
    assert_accessible(browser, "setup-organisation-error")
    _type(browser, "id_name", "Second Town Probation Service")
    _type(browser, "id_short_name", "Probation")
    _radio(browser, "kind", "probation")
    browser.find_element(By.ID, "id_is_responsible_authority").click()
    _submit(browser)
    _click_link(browser, "Add an organisation")
    _type(browser, "id_name", "Second Town Council")
    _radio(browser, "kind", "council")
    _submit(browser)
    assert _h1(browser) == "Organisations"
    assert "Second Town Probation Service" in browser.page_source
    assert "First Town Probation" not in browser.page_source
    assert_accessible(browser, "setup-organisations-added")

    # A board with its quorum, then its members.
    _click_link(browser, "Boards")
    _click_link(browser, "Add a board")
    assert_accessible(browser, "setup-board-new")
    _type(browser, "id_name", "Strategy Board")
    _type(browser, "id_slug", "strategy-board")
    _type(browser, "id_quorum", "2")
    _submit(browser)
    assert _h1(browser) == "Strategy Board"
    assert "Below quorum" in browser.page_source
    assert_accessible(browser, "setup-board")

    for person, role in ((colleague, "chair"), (administrator, "member")):
        _click_link(browser, "Add a member")
        people = Select(browser.find_element(By.ID, "id_user"))
        people.select_by_visible_text(f"{person.get_full_name()} ({person.email})")
        _radio(browser, "role", role)
        organisations = Select(browser.find_element(By.ID, "id_organisation"))
        offered = [o.text for o in organisations.options]
        assert {"Second Town Council", "Second Town Probation Service"} <= set(offered)
        assert not any("First Town" in text for text in offered)
        assert len(offered) == 1 + Organisation.objects.filter(partnership=second).count()
        organisations.select_by_visible_text("Second Town Council")
        assert_accessible(browser, f"setup-board-member-{role}")
        _submit(browser)
    assert "Below quorum" not in browser.page_source
    assert_accessible(browser, "setup-board-members")

    # A plan template of its own: the service's three-year template copied,
    # its final sign-off going to the board just set up.
    _click_link(browser, "Plan templates")
    assert _h1(browser) == "Plan templates"
    assert_accessible(browser, "setup-plan-templates")
    browser.find_element(By.LINK_TEXT, "Three-year strategy").click()
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//button[starts-with(normalize-space(), 'Copy into Second Town Partnership')]"))
    assert _h1(browser).startswith("Three-year strategy")
    click_and_wait(browser, browser.find_element(
        By.XPATH, "//a[normalize-space()='Change Final draft signed off']"))
    assert_accessible(browser, "setup-plan-template-step")
    Select(browser.find_element(By.ID, "id_board")).select_by_visible_text("Strategy Board")
    boards_offered = [o.text for o in Select(browser.find_element(By.ID, "id_board")).options]
    assert boards_offered == ["No board", "Strategy Board"]
    _submit(browser)
    final = browser.find_element(
        By.XPATH, "//tr[td[starts-with(normalize-space(), 'Final draft signed off')]]")
    assert "Strategy Board" in final.text
    assert_accessible(browser, "setup-plan-template-own")
    _click_link(browser, "All plan templates")
    _click_link(browser, "Set up")

    # Invite a person.
    _click_link(browser, "People")
    _click_link(browser, "Invite a person")
    _type(browser, "id_email", "robin@example.org")
    _type(browser, "id_first_name", "Robin")
    _type(browser, "id_last_name", "Hale")
    _radio(browser, "role", "partner")
    _submit(browser)
    assert "Choose the organisation a partner officer works for" in (
        browser.find_element(By.CSS_SELECTOR, ".govuk-error-summary").text
    )
    assert_accessible(browser, "setup-invite-error")
    Select(browser.find_element(By.ID, "id_organisation")).select_by_visible_text(
        "Second Town Probation Service"
    )
    _submit(browser)
    assert _h1(browser) == "People"
    assert "robin@example.org" in browser.page_source
    assert_accessible(browser, "setup-people")

    board = Board.objects.get(partnership=second, slug="strategy-board")
    assert board.quorum == 2
    assert set(BoardMembership.objects.filter(board=board).values_list("user", "role")) == {
        (colleague.pk, "chair"), (administrator.pk, "member")
    }
    assert Organisation.objects.filter(
        partnership=second, name__startswith="Second Town"
    ).count() == 2

    # The invited person follows the link, sets a password and is signed in.
    [message] = mail.outbox
    assert "Second Town Partnership" in message.subject
    path = re.search(r"https?://[^/\s]+(/account/invitation/[^/\s]+/)", message.body).group(1)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "nav form button"))
    browser.get(browser.base_url + path)
    assert _h1(browser) == "Set your password"
    assert_accessible(browser, "invitation-set-password")
    _type(browser, "id_new_password1", "a quiet street at night")
    _type(browser, "id_new_password2", "a quiet street at night")
    _submit(browser)
    assert browser.current_url.endswith("/dashboard/")
    assert_accessible(browser, "invitation-dashboard")
    robin = Membership.objects.get(partnership=second, user__email="robin@example.org")
    assert (robin.role, robin.organisation.name) == ("partner", "Second Town Probation Service")

    browser.get(browser.base_url + path)
    assert _h1(browser) == "This invitation link cannot be used"
    assert_accessible(browser, "invitation-used")
