"""A partnership offers its public pages in more than English; the reader
switches with a link; officer pages, and other partnerships, stay English."""

import pytest
from django.test import Client
from django.urls import reverse

from consultation import services
from consultation.analysis import question_results, response_counts
from consultation.models import Response
from partnerships import services as partnership_services
from strategy import public_cache
from tests.conftest import client_for
from tests.consultation.walk import answer_everything_as_public, check_token, url
from tests.partnerships.test_setup_forms import details

pytestmark = pytest.mark.django_db


def html_lang(page) -> str:
    return page.content.decode().split("<html lang=\"", 1)[1].split("\"", 1)[0]


def test_a_partnership_offers_english_only_until_its_administrator_adds_welsh(
    english_partnership, client
):
    assert english_partnership.public_languages == ["en-gb"]
    page = client.get(reverse("partnership_home", args=[english_partnership.slug]))
    assert html_lang(page) == "en-GB"
    assert "Cymraeg" not in page.content.decode()


def test_the_switch_shows_on_a_welsh_partnerships_pages_with_lang_and_hreflang(
    welsh_consultation, client
):
    page = client.get(url("detail", welsh_consultation))
    html = page.content.decode()
    assert html_lang(page) == "en-GB"
    assert 'hreflang="cy" lang="cy"' in html
    assert f'href="{url("detail", welsh_consultation)}?lang=cy"' in html
    assert '<span aria-current="true" lang="en">English</span>' in html


def test_lang_in_the_address_opens_the_page_in_welsh_and_is_remembered(
    welsh_consultation
):
    client = Client()
    page = client.get(url("detail", welsh_consultation) + "?lang=cy")
    assert html_lang(page) == "cy"
    assert page["Content-Language"] == "cy"
    assert "Cookie" in page["Vary"] and "Accept-Language" in page["Vary"]
    # The next page, without ?lang=, stays in Welsh.
    following = client.get(url("respond", welsh_consultation))
    assert html_lang(following) == "cy"
    # And the reader can switch back.
    back = client.get(url("respond", welsh_consultation) + "?lang=en")
    assert html_lang(back) == "en-GB"


def test_a_welsh_browser_gets_welsh_only_where_it_is_offered(
    welsh_consultation, english_consultation
):
    client = Client(HTTP_ACCEPT_LANGUAGE="cy,en;q=0.5")
    assert html_lang(client.get(url("detail", welsh_consultation))) == "cy"
    assert html_lang(client.get(url("detail", english_consultation))) == "en-GB"


def test_a_second_partnership_is_unaffected_by_the_first_offering_welsh(
    welsh_consultation, english_consultation
):
    client = Client()
    client.get(url("detail", welsh_consultation) + "?lang=cy")
    page = client.get(url("detail", english_consultation) + "?lang=cy")
    assert html_lang(page) == "en-GB"
    assert 'hreflang="cy"' not in page.content.decode()


def test_officer_pages_stay_english_whatever_the_reader_chose(
    welsh_consultation, welsh_partnership
):
    from tests import factories

    officer = factories.MembershipFactory(partnership=welsh_partnership).user
    client = client_for(officer)
    client.get(url("detail", welsh_consultation) + "?lang=cy")
    page = client.get(reverse("consultation:manage", args=[welsh_consultation.slug]),
                      HTTP_ACCEPT_LANGUAGE="cy")
    assert page.status_code == 200
    assert html_lang(page) == "en-GB"


@pytest.mark.parametrize("value", [
    "xx", "", "cy" * 500, "../../etc/passwd", "cy\x00", "<script>", "CY ", "en-GB", "%ff",
])
def test_hostile_lang_values_never_fail(welsh_consultation, value):
    client = Client(HTTP_ACCEPT_LANGUAGE=value[:200])
    client.cookies["safermk_language"] = value.replace("\x00", "")
    for name in ("detail", "respond", "results"):
        page = client.get(url(name, welsh_consultation), {"lang": value})
        assert page.status_code == 200
        assert html_lang(page) in ("cy", "en-GB")
    page = client.get(reverse("consultation:list"),
                      {"lang": value, "partnership": welsh_consultation.partnership.slug})
    assert page.status_code == 200


