"""The accessibility statement follows the GOV.UK model statement."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_the_statement_says_partially_compliant_lists_the_issues_and_who_to_contact(client):
    factories.PartnershipFactory(name="Safer Town Partnership", contact_email="safety@example.org")
    html = client.get(reverse("accessibility")).content.decode()
    assert "This website is partially compliant with the" in html
    assert "due to the non-compliances listed below" in html
    assert "aims to be fully compliant" not in html
    # The known PDF issues, honestly.
    assert "not marked as artifacts" in html and "veraPDF" in html
    # How to report a problem, and to whom.
    assert "Reporting accessibility problems with this website" in html
    assert 'href="mailto:safety@example.org"' in html and "Safer Town Partnership" in html
    # The enforcement procedure, in Great Britain and Northern Ireland.
    assert "Equality and Human Rights Commission (EHRC)" in html
    assert "Equality Commission for Northern Ireland" in html
    # When it was prepared and last reviewed.
    assert "This statement was prepared on" in html and "It was last reviewed on" in html
