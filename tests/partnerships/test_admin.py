"""In the Django admin, a membership's or board member's organisation is
chosen from the partnership's own, each labelled with its partnership."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _options(html: str, name_suffix: str) -> list[str]:
    import re

    select = re.search(
        rf'<select name="[^"]*-__prefix__-{name_suffix}"[^>]*>(.*?)</select>', html, re.S
    ).group(1)
    return [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_membership_organisations_are_the_partnerships_own_and_name_it(
    partnership, other_partnership, superuser
):
    factories.OrganisationFactory(partnership=partnership, name="Probation North",
                                  short_name="Probation")
    factories.OrganisationFactory(partnership=other_partnership, name="Probation South",
                                  short_name="Probation")
    page = client_for(superuser).get(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    )
    assert page.status_code == 200
    offered = _options(page.content.decode(), "organisation")
    assert f"Probation ({partnership.name})" in offered
    assert f"Probation ({other_partnership.name})" not in offered


def test_board_member_organisations_are_the_boards_partnerships_own(
    board, other_partnership, superuser
):
    factories.OrganisationFactory(partnership=board.partnership, name="Fire North")
    factories.OrganisationFactory(partnership=other_partnership, name="Fire South")
    page = client_for(superuser).get(reverse("admin:partnerships_board_change", args=[board.pk]))
    offered = _options(page.content.decode(), "organisation")
    assert f"Fire North ({board.partnership.name})" in offered
    assert not any("Fire South" in text for text in offered)


def test_the_admin_refuses_a_membership_with_another_partnerships_organisation(
    partnership, other_partnership, superuser
):
    from partnerships.models import Membership

    user = factories.UserFactory()
    theirs = factories.OrganisationFactory(partnership=other_partnership)
    page = client_for(superuser).post(
        reverse("admin:partnerships_partnership_change", args=[partnership.pk]),
        {
            "name": partnership.name, "slug": partnership.slug, "area": partnership.area,
            "aim": partnership.aim, "short_code": partnership.short_code,
            "plan_body": partnership.plan_body, "colour": partnership.colour,
            "organisations-TOTAL_FORMS": "0", "organisations-INITIAL_FORMS": "0",
            "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": user.pk, "memberships-0-organisation": theirs.pk,
            "memberships-0-role": "officer",
        },
    )
    assert page.status_code == 200  # the form again, with the error
    assert not Membership.objects.filter(user=user).exists()
