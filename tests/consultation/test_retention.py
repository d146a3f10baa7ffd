"""After the retention period, free text, comments and equality data go;
every count stays."""

import datetime as dt

import pytest
from django.utils import timezone

from consultation import analysis, services, tasks
from consultation.models import Answer, Consultation, DraftComment, EqualityResponse
from tests.consultation.factories import open_consultation

pytestmark = pytest.mark.django_db


def _with_responses():
    consultation = open_consultation(retention_days=30)
    text = consultation.sections.get(title="Feeling safe where you live").questions.get(
        kind="text")
    scale = consultation.sections.get(title="The draft priorities").questions.get(kind="scale")
    for sex in ("female", "male", "female"):
        services.response_submit(
            consultation=consultation, audience="public",
            answers={str(text.pk): "Lighting on the path by my house", str(scale.pk): "agree"},
            comments={"general": "A comment"}, equality={"sex": sex},
        )
    return consultation


def test_retention_deletes_free_text_and_equality_data_but_keeps_counts():
    consultation = _with_responses()
    counts_before = [(r.question.pk, r.part_label, [(b.label, b.count) for b in r.bars])
                     for r in analysis.question_results(consultation)]
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - dt.timedelta(days=31))

    assert tasks.consultations_apply_retention() == 1

    consultation.refresh_from_db()
    assert consultation.data_deleted_at
    assert not EqualityResponse.objects.exists()
    assert not Answer.objects.filter(text__contains="Lighting").exists()
    assert not DraftComment.objects.filter(text="A comment").exists()
    assert DraftComment.objects.count() == 3
    assert consultation.retained_summary["equality"]["sex"] == {"female": 2, "male": 1}
    assert consultation.responses.count() == 3
    after = [(r.question.pk, r.part_label, [(b.label, b.count) for b in r.bars])
             for r in analysis.question_results(consultation)]
    assert after == counts_before
    assert tasks.consultations_apply_retention() == 0


def test_retention_waits_for_the_period_to_pass():
    consultation = _with_responses()
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - dt.timedelta(days=29))
    assert services.consultations_apply_retention() == 0
    assert EqualityResponse.objects.count() == 3
