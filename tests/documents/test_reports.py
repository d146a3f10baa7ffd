"""Partnership reports in the seeds' format: written by an officer, ticked
and filled from the data."""

import re

import pytest
from django.urls import reverse

from documents.models import PartnershipReport
from documents.rendering import paragraphs, render_report_pdf
from documents.services import report_create
from strategy.models import Priority, StatutoryResponsibility, Strategy
from tests.conftest import client_for
from tests.documents.conftest import pdf_text, reader, squash

pytestmark = pytest.mark.django_db


def _ticks(text: str) -> dict[str, bool]:
    """Row label -> ticked, from the layout text of the checkbox tables."""
    rows = {}
    for line in text.splitlines():
        match = re.match(r"^\s*(.+?)\s{2,}(X Yes|No)\s*$", line)
        if match:
            rows[match.group(1).strip()] = match.group(2) == "X Yes"
    return rows


def test_the_2017_report_pdf_has_the_checkbox_table_with_the_seeds_ticks(demo):
    report = PartnershipReport.objects.get(title="SaferMK Strategy Development 2018/21")
    content = render_report_pdf(report).content
    ticks = _ticks(pdf_text(content, layout=True))
    assert ticks["Police and Crime Commissioner"] is True
    section17 = "An item under Section 17 of the Crime and Disorder Act 1998 that supports"
    assert next(v for k, v in ticks.items() if k.startswith(section17)) is True
    for name in ("Anti-Social Behaviour", "Reducing Re-offending", "Prevent"):
        assert ticks[name] is False
    for title in ("Reducing the number of violent incidences",
                  "Tackling and enforcing substance misuse",
                  "Enhance community engagement to reduce fear of crime"):
        assert ticks[title] is False
    text = squash(pdf_text(content))
    assert "Development of Strategy FOR DECISION" in text
    assert "Colin Wilderspin (Head of Community Safety) Tel: 01908 254533" in text
    for heading in ("1. Purpose of report", "2. Brief introduction", "3. Recommendations",
                    "4. Comments/Recommendations from scrutiny",
                    "5. Background", "6. Other considerations / Key Partnership Involvement",
                    "7. Attachments/Background Papers"):
        assert heading in text
    assert "3.3 That the Partnership be requested to consider establishing a Strategy" in text
    pdf = reader(content)
    assert pdf.metadata.title == "SaferMK Strategy Development 2018/21"
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_the_2021_report_pdf_follows_the_seed_with_its_milestones_from_the_plan(demo):
    report = PartnershipReport.objects.get(
        title="Development of a Community Safety Strategy for 2022"
    )
    text = squash(pdf_text(render_report_pdf(report).content))
    assert "30 June 2021" in text and "Mel Marshman (Head of Partnerships and Resilience)" in text
    assert "FOR INFORMATION" in text
    # The seed's order; the checkbox table of the purpose is section 1 in every report.
    assert text.index("1. Purpose of report") < text.index("2. Background") < text.index(
        "3. Key Milestones"
    ) < text.index("4. Recommendations")
    assert "July 2021 MK Together Management Board discussion of early findings" in text
    assert "October – January 2022 Consult key stakeholders on draft strategy" in text
    assert "March 2022 Strategy adopted by Safer MK" in text
    assert "• existing priority areas identified in the current strategy;" in text
    assert "Page 1 of 2" in text


