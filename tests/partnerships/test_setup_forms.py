"""The set-up forms say what is wrong next to the field: short codes,
brand colours that white text cannot be read on, duplicates."""

import pytest
from django.urls import reverse

from partnerships.forms import BoardForm, OrganisationForm, PartnershipForm
from partnerships.models import Board, Organisation, contrast_with_white
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def details(partnership, **changes):
    data = {
        "name": partnership.name, "area": partnership.area, "aim": partnership.aim,
        "short_code": partnership.short_code, "colour": partnership.colour,
        "website": "", "contact_email": "team@example.org", "contact_phone": "",
        "contact_address": "",
    }
    return data | changes


@pytest.mark.parametrize("code", ["bd", " BD ", "CSP7", "AB123"])
def test_a_short_code_of_2_to_5_letters_or_digits_is_accepted_in_capitals(code, partnership):
    form = PartnershipForm(details(partnership, short_code=code), instance=partnership)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["short_code"] == code.strip().upper()


@pytest.mark.parametrize("code", ["B", "ABCDEF", "B-D", "BÖ", ""])
def test_a_short_code_that_is_too_short_long_or_has_other_characters_is_refused(
    code, partnership
):
    form = PartnershipForm(details(partnership, short_code=code), instance=partnership)
    assert not form.is_valid()
    assert form.errors["short_code"]


def test_a_short_code_another_partnership_uses_is_refused(partnership, other_partnership):
    form = PartnershipForm(
        details(partnership, short_code=other_partnership.short_code.lower()),
        instance=partnership,
    )
    assert not form.is_valid()
    assert form.errors["short_code"] == [
        "Another partnership uses this short code: choose another"
    ]


def test_a_brand_colour_white_text_cannot_be_read_on_is_refused_with_its_contrast(partnership):
    form = PartnershipForm(details(partnership, colour="#FFCC00"), instance=partnership)
    assert not form.is_valid()
    [message] = form.errors["colour"]
    assert "contrast of 1.5 to 1" in message and "at least 4.5 to 1" in message


@pytest.mark.parametrize("colour,ok", [
    ("#1d5c63", True), ("#0b0c0c", True), ("#767676", True), ("#777777", False),
    ("#ffffff", False), ("1d5c63", False), ("#12345g", False),
])
def test_the_brand_colour_needs_the_hex_format_and_aa_contrast(colour, ok, partnership):
    form = PartnershipForm(details(partnership, colour=colour), instance=partnership)
    assert form.is_valid() is ok, form.errors


def test_the_contrast_ratio_matches_the_wcag_formula():
    assert contrast_with_white("#000000") == pytest.approx(21.0)
    assert contrast_with_white("#ffffff") == pytest.approx(1.0)
    assert contrast_with_white("#767676") == pytest.approx(4.54, abs=0.01)


def test_the_details_page_saves_and_shows_errors_in_a_summary(partnership, administrator):
    client = client_for(administrator)
    url = reverse("partnerships:details", args=[partnership.slug])
    refused = client.post(url, details(partnership, colour="#ffff00", short_code="x",
                                       contact_email=""))
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "govuk-error-summary" in page and page.count("<h1") == 1
    assert "Enter a contact e-mail address for the public" in page
    assert "Enter 2 to 5 capital letters or digits" in page
    saved = client.post(url, details(partnership, short_code="bd", name="Safer Bedtown",
                                     contact_phone="01234 567890",
                                     contact_address="1 High Street\nBedtown"))
    assert saved.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.short_code, partnership.name) == ("BD", "Safer Bedtown")
    assert partnership.contact_address == "1 High Street\nBedtown"


def test_an_organisation_name_the_partnership_already_has_is_refused(
    partnership, other_partnership
):
    factories.OrganisationFactory(partnership=partnership, name="National Probation Service")
    factories.OrganisationFactory(partnership=other_partnership, name="Probation Service")
    data = {"name": "national probation service", "kind": "probation"}
    form = OrganisationForm(data, instance=Organisation(partnership=partnership))
    assert not form.is_valid()
    assert form.errors["name"] == ["The partnership already has an organisation of this name"]
    # Another partnership's name is no obstacle.
    data = {"name": "Probation Service", "kind": "probation"}
    assert OrganisationForm(data, instance=Organisation(partnership=partnership)).is_valid()


def test_a_board_needs_its_own_web_address_and_a_quorum_of_at_least_one(
    partnership, other_partnership
):
    factories.BoardFactory(partnership=partnership, slug="risk-board")
    factories.BoardFactory(partnership=other_partnership, slug="main-board")
    data = {"name": "Risk", "slug": "risk-board", "quorum": "0", "order": "1"}
    form = BoardForm(data, instance=Board(partnership=partnership))
    assert not form.is_valid()
    assert form.errors["slug"] == ["Another board of the partnership has this web address"]
    assert form.errors["quorum"]
    data = {"name": "Main", "slug": "main-board", "quorum": "3", "order": "1"}
    assert BoardForm(data, instance=Board(partnership=partnership)).is_valid()


def test_a_new_boards_quorum_comes_from_the_setting_not_one_partnership(
    partnership, administrator, settings
):
    settings.SAFERMK_DEFAULT_BOARD_QUORUM = 4
    client = client_for(administrator)
    page = client.get(reverse("partnerships:board_new", args=[partnership.slug]))
    assert page.context["form"]["quorum"].value() == 4
    assert Board(partnership=partnership).quorum == 4


def test_an_organisation_in_use_is_not_removed_and_the_page_says_why(partnership, administrator):
    organisation = factories.OrganisationFactory(partnership=partnership, name="City Council")
    factories.MembershipFactory(partnership=partnership, organisation=organisation)
    unused = factories.OrganisationFactory(partnership=partnership, name="Unused Trust")
    client = client_for(administrator)
    refused = client.post(reverse("partnerships:organisation_remove",
                                  args=[partnership.slug, organisation.pk]))
    assert refused.status_code == 400
    assert "City Council cannot be removed while it is used by: memberships" in (
        refused.content.decode()
    )
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    removed = client.post(reverse("partnerships:organisation_remove",
                                  args=[partnership.slug, unused.pk]))
    assert removed.status_code == 302
    assert not Organisation.objects.filter(pk=unused.pk).exists()
