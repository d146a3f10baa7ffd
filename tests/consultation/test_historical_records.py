"""A consultation that already happened, recorded as it was: its real dates,
the number of responses by channel and its results, marked everywhere as a
historical record entered by an officer on a day; it never takes responses,
its public page shows it closed with its results, the plan's milestones are
completed on the days it opened and closed, and the board's evidence and the
strategy PDF use the entered figures."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from consultation import analysis, services
from consultation.models import Consultation, Response
from milestones.evidence import consultation_summary as board_evidence
from milestones.models import Milestone
from strategy.models import StrategyVersion
from strategy.services import version_create
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OPENS, CLOSES = dt.date(2022, 10, 3), dt.date(2022, 12, 23)
FINDINGS = "Most people agreed with the priorities; many asked for more patrols in parks."


def _record(strategy, by=None, **kwargs):
    fields = {
        "title": "Have your say 2022", "slug": f"past-{strategy.pk}",
        "summary": "The draft 2023-26 strategy.", "opens_on": OPENS, "closes_on": CLOSES,
        "responses": {"online": 412, "paper": 37, "event": 12},
        "findings": FINDINGS,
        "headline_figures": ["78% agreed with the draft priorities", "",
                             "  Parks were the place people felt least safe  "],
        "audiences": ["public", "stakeholder"],
        "by": by,
    }
    fields.update(kwargs)
    return services.consultation_record_past(strategy=strategy, **fields)


def _form(chosen, **overrides) -> dict:
    data = {
        "strategy": str(chosen.pk), "title": "Have your say 2022", "slug": "have-your-say-2022",
        "summary": "The draft 2023-26 strategy.",
        "opens_on_0": "3", "opens_on_1": "10", "opens_on_2": "2022",
        "closes_on_0": "23", "closes_on_1": "12", "closes_on_2": "2022",
        "audiences": ["public", "stakeholder"],
        "responses_online": "412", "responses_paper": "37", "responses_event": "",
        "responses_school": "0", "findings": FINDINGS,
        "headline_figures": "78% agreed with the draft priorities\r\n\r\nParks felt least safe",
    }
    data.update(overrides)
    return data


@pytest.fixture
def strategy(partnership):
    strategy = factories.StrategyFactory(partnership=partnership, title="Safer Town 2023-26")
    factories.PriorityFactory(strategy=strategy)
    return strategy


# The service ---------------------------------------------------------------------


def test_a_past_consultation_is_recorded_with_its_real_dates_counts_and_results(
    strategy, officer
):
    consultation = _record(strategy, by=officer)
    consultation.refresh_from_db()
    assert consultation.is_historical and consultation.recorded_by == officer
    assert timezone.localdate(consultation.opens_at) == OPENS
    assert timezone.localdate(consultation.closes_at) == CLOSES
    assert timezone.localdate(consultation.opened_at) == OPENS
    assert timezone.localdate(consultation.closed_at) == CLOSES
    assert consultation.recorded_responses == {"online": 412, "paper": 37, "event": 12}
    assert consultation.headline_figures == [
        "78% agreed with the draft priorities", "Parks were the place people felt least safe",
    ]
    assert consultation.status_at() == Consultation.Status.FEEDBACK
    assert consultation.effective_status_label == "Historical record"
    assert not consultation.is_open and consultation.results_published
    assert timezone.localdate(consultation.created_at) == timezone.localdate()
    # Counts, not invented response rows.
    assert not Response.objects.filter(consultation=consultation).exists()
    counts = analysis.response_counts(consultation)
    assert counts["total"] == 461
    assert {b.label: b.count for b in counts["by_channel"]}["Paper form"] == 37


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"closes_on": dt.date.today()}, "closes_on", "The closing date must be in the past"),
        ({"closes_on": dt.date.today() + dt.timedelta(days=30)}, "closes_on",
         "The closing date must be in the past"),
        ({"closes_on": OPENS}, "closes_on", "The closing date must be after the opening date"),
        ({"findings": "  "}, "findings", "Enter a summary of the results"),
        ({"responses": {"carrier pigeon": 3}}, "responses",
         "Enter the numbers for the ways of responding listed"),
    ],
)
def test_a_historical_record_is_refused_when_it_does_not_add_up(
    strategy, officer, change, field, message
):
    with pytest.raises(ValidationError) as caught:
        _record(strategy, by=officer, **change)
    assert message in caught.value.message_dict[field][0]
    assert not Consultation.objects.exists()


def test_a_negative_or_absurd_count_is_refused_by_the_model(strategy, officer):
    for bad in ({"online": -1}, {"online": 10**12}, {"online": "12"}, {"online": True}):
        with pytest.raises(ValidationError):
            _record(strategy, by=officer, responses=bad, slug=f"bad-{len(str(bad))}")
    assert not Consultation.objects.exists()


def test_a_historical_record_takes_no_responses_at_all(strategy, officer):
    consultation = _record(strategy, by=officer)
    for channel in ("online", "paper", "event", "school"):
        with pytest.raises(services.ConsultationNotOpen, match="historical record"):
            services.response_submit(consultation=consultation, audience="public",
                                     answers={}, channel=channel, entered_by=officer)
    with pytest.raises(ValidationError, match="historical record"):
        services.class_code_issue(consultation=consultation, school="Any school")
    with pytest.raises(ValidationError):
        services.consultation_schedule(consultation=consultation)
    with pytest.raises(ValidationError):
        services.consultation_close_now(consultation=consultation)
    assert services.consultations_advance_all() == 0
    consultation.refresh_from_db()
    assert consultation.status == Consultation.Status.FEEDBACK


def test_recording_it_completes_the_plans_consultation_milestones_on_the_real_days(
    strategy, officer
):
    opening = Milestone.objects.create(
        partnership=strategy.partnership, strategy=strategy, title="Consultation opens",
        kind=Milestone.Kind.CONSULTATION_OPEN, due_date=dt.date(2022, 10, 1),
    )
    window = Milestone.objects.create(
        partnership=strategy.partnership, strategy=strategy, title="Consultation",
        kind=Milestone.Kind.CONSULTATION, starts_on=dt.date(2022, 10, 1),
        due_date=dt.date(2022, 12, 31),
    )
    consultation = _record(strategy, by=officer)
    opening.refresh_from_db()
    window.refresh_from_db()
    assert (opening.status, opening.completed_on) == ("done", OPENS)
    assert (window.status, window.completed_on) == ("done", CLOSES)
    assert window.consultation == consultation


def test_a_correction_keeps_it_historical_and_checks_the_dates_again(strategy, officer):
    consultation = _record(strategy, by=officer)
    services.consultation_record_update(
        consultation=consultation, responses={"online": 500}, findings="Corrected.",
        headline_figures=[],
    )
    consultation.refresh_from_db()
    assert consultation.recorded_responses == {"online": 500}
    assert consultation.findings == "Corrected." and consultation.headline_figures == []
    assert consultation.is_historical and consultation.recorded_by == officer
    with pytest.raises(ValidationError):
        services.consultation_record_update(
            consultation=consultation, closes_on=dt.date.today() + dt.timedelta(days=1)
        )
    live = factories.StrategyFactory(partnership=strategy.partnership)
    from tests.consultation.factories import open_consultation

    with pytest.raises(ValidationError):
        services.consultation_record_update(
            consultation=open_consultation(live.partnership), findings="No."
        )


# Board evidence, the strategy PDF's summary ---------------------------------------


def test_the_board_sees_the_historical_record_as_the_consultation_behind_its_version(
    strategy, officer
):
    _record(strategy, by=officer)
    version = version_create(strategy=strategy, reason=StrategyVersion.Reason.SIGN_OFF)
    summary = board_evidence(version)
    assert summary["title"] == "Have your say 2022"
    assert summary["responses"] == 461 and summary["version_number"] is None
    assert summary["historical"]["findings"] == FINDINGS
    assert summary["historical"]["recorded_by"] == officer.get_full_name()
    assert [c["label"] for c in summary["checks"]] == [
        "Adequate time to respond", "Background information published",
    ]
    assert summary["checks"][0]["passed"] is False  # 11.6 weeks


def test_the_strategy_pdf_summary_uses_the_entered_figures(strategy, officer):
    from documents.sections import consultation_summary

    _record(strategy, by=officer)
    version = version_create(strategy=strategy, reason=StrategyVersion.Reason.PUBLICATION)
    (entry,) = consultation_summary(version)["consultations"]
    assert entry["responses"] == 461
    assert entry["historical"]["headline_figures"][0] == "78% agreed with the draft priorities"
    assert [(b.label, b.count) for b in entry["historical"]["by_channel"]] == [
        ("Online", 412), ("Paper form", 37), ("Event or drop-in", 12),
    ]

    from documents.rendering import strategy_html

    html = strategy_html(version)
    assert "Historical record." in html and "461 responses (online 412, paper form 37" in html
    assert "Most people agreed with the priorities" in html


# Pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, status",
    [("officer", 200), ("partner_officer", 403), ("board_member", 403),
     ("other_officer", 200), ("anonymous", 302)],
)
def test_who_may_open_the_record_a_past_consultation_page(request, strategy, who, status):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    url = reverse("consultation:record_past")
    client = client_for(user)
    assert client.get(url).status_code == status
    response = client.post(url, _form(strategy))
    if who == "officer":
        assert response.status_code == 302
    elif who == "other_officer":
        # Their form offers only their own strategies: this one is not a choice.
        assert response.status_code == 200
        assert "Choose a strategy from the list" in response.content.decode()
    else:
        assert response.status_code == status
    assert Consultation.objects.exists() == (who == "officer")


def test_an_officer_records_a_past_consultation_through_the_form(strategy, officer):
    response = client_for(officer).post(reverse("consultation:record_past"), _form(strategy))
    consultation = Consultation.objects.get()
    assert response["Location"] == consultation.get_manage_url()
    assert consultation.recorded_responses == {"online": 412, "paper": 37}
    assert consultation.headline_figures == ["78% agreed with the draft priorities",
                                             "Parks felt least safe"]
    page = client_for(officer).get(consultation.get_manage_url()).content.decode()
    assert "Historical record" in page
    assert f"entered by {officer.get_full_name()} on {timezone.localdate():%-d %B %Y}" in page
    assert "449" in page and FINDINGS in page
    assert "Paper and event responses" not in page  # no responses to key in


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"closes_on_0": "", "closes_on_1": "", "closes_on_2": ""}, "Enter the closing date"),
        ({"closes_on_0": "31", "closes_on_1": "2", "closes_on_2": "2022"},
         "The closing date must be a real date"),
        ({"opens_on_2": "9" * 30}, "Year must include 4 numbers"),
        ({"closes_on_0": "1", "closes_on_1": "10", "closes_on_2": "2022"},
         "The closing date must be after the opening date"),
        ({"closes_on_2": str(dt.date.today().year + 1)}, "The closing date must be in the past"),
        ({"responses_online": "-5"}, "Enter 0 or more"),
        ({"responses_paper": "lots"}, "Enter a whole number, like 120"),
        ({"responses_event": "9" * 30}, "Enter 10,000,000 or fewer"),
        ({"responses_school": "\x00"}, "Enter a whole number, like 120"),
        ({"findings": ""}, "Enter a summary of the results"),
        ({"audiences": ["everyone"]}, "Select from the list"),
        ({"strategy": "99999999999"}, "Choose a strategy from the list"),
        ({"slug": "Not A Slug!"}, "Use only lower-case letters, numbers and hyphens"),
    ],
)
def test_the_form_says_what_to_fix_next_to_the_field(strategy, officer, overrides, message):
    response = client_for(officer).post(reverse("consultation:record_past"),
                                        _form(strategy, **overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "<title>Error:" in page
    assert page.count(message) >= 2, message  # the summary and the field
    assert not Consultation.objects.exists()


def test_the_web_address_of_a_past_consultation_must_be_free(strategy, officer):
    _record(strategy, by=officer, slug="have-your-say-2022")
    response = client_for(officer).post(reverse("consultation:record_past"), _form(strategy))
    assert "Another consultation uses this web address" in response.content.decode()
    assert Consultation.objects.count() == 1


def test_its_public_page_shows_it_closed_with_its_results(client, strategy, officer):
    consultation = _record(strategy, by=officer)
    detail = client.get(consultation.get_absolute_url()).content.decode()
    assert "Historical record" in detail and "This consultation is closed" in detail
    assert "Respond to this consultation" not in detail
    assert strategy.partnership.name in detail
    # The public page names the partnership, not the officer.
    assert officer.get_full_name() not in detail
    assert "How we use your answers" not in detail
    results = client.get(reverse("consultation:results", args=[consultation.slug]))
    page = results.content.decode()
    assert results.status_code == 200
    assert "461 responses" in page and FINDINGS in page
    assert "78% agreed with the draft priorities" in page and "Historical record" in page
    listing = client.get(reverse("consultation:list")).content.decode()
    assert "A historical record." in listing


def test_its_public_response_pages_refuse_answers(client, strategy, officer):
    consultation = _record(strategy, by=officer)
    url = reverse("consultation:respond", args=[consultation.slug])
    assert "This consultation has closed" in client.get(url).content.decode()
    posted = client.post(url, {"audience": "public", "consent": "on"})
    assert posted.status_code == 403
    assert not Response.objects.exists()


def test_officer_pages_for_responses_send_the_officer_back(strategy, officer):
    consultation = _record(strategy, by=officer)
    for name in ("paper_entry", "class_codes"):
        response = client_for(officer).post(
            reverse(f"consultation:{name}", args=[consultation.slug]),
            {"details-channel": "paper", "school": "Any school"},
        )
        assert response.status_code == 302
        assert response["Location"] == consultation.get_manage_url()
    assert not Response.objects.exists()


def test_an_officer_corrects_the_record_through_the_edit_page(strategy, officer):
    consultation = _record(strategy, by=officer)
    url = reverse("consultation:edit", args=[consultation.slug])
    page = client_for(officer).get(url).content.decode()
    assert "Correct the historical record" in page and 'value="412"' in page
    data = _form(strategy, responses_online="420")
    response = client_for(officer).post(url, data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.recorded_responses == {"online": 420, "paper": 37}
    refused = client_for(officer).post(url, _form(strategy, findings=""))
    assert "Enter a summary of the results" in refused.content.decode()


def test_another_partnerships_officer_cannot_open_or_correct_it(
    strategy, officer, other_officer
):
    consultation = _record(strategy, by=officer)
    for name in ("manage", "edit"):
        url = reverse(f"consultation:{name}", args=[consultation.slug])
        assert client_for(other_officer).get(url).status_code == 404
        assert client_for(other_officer).post(url, _form(strategy)).status_code == 404
    consultation.refresh_from_db()
    assert consultation.recorded_responses["online"] == 412


def test_the_dashboard_panel_counts_the_entered_responses(strategy, officer):
    _record(strategy, by=officer)
    page = client_for(officer).get(reverse("dashboard:home")).content.decode()
    assert "Have your say 2022" in page and "461" in page