def test_a_ticked_priority_ticks_the_responsibilities_it_carries(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    violence = Priority.objects.get(strategy=strategy, title__startswith="Reducing the number")
    report = report_create(
        strategy=strategy, title="Violence update", author_name="Alex Morgan",
        purpose="information", recommendations="Note the update.", priorities=[violence],
    )
    ticks = _ticks(pdf_text(render_report_pdf(report).content, layout=True))
    assert ticks["Reducing the number of violent incidences"] is True
    assert ticks["Tackling and enforcing substance misuse"] is False
    carried = set(violence.responsibilities.values_list("name", flat=True))
    assert carried == {"Serious Violence", "Police and Crime Commissioner"}
    assert ticks["Serious Violence (through a ticked priority)"] is True
    assert ticks["Prevent"] is False


def _form_data(**overrides):
    data = {
        "title": "Annual refresh of the strategy",
        "author_name": "Alex Morgan",
        "author_role": "Community Safety Officer",
        "author_phone": "01908 000000",
        "author_email": "officer@example.org",
        "purpose": "decision",
        "purpose_text": "The Partnership is asked to agree the refresh.",
        "introduction": "First paragraph.\n\nSecond paragraph:\n- one\n- two",
        "recommendations": "That the refresh be agreed.",
        "include_milestones": "on",
        "report_date_0": "30",
        "report_date_1": "9",
        "report_date_2": "2021",
    }
    data.update(overrides)
    return data


def test_an_officer_writes_a_report_and_sees_its_preview(demo, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    strategy = Strategy.objects.get(slug="safermk-strategy-2022")
    client = client_for(officer)
    url = reverse("documents:report_create", kwargs={"strategy": strategy.slug})
    form = client.get(url).content.decode()
    # The author and the strategy's responsibilities come from the data.
    assert 'value="Alex Morgan"' in form and 'value="Community Safety Officer"' in form
    pcc = StatutoryResponsibility.objects.get(code="pcc")
    assert re.search(rf'value="{pcc.pk}"[^>]*checked', form)
    response = client.post(url, _form_data(responsibilities=[pcc.pk]))
    report = PartnershipReport.objects.get(title="Annual refresh of the strategy")
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    assert report.partnership == strategy.partnership and report.created_by == officer
    assert list(report.responsibilities.all()) == [pcc]
    html = client.get(report.get_absolute_url()).content.decode()
    assert "Annual refresh of the strategy" in html
    assert "2.2" in html and "<li>two</li>" in html
    assert "FOR DECISION" in html
    # The PDF is made by the worker after the request that asks for it.
    url = reverse("documents:report_pdf", kwargs={"report": report.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url).status_code == 503
    pdf = client.get(url)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert 'filename="safermk-partnership-report-annual-refresh-of-the-strategy.pdf"' in pdf[
        "Content-Disposition"
    ]


def test_an_officer_edits_a_report(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    report = PartnershipReport.objects.get(title="SaferMK Strategy Development 2018/21")
    url = reverse("documents:report_edit", kwargs={"report": report.pk})
    s17 = StatutoryResponsibility.objects.get(code="s17")
    response = client_for(officer).post(
        url, _form_data(title="Strategy development (revised)", responsibilities=[s17.pk],
                        section17_statement="Development of Strategy")
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.title == "Strategy development (revised)"
    assert list(report.responsibilities.all()) == [s17]


def test_a_blank_report_says_what_to_fix(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    url = reverse("documents:report_create", kwargs={"strategy": "safermk-strategy-2022"})
    html = client_for(officer).post(url, {"author_name": ""}).content.decode()
    assert "<title>Error: " in html and "There is a problem" in html
    for message in ("Enter the subject of the report", "Enter the author&#x27;s name",
                    "Choose whether the report is for information or for decision",
                    "Enter the recommendations"):
        assert message in html
    assert PartnershipReport.objects.count() == 2


def test_a_section_17_item_must_say_what_it_is_about(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    s17 = StatutoryResponsibility.objects.get(code="s17")
    url = reverse("documents:report_create", kwargs={"strategy": "safermk-strategy-2022"})
    html = client_for(officer).post(url, _form_data(responsibilities=[s17.pk])).content.decode()
    assert "Say what the section 17 item is about" in html


def test_priorities_of_another_strategy_cannot_be_ticked(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    other = Priority.objects.filter(strategy__slug="safermk-strategy-2018-2021").first()
    url = reverse("documents:report_create", kwargs={"strategy": "safermk-strategy-2022"})
    response = client_for(officer).post(url, _form_data(priorities=[other.pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_paragraphs_are_split_on_blank_lines_with_bullets_inside():
    assert paragraphs("One.\nStill one.\n\nTwo:\n- a\n* b\n\n\n") == [
        {"text": "One. Still one.", "bullets": []},
        {"text": "Two:", "bullets": ["a", "b"]},
    ]
    assert paragraphs("") == []


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("31", "2", "2021", "The date of the meeting must be a real date"),
        ("30", "", "2021", "The date of the meeting must include a month"),
        ("x", "9", "2021", "The date of the meeting must be a real date"),
    ],
)
def test_a_meeting_date_that_does_not_exist_is_refused_in_plain_english(
    demo, day, month, year, message
):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    url = reverse("documents:report_create", kwargs={"strategy": "safermk-strategy-2022"})
    data = _form_data(report_date_0=day, report_date_1=month, report_date_2=year)
    html = client_for(officer).post(url, data).content.decode()
    assert message in html
    assert PartnershipReport.objects.count() == 2


def test_the_section_17_box_does_not_start_ticked_on_a_new_report(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    url = reverse("documents:report_create", kwargs={"strategy": "safermk-strategy-2022"})
    form = client_for(officer).get(url).content.decode()
    s17 = StatutoryResponsibility.objects.get(code="s17")
    assert not re.search(rf'value="{s17.pk}"[^>]*checked', form)


def test_the_edit_form_shows_the_saved_meeting_date_in_three_boxes(demo):
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    report = PartnershipReport.objects.get(report_date="2021-06-30")
    html = client_for(officer).get(
        reverse("documents:report_edit", kwargs={"report": report.pk})
    ).content.decode()
    for name, value in (("report_date_0", "30"), ("report_date_1", "6"), ("report_date_2", "2021")):
        assert re.search(rf'name="{name}"[^>]*value="{value}"|value="{value}"[^>]*name="{name}"',
                         html), name
