"""Each partnership publishes its own accessibility statement, in the
structure of the GOV.UK model statement, with its own contact and dates, and
says no more than the tests prove. The installation's page lists them."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accessibility import evidence
from partnerships.models import Partnership
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

# The headings of the GOV.UK model accessibility statement, in its order.
MODEL_HEADINGS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website’s accessibility",
    "Compliance status",
    "Non-accessible content",
    "Non-compliance with the accessibility regulations",
    "What we’re doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def _statement(client, partnership) -> str:
    response = client.get(reverse("accessibility:statement", args=[partnership.slug]))
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    main = html[html.index('<main'):html.index('</main>')]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_each_partnership_has_a_statement_in_the_model_statements_structure(client):
    partnership = factories.PartnershipFactory(name="Safer Town Partnership")
    html = _statement(client, partnership)
    headings = re.findall(r"<h[23][^>]*>([^<]+)</h[23]>", html)
    assert [h for h in headings if h in MODEL_HEADINGS] == MODEL_HEADINGS
    assert html.count("<h1") == 1
    assert "Accessibility statement for Safer Town Partnership</h1>" in html
    assert "<title>Accessibility statement – Safer Town Partnership</title>" in html
    text = _text(html)
    assert "This website is partially compliant with the Web Content Accessibility " \
           "Guidelines version 2.2 AA standard, due to the non-compliances listed below" in text
    # The enforcement procedure, in Great Britain and Northern Ireland.
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Commission for Northern Ireland" in text


def test_a_statement_gives_its_partnerships_contact_and_no_other(client):
    ours = factories.PartnershipFactory(
        contact_email="safety@town.example", contact_phone="01632 960 001",
        contact_address="Town Hall\nHigh Street",
    )
    theirs = factories.PartnershipFactory(contact_email="team@elsewhere.example")
    html = _statement(client, ours)
    assert 'href="mailto:safety@town.example"' in html
    assert "01632 960 001" in html and "Town Hall<br>High Street" in html
    assert "elsewhere.example" not in html and theirs.name not in html
    # The partnership's own name and colour, not the installation's.
    assert f"<title>Accessibility statement – {ours.name}</title>" in html


def test_a_statement_offers_the_request_form_that_reaches_the_partnership(client, partnership):
    html = _statement(client, partnership)
    form_url = reverse("accessibility:format_request", args=[partnership.slug])
    assert f'href="{form_url}"' in html
    text = _text(html)
    assert "large print, easy read, plain text, an audio recording or braille" in text
    assert f"Your request goes to {partnership.name}'s officers" in text


def test_a_statement_says_what_the_tests_prove_and_nothing_they_disprove(client, partnership):
    text = _text(_statement(client, partnership))
    # What the checkers found, with the figures the tests assert.
    assert f"axe-core {evidence.AXE_VERSION}" in text and "It finds no problems" in text
    assert f"page-validation, which checks {evidence.PAGE_VALIDATION_RULES} rules of PDF/UA-1" \
        in text
    assert f"outloud, which applies {evidence.OUTLOUD_RULES} rules" in text
    assert "Neither finds an error or a warning" in text
    assert f"a strategy of {evidence.SYNTHETIC_STRATEGY_MIN_PAGES} pages or more" in text
    assert "running headers and page numbers are marked as page furniture" in text
    # What they do not prove, said plainly.
    assert "Automated checks cannot judge everything" in text
    assert "has not yet been audited by accessibility specialists" in text
    # The idle sign-out warns first and offers more time (WCAG 2.2.1), with
    # the installation's settings; it is no longer listed as a failure.
    assert "do nothing for 2 hours, a message warns you 5 minutes before" in text
    assert "2.2.1" not in text
    # And what the PDF checkers accept but a reader may still notice.
    assert "runs over a page break is tagged as two" in text
    assert "1.3.1 (info and relationships)" in text
    # What the old statement said and the tests now disprove.
    assert "not marked as artifacts" not in text
    assert "have not yet been checked with a PDF/UA validator" not in text
    assert "glossary" not in text


def test_the_signed_out_time_in_the_statement_follows_the_setting(client, partnership, settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 45
    assert "do nothing for 45 minutes" in _text(_statement(client, partnership))


def test_the_dates_are_the_partnerships_with_defaults_and_the_installations_test_date(
    client, settings
):
    partnership = factories.PartnershipFactory()
    created = timezone.localdate(partnership.created_at)
    text = _text(_statement(client, partnership))
    assert f"This statement was prepared on {created:%-d %B %Y}." in text
    assert "It has not been reviewed since." in text
    assert "This website was last tested on 30 November 2026" in text

    Partnership.objects.filter(pk=partnership.pk).update(
        accessibility_prepared_on=dt.date(2025, 9, 1),
        accessibility_reviewed_on=dt.date(2026, 3, 2),
    )
    settings.SAFERMK_ACCESSIBILITY_TESTED_ON = dt.date(2026, 6, 15)
    text = _text(_statement(client, partnership))
    assert "This statement was prepared on 1 September 2025." in text
    assert "It was last reviewed on 2 March 2026." in text
    assert "This website was last tested on 15 June 2026" in text


def test_the_test_date_setting_is_read_from_the_environment(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from safermk.env import env_date

    monkeypatch.setenv("SAFERMK_ACCESSIBILITY_TESTED_ON", "2027-01-31")
    assert env_date("SAFERMK_ACCESSIBILITY_TESTED_ON", "2026-11-30") == dt.date(2027, 1, 31)
    monkeypatch.setenv("SAFERMK_ACCESSIBILITY_TESTED_ON", "31/01/2027")
    with pytest.raises(ImproperlyConfigured, match="SAFERMK_ACCESSIBILITY_TESTED_ON"):
        env_date("SAFERMK_ACCESSIBILITY_TESTED_ON", "2026-11-30")


def _details(partnership, **changes):
    data = {
        "name": partnership.name, "area": partnership.area, "aim": partnership.aim,
        "short_code": partnership.short_code, "colour": partnership.colour,
        "plan_body": partnership.plan_body, "pcc_plan_title": "", "pcc_plan_url": "",
        "website": "", "contact_email": "team@example.org", "contact_phone": "",
        "contact_address": "",
    }
    return data | changes


def _date(name, day):
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_the_partnerships_administrator_records_when_the_statement_was_reviewed(partnership):
    administrator = factories.AdministratorFactory(partnership=partnership).user
    client = client_for(administrator)
    url = reverse("partnerships:details", args=[partnership.slug])
    today = timezone.localdate()
    saved = client.post(url, _details(
        partnership,
        **_date("accessibility_prepared_on", today - dt.timedelta(days=300)),
        **_date("accessibility_reviewed_on", today),
    ))
    assert saved.status_code == 302
    partnership.refresh_from_db()
    assert partnership.accessibility_reviewed_on == today
    assert f"It was last reviewed on {today:%-d %B %Y}." in _text(
        _statement(client_for(None), partnership)
    )


@pytest.mark.parametrize(
    "dates, field, message",
    [
        ({"accessibility_reviewed_on": 5}, "accessibility_reviewed_on",
         "The date it was reviewed must be today or in the past"),
        ({"accessibility_prepared_on": 5}, "accessibility_prepared_on",
         "The date it was prepared must be today or in the past"),
        ({"accessibility_prepared_on": -5, "accessibility_reviewed_on": -10},
         "accessibility_reviewed_on",
         "The date it was reviewed must be on or after the date it was prepared"),
    ],
)
def test_statement_dates_in_the_future_or_out_of_order_are_refused_next_to_the_field(
    partnership, dates, field, message
):
    administrator = factories.AdministratorFactory(partnership=partnership).user
    today = timezone.localdate()
    data = _details(partnership)
    for name, days in dates.items():
        data |= _date(name, today + dt.timedelta(days=days))
    response = client_for(administrator).post(
        reverse("partnerships:details", args=[partnership.slug]), data
    )
    html = response.content.decode()
    assert response.status_code == 200
    # In the error summary, and next to the field.
    assert "govuk-error-summary" in html and html.count(message) == 2
    assert f'href="#{field}' in html or f'href="#id_{field}' in html
    partnership.refresh_from_db()
    assert partnership.accessibility_prepared_on is None
    assert partnership.accessibility_reviewed_on is None


def test_the_installation_page_lists_each_partnerships_statement_a_page_at_a_time(client):
    for n in range(60):
        factories.PartnershipFactory(name=f"Partnership {n:03d}", contact_email=f"p{n}@example.org")
    first = client.get(reverse("accessibility")).content.decode()
    assert first.count("<h1") == 1 and "<title>Accessibility statements" in first
    links = re.findall(r'href="/partnerships/([^/]+)/accessibility/"', first)
    assert len(links) == 50
    # No one's contact on the installation's page: each statement has its own.
    assert "mailto:" not in first
    second = client.get(reverse("accessibility") + "?page=2").content.decode()
    assert len(re.findall(r'href="/partnerships/([^/]+)/accessibility/"', second)) == 10
    assert "Partnership 059" in second and "Partnership 059" not in first


def test_the_installation_page_costs_the_same_queries_with_twice_the_partnerships(client):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("accessibility")).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(150):
        factories.PartnershipFactory()
    queries = count()
    for _ in range(150):
        factories.PartnershipFactory()
    assert count() == queries <= 3


def test_a_statement_costs_one_query(client, partnership):
    url = reverse("accessibility:statement", args=[partnership.slug])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert len(ctx.captured_queries) == 1


def test_an_unknown_partnership_has_no_statement(client):
    assert client.get(reverse("accessibility:statement", args=["no-such"])).status_code == 404


def test_a_partnerships_pages_link_the_footer_to_its_own_statement(client, partnership):
    from tests.documents.factories import published_strategy

    strategy = published_strategy(partnership, priorities=1, measures=1, measurements=1)
    own = reverse("accessibility:statement", args=[partnership.slug])
    page = client.get(reverse("strategy:public_detail", args=[strategy.slug])).content.decode()
    assert f'class="govuk-footer__link" href="{own}">Accessibility statement</a>' in page
    home = client.get(reverse("home")).content.decode()
    assert f'class="govuk-footer__link" href="{reverse("accessibility")}">' in home


def test_the_statements_figures_are_the_ones_the_checkers_are_run_with():
    # The PDF figures are asserted where the checkers run
    # (tests/documents/test_pdf_accessibility.py); axe's here.
    from tests.browser.conftest import AXE_JS, AXE_OPTIONS

    assert AXE_JS.startswith(f"/*! axe v{evidence.AXE_VERSION}")
    assert set(AXE_OPTIONS["runOnly"]["values"]) == {
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"
    }
    assert evidence.AXE_STANDARDS.startswith("WCAG 2.0, 2.1 and 2.2 at levels A and AA")
    vendored = Path(__file__).resolve().parents[1] / "browser" / "vendor" / "axe.min.js"
    assert vendored.read_text().startswith(f"/*! axe v{evidence.AXE_VERSION}")
