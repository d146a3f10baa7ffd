"""Strategic assessments: one per partnership and year, with lines of enquiry."""

import pytest
from django.urls import reverse

from strategy.models import LineOfEnquiry, StrategicAssessment
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_officer_creates_an_assessment_for_a_year(world):
    client = client_for(world.officer)
    url = reverse("strategy:assessment_create", args=[world.partnership.slug])
    html = client.post(url, {"status": "in_progress"}).content.decode()
    assert "Enter the year of the assessment" in html
    assert "Enter the assessment&#x27;s title" in html
    html = client.post(url, {"year": "2021", "title": "Again", "status": "in_progress"}).content
    assert b"There is already a strategic assessment for this year" in html
    response = client.post(url, {
        "year": "2022", "title": "Strategic Assessment 2022", "status": "in_progress",
        "summary": "Findings", "existing_priorities_review": "Reviewed",
        "emerging_priorities": "Exploitation", "data_sources": "Police recorded crime",
    })
    assert response["Location"] == reverse("strategy:assessment_detail",
                                           args=[world.partnership.slug, 2022])
    assessment = StrategicAssessment.objects.get(partnership=world.partnership, year=2022)
    assert assessment.emerging_priorities == "Exploitation"


def test_an_officer_cannot_mark_an_assessment_signed_off_by_editing_it(world):
    url = reverse("strategy:assessment_edit", args=[world.partnership.slug, 2021])
    html = client_for(world.officer).post(url, {
        "year": "2021", "title": "SA", "status": "signed_off"}).content.decode()
    assert "Select a valid choice" in html
    world.assessment.refresh_from_db()
    assert world.assessment.status == StrategicAssessment.Status.IN_PROGRESS


def test_lines_of_enquiry_are_added_edited_and_removed(world):
    client = client_for(world.officer)
    p = world.partnership.slug
    client.post(reverse("strategy:line_create", args=[p, 2021]),
                {"title": "Modern day slavery", "findings": "More referrals"})
    line = LineOfEnquiry.objects.get(title="Modern day slavery")
    client.post(reverse("strategy:line_edit", args=[p, 2021, line.pk]),
                {"title": "Modern day slavery", "findings": "Referrals doubled"})
    line.refresh_from_db()
    assert line.findings == "Referrals doubled"
    html = client.get(reverse("strategy:assessment_detail", args=[p, 2021])).content.decode()
    assert "Referrals doubled" in html
    client.post(reverse("strategy:line_delete", args=[p, 2021, line.pk]))
    assert not LineOfEnquiry.objects.filter(pk=line.pk).exists()


def test_the_assessment_page_says_when_and_by_whom_it_was_signed_off(world):
    import datetime as dt

    StrategicAssessment.objects.filter(pk=world.assessment.pk).update(
        status="signed_off", signed_off_on=dt.date(2021, 8, 26), signed_off_by="Risk Board"
    )
    html = client_for(world.board_member).get(
        reverse("strategy:assessment_detail", args=[world.partnership.slug, 2021])
    ).content.decode()
    assert "Signed off on 26 August 2021 by Risk Board." in html