def test_the_response_records_the_language_it_was_given_in(welsh_consultation):
    client = Client()
    client.get(url("detail", welsh_consultation) + "?lang=cy")
    answer_everything_as_public(client, welsh_consultation)
    client.post(url("respond_check", welsh_consultation),
                {"token": check_token(client, welsh_consultation)})
    assert Response.objects.get().language == "cy"


def test_responses_in_english_and_welsh_count_together(welsh_consultation):
    for language in ("cy", "en"):
        client = Client()
        client.get(url("detail", welsh_consultation) + f"?lang={language}")
        answer_everything_as_public(client, welsh_consultation)
        client.post(url("respond_check", welsh_consultation),
                    {"token": check_token(client, welsh_consultation)})
    assert sorted(Response.objects.values_list("language", flat=True)) == ["cy", "en-gb"]
    assert response_counts(welsh_consultation)["total"] == 2
    # The young people's questions were not asked of either.
    results = [r for r in question_results(welsh_consultation) if r.total]
    assert len(results) >= 3
    for result in results:
        # Every choice question was answered with the same option(s) in both
        # languages: each chosen bar holds both responses.
        assert {bar.count for bar in result.bars} <= {0, 2}
        assert any(bar.count == 2 for bar in result.bars)


def test_the_export_and_the_officers_see_the_language(welsh_consultation, welsh_partnership):
    from tests import factories

    services.response_submit(consultation=welsh_consultation, audience="public", answers={},
                             language="cy")
    officer = factories.MembershipFactory(partnership=welsh_partnership).user
    csv = client_for(officer).get(
        reverse("consultation:export_csv", args=[welsh_consultation.slug])
    ).content.decode("utf-8-sig")
    header, row = csv.strip().splitlines()
    assert header.split(",")[4] == "Language"
    assert row.split(",")[4] == "Cymraeg"


def test_administrators_choose_the_languages_on_the_partnership_details_page(
    welsh_partnership, english_partnership
):
    from tests import factories

    admin = factories.AdministratorFactory(partnership=english_partnership).user
    client = client_for(admin)
    address = reverse("partnerships:details", args=[english_partnership.slug])
    page = client.get(address)
    assert 'value="cy"' in page.content.decode()
    data = details(english_partnership, public_languages=["cy"])
    saved = client.post(address, data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    english_partnership.refresh_from_db()
    assert english_partnership.public_languages == ["en-gb", "cy"]
    refused = client.post(address, data | {"public_languages": ["fr"]})
    assert refused.status_code == 200
    assert "Choose the languages from the list" in refused.content.decode()
    # Another partnership's administrator cannot change it.
    other = client_for(factories.AdministratorFactory(partnership=welsh_partnership).user)
    assert other.post(address, data).status_code == 404


def test_the_service_refuses_languages_not_installed_and_keeps_english(english_partnership):
    from django.core.exceptions import ValidationError

    for bad in (["cy"], ["en-gb", "fr"], "cy", ["en-gb", "en-gb"]):
        with pytest.raises(ValidationError):
            partnership_services.partnership_update(partnership=english_partnership,
                                                    public_languages=bad)


def test_cached_parts_of_public_pages_are_kept_apart_by_language():
    from types import SimpleNamespace

    from django.utils import translation

    strategy = SimpleNamespace(pk=1)
    version = SimpleNamespace(content_hash="abc", content={"priorities": []})
    with translation.override("cy"):
        welsh = public_cache.key("detail", strategy, version)
    with translation.override("en-gb"):
        english = public_cache.key("detail", strategy, version)
    assert welsh != english
