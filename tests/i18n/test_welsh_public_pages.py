"""A Welsh partnership's other public pages in Welsh: the consultation's
page, the list filtered to the partnership, the page of a consultation not
open, its results; English stays English, and the draft (entered in
English) is marked lang="en" on a Welsh page."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.consultation.walk import url

pytestmark = pytest.mark.django_db


def test_the_consultation_page_is_in_welsh_with_the_english_draft_marked(welsh_consultation):
    welsh_consultation.translations = {"cy": {"title": "Dweud eich dweud",
                                              "summary": "Dywedwch wrthym beth yw eich barn."}}
    welsh_consultation.save()
    html = Client().get(welsh_consultation.get_absolute_url() + "?lang=cy").content.decode()
    assert '<html lang="cy"' in html
    assert "Dweud eich dweud" in html and "Dywedwch wrthym beth yw eich barn." in html
    assert "Ymateb i’r ymgynghoriad hwn" in html and "Ar agor tan" in html
    assert "Y strategaeth ddrafft" in html and '<div lang="en">' in html
    assert "Respond to this consultation" not in html
    english = Client().get(welsh_consultation.get_absolute_url()).content.decode()
    assert "Respond to this consultation" in english and '<div lang="en">' not in english


def test_the_list_filtered_to_a_welsh_partnership_is_in_welsh(welsh_consultation):
    address = (reverse("consultation:list")
               + f"?partnership={welsh_consultation.partnership.slug}&lang=cy")
    html = Client().get(address).content.decode()
    assert '<html lang="cy"' in html
    assert "Ymgynghoriadau" in html and "Hidlo" in html and "1 ymgynghoriad" in html
    assert "Ar agor nawr" in html and "Aelodau o’r cyhoedd" in html
    # No Welsh title was entered: the English one, marked as English.
    assert f'<span lang="en">{welsh_consultation.title}</span>' in html


def test_the_list_of_every_partnership_stays_in_english(welsh_consultation):
    html = Client().get(reverse("consultation:list") + "?lang=cy").content.decode()
    assert '<html lang="en-GB"' in html and "Filter" in html


def test_results_not_yet_published_are_in_welsh(welsh_consultation):
    page = Client().get(url("results", welsh_consultation) + "?lang=cy")
    html = page.content.decode()
    assert "Canlyniadau heb eu cyhoeddi eto" in html
    assert "Cael y canlyniadau drwy e-bost pan gânt eu cyhoeddi" in html


def test_the_saved_answers_link_problems_are_in_welsh(welsh_consultation):
    client = Client()
    page = client.get(url("respond_continue", welsh_consultation, "not-a-token") + "?lang=cy")
    html = page.content.decode()
    assert "Nid yw’r ddolen hon yn gweithio" in html and "Dechrau eich ymateb" in html


def test_the_partnership_home_page_is_in_welsh_with_its_own_words_marked_english(
    welsh_consultation
):
    partnership = welsh_consultation.partnership
    home = reverse("partnership_home", args=[partnership.slug])
    html = Client().get(home + "?lang=cy").content.decode()
    assert '<html lang="cy"' in html
    assert "Dweud eich dweud" in html and "Ar agor nawr" in html and "Cysylltu â ni" in html
    assert f'<span lang="en">{partnership.aim}</span>' in html
    english = Client().get(home).content.decode()
    assert "Have your say" in english and "Cysylltu â ni" not in english


def test_following_a_welsh_consultation_is_in_welsh_and_errors_too(welsh_consultation):
    client = Client()
    address = reverse("subscriptions:follow_consultation", args=[welsh_consultation.slug])
    html = client.get(address + "?lang=cy").content.decode()
    assert "Cael y canlyniadau drwy e-bost" in html and "Anfon dolen ataf i gadarnhau" in html
    refused = client.post(address, {"email": "not an address"}).content.decode()
    assert "Mae problem" in refused
    sent = client.post(address, {"email": "person@example.org"})
    assert sent.status_code == 302
    assert "Gwiriwch eich e-bost" in client.get(sent["Location"]).content.decode()


def test_a_broken_confirmation_link_is_explained_in_the_language_chosen_before(
    welsh_consultation
):
    client = Client()
    client.get(welsh_consultation.get_absolute_url() + "?lang=cy")  # remembered in a cookie
    page = client.get(reverse("subscriptions:confirm", args=["not-a-token"]))
    html = page.content.decode()
    assert "Nid yw’r ddolen hon yn gweithio" in html and "Copïwch y ddolen gyfan o’r e-bost" in html


def test_following_in_welsh_sends_the_confirmation_in_welsh_and_in_english_otherwise(
    welsh_consultation, django_capture_on_commit_callbacks
):
    from django.core import mail

    from subscriptions.models import Subscription

    address = reverse("subscriptions:follow_consultation", args=[welsh_consultation.slug])
    welsh, english = Client(), Client()
    welsh.get(address + "?lang=cy")
    with django_capture_on_commit_callbacks(execute=True):
        welsh.post(address, {"email": "cymraeg@example.org"})
        english.post(address + "?lang=en", {"email": "english@example.org"})
    assert Subscription.objects.get(email="cymraeg@example.org").language == "cy"
    assert Subscription.objects.get(email="english@example.org").language == "en-gb"
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Cadarnhewch eich bod eisiau e-byst" in by_address["cymraeg@example.org"].subject
    assert "I gadarnhau, agorwch y ddolen hon" in by_address["cymraeg@example.org"].body
    assert "Confirm you want e-mails" in by_address["english@example.org"].subject


def test_times_of_day_are_written_the_welsh_way_on_welsh_pages(welsh_consultation):
    import datetime as dt

    from django.utils import translation

    from safermk.templatetags.safermk_format import clock

    assert clock(dt.time(9, 30)) == "9:30am" and clock(dt.time(12, 0)) == "midday"
    with translation.override("cy"):
        assert clock(dt.time(9, 30)) == "9:30yb" and clock(dt.time(17, 0)) == "5yh"
        assert clock(dt.time(12, 0)) == "canol dydd" and clock(dt.time(0, 0)) == "hanner nos"
