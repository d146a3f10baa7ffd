"""The permission matrix of the police recorded crime pages: the
partnership's officers only; its partner officers and board members are
refused (403), another partnership's officers are told the pages do not
exist (404), anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from crimedata import services
from crimedata.models import CrimeArea, CrimeCount, CrimeImport, CrimeSeriesLink
from tests import factories
from tests.conftest import client_for
from tests.crimedata.files import OURS, street_file
from tests.urlwalk import url_names

pytestmark = pytest.mark.django_db


def _urls(partnership):
    p = [partnership.slug]
    return {
        "crimedata:counts": ("get", reverse("crimedata:counts", args=p)),
        "crimedata:counts_csv": ("get", reverse("crimedata:counts_csv", args=p)),
        "crimedata:area": ("get", reverse("crimedata:area", args=p)),
        "crimedata:upload": ("get", reverse("crimedata:upload", args=p)),
        "crimedata:links": ("get", reverse("crimedata:links", args=p)),
        "crimedata:link_remove": ("post", reverse("crimedata:link_remove", args=p)),
        "crimedata:measurements_update": ("post",
                                          reverse("crimedata:measurements_update", args=p)),
    }


def test_every_page_of_the_app_is_in_the_matrix(partnership):
    names = {n for n in url_names() if n.startswith("crimedata:")}
    assert names == set(_urls(partnership))


@pytest.fixture
def people(partnership, officer, partner_officer, board_member, other_officer):
    admin = factories.MembershipFactory(partnership=partnership, role="administrator").user
    return {"officer": officer, "administrator": admin, "partner": partner_officer,
            "board_member": board_member, "other_officer": other_officer}


EXPECTED = {"officer": (200, 302), "administrator": (200, 302), "partner": (403,),
            "board_member": (403,), "other_officer": (404,)}


def test_only_the_partnerships_officers_may_open_or_post_to_each_page(
    partnership, area, people
):
    for role, user in people.items():
        client = client_for(user)
        for name, (method, url) in _urls(partnership).items():
            status = getattr(client, method)(url).status_code
            assert status in EXPECTED[role], f"{role} {method.upper()} {name}: {status}"


def test_anonymous_visitors_are_sent_to_sign_in(partnership, client):
    for name, (method, url) in _urls(partnership).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/sign-in/?next="), name


def test_nobody_else_can_write_to_the_partnerships_crime_data(
    partnership, area, people, other_partnership
):
    """Posts of the forms by everyone but the officers change nothing."""
    measure = factories.MeasureFactory(objective__priority__strategy__partnership=partnership)
    for role in ("partner", "board_member", "other_officer"):
        client = client_for(people[role])
        p = [partnership.slug]
        client.post(reverse("crimedata:area", args=p),
                    {"lsoa_codes": "E01000009", "population": "5"})
        client.post(reverse("crimedata:upload", args=p),
                    {"files": [street_file("2026-09", {"Drugs": 1})]})
        client.post(reverse("crimedata:links", args=p),
                    {"measure": measure.pk, "crime_type": "all"})
    assert CrimeArea.objects.get(partnership=partnership).lsoa_codes == OURS
    assert not CrimeCount.objects.exists() and not CrimeImport.objects.exists()
    assert not CrimeSeriesLink.objects.exists()


def test_another_partnerships_measure_cannot_be_linked_or_unlinked(
    partnership, officer, area, other_partnership
):
    theirs = factories.MeasureFactory(
        objective__priority__strategy__partnership=other_partnership
    )
    client = client_for(officer)
    response = client.post(reverse("crimedata:links", args=[partnership.slug]),
                           {"measure": theirs.pk, "crime_type": "all"})
    assert "Choose one of the partnership&#x27;s measures" in response.content.decode()
    assert not CrimeSeriesLink.objects.exists()
    link = services.crime_link_save(measure=theirs, crime_type="all", per_thousand=False)
    response = client.post(reverse("crimedata:link_remove", args=[partnership.slug]),
                           {"measure": theirs.pk})
    assert response.status_code == 404
    assert CrimeSeriesLink.objects.filter(pk=link.pk).exists()
