"""Erasure by reference: a respondent's free text, comments, equality
answers and organisation leave the database, the exports and the search;
every count, the themes and "you said, we did" stay as they were. And the
copy a respondent asks for holds everything they sent."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import Action, AuditEvent, AuditImmutable
from consultation import analysis, exports, rights, services
from consultation.models import (
    Answer,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    RightsRequest,
)
from tests.conftest import client_for
from tests.consultation.factories import open_consultation
from tests.consultation.rights_helpers import (
    COMMENT,
    FREE_TEXT,
    ORGANISATION,
    POSTCODE,
    SAFER_TEXT,
    submit_full,
    submit_other,
)

pytestmark = pytest.mark.django_db

PERSONAL = [FREE_TEXT, SAFER_TEXT, COMMENT, ORGANISATION, "Zebrafinch", "Quokkaberry",
            "Quillwort", "Marrowbone"]


def _everything_stored() -> list[tuple[str, str]]:
    """(model, text) of every text, JSON and character value of every row of
    every table the product has."""
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField, models.JSONField,
                                    models.GenericIPAddressField))]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for value in row:
                if value not in (None, ""):
                    text = value if isinstance(value, str) else json.dumps(value)
                    found.append((model._meta.label, text))
    return found


def _personal(stored) -> list[tuple[str, str]]:
    return sorted((model, text) for model, text in stored
                  if any(word in text for word in PERSONAL))


def _snapshot(consultation: Consultation) -> dict:
    consultation = Consultation.objects.get(pk=consultation.pk)
    counts = analysis.response_counts(consultation)
    return {
        "total": counts["total"],
        "channel": [(b.label, b.count) for b in counts["by_channel"]],
        "audience": [(b.label, b.count) for b in counts["by_audience"]],
        "by_day": [(r["day"], r["n"]) for r in counts["by_day"]],
        "questions": [(r.question.pk, r.part_label, [(b.label, b.count) for b in r.bars])
                      for r in analysis.question_results(consultation)],
        "rankings": [(r["question"].pk, r["rows"]) for r in analysis.ranking_results(consultation)],
        "equality": {k: [(b.label, b.count) for b in v]
                     for k, v in analysis.equality_counts(consultation).items()},
        "themes": [(t.name, t.answer_count, t.comment_count)
                   for t in analysis.themes_with_counts(consultation)],
        "comment_counts": analysis.comment_counts(consultation),
        "free_text_answers": analysis.free_text(consultation).count(),
        "you_said_we_did": [
            (c["title"], c["responses"], c["themes"])
            for c in services.you_said_we_did(consultation.strategy)
        ],
        "export_rows": len(list(exports.response_rows(consultation))),
    }


@pytest.fixture
def coded(partnership, other_partnership, officer):
    """A closed consultation with "you said, we did" published: the
    respondent's response, others, and its free text and comment coded to a
    theme. Another partnership has the same words in its own response."""
    consultation = open_consultation(partnership)
    target = submit_full(consultation, token="a" * 32)
    submit_other(consultation, 3)
    theirs = open_consultation(other_partnership)
    submit_full(theirs)
    theme = services.theme_create(consultation=consultation, name="Lighting")
    for answer in Answer.objects.filter(response=target).exclude(text=""):
        services.answer_code(answer=answer, themes=[theme])
    services.comment_code(comment=DraftComment.objects.get(response=target), themes=[theme])
    services.consultation_close_now(consultation=consultation)
    services.theme_update(theme=theme, name="Lighting", you_said="Paths are dark",
                          we_did="Added a lighting objective", why_not="Already funded")
    services.consultation_publish_feedback(consultation=Consultation.objects.get(
        pk=consultation.pk), by=officer)
    return {"consultation": Consultation.objects.get(pk=consultation.pk), "target": target,
            "theirs": theirs}


def _erase_by_reference(reference, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = rights.rights_request_submit(reference=reference.lower().replace("-", " "),
                                               kind="erasure", email="resident@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        rights.rights_request_decide(rights_request=request, decision="erased", by=officer)
    return RightsRequest.objects.get(pk=request.pk)


def test_erasure_by_reference_leaves_no_personal_or_free_text_and_counts_unchanged(
    coded, officer, django_capture_on_commit_callbacks
):
    consultation, target = coded["consultation"], coded["target"]
    reference = target.reference
    before = _snapshot(consultation)
    personal_before = _personal(_everything_stored())

    request = _erase_by_reference(reference, officer, django_capture_on_commit_callbacks)

    assert request.status == RightsRequest.Status.ERASED and request.response is None
    target.refresh_from_db()
    assert target.erased_at and target.erased_by == officer
    assert target.reference != reference and target.reference.startswith("ERASED-")
    assert target.organisation_name == "" and target.idempotency_token is None
    assert not EqualityResponse.objects.filter(response=target).exists()
    # Nothing of what the respondent gave is left in any table; the other
    # partnership's response with the same words is untouched.
    stored = _everything_stored()
    personal_after = _personal(stored)
    assert len(personal_after) * 2 == len(personal_before) == 8
    theirs = coded["theirs"]
    assert Answer.objects.filter(text__in=[FREE_TEXT, SAFER_TEXT]).exclude(
        response__consultation=theirs).count() == 0
    assert not DraftComment.objects.filter(text=COMMENT).exclude(consultation=theirs).exists()
    assert not Response.objects.filter(organisation_name=ORGANISATION).exclude(
        consultation=theirs).exists()
    assert not EqualityResponse.objects.filter(
        consultation=consultation, postcode_district=POSTCODE).exists()
    # The old reference survives only in the request itself and the audit.
    assert {model for model, text in stored if reference in text} == {
        "consultation.RightsRequest", "audit.AuditEvent"}
    # Every count, theme count and "you said, we did" is as it was.
    assert _snapshot(consultation) == before


def test_erasure_leaves_nothing_in_the_exports_or_the_search(
    coded, officer, django_capture_on_commit_callbacks
):
    consultation, target = coded["consultation"], coded["target"]
    reference = target.reference
    equality_rows = len(list(exports.equality_rows(consultation)))
    _erase_by_reference(reference, officer, django_capture_on_commit_callbacks)

    client = client_for(officer)
    csv_text = client.get(reverse("consultation:export_csv", args=[consultation.slug])
                          ).content.decode("utf-8-sig")
    workbook = load_workbook(io.BytesIO(client.get(
        reverse("consultation:export_xlsx", args=[consultation.slug])).content))
    xlsx_text = "\n".join(
        str(cell) for row in workbook.active.iter_rows(values_only=True) for cell in row
    )
    equality_text = client.get(
        reverse("consultation:export_equality_csv", args=[consultation.slug])
    ).content.decode("utf-8-sig")
    for text in (csv_text, xlsx_text, equality_text):
        assert reference not in text
        assert not any(word in text for word in PERSONAL)
        assert POSTCODE not in text
    assert "[deleted at the respondent's request]" in csv_text
    assert len(equality_text.strip().splitlines()) == equality_rows - 1
    # The search (PostgreSQL's full-text index, or icontains on SQLite).
    for word in ("Zebrafinch", "lighting outside number", "Quillwort"):
        assert not analysis.free_text(consultation, search=word).exists()
    assert not analysis.comments(consultation, search="Quokkaberry").exists()
    assert analysis.free_text(coded["theirs"], search="Zebrafinch").exists()


def test_the_retention_period_after_an_erasure_keeps_every_total(
    coded, officer, django_capture_on_commit_callbacks
):
    consultation = coded["consultation"]
    before = _snapshot(consultation)["equality"]
    _erase_by_reference(coded["target"].reference, officer, django_capture_on_commit_callbacks)
    services.consultation_apply_retention(consultation=consultation)
    assert not EqualityResponse.objects.filter(consultation=consultation).exists()
    assert _snapshot(consultation)["equality"] == before
    assert before["sex"][0] == ("Female", 1) and before["sex"][1] == ("Male", 3)


def test_an_erased_response_cannot_be_erased_again_or_found_by_its_reference(
    coded, officer, django_capture_on_commit_callbacks
):
    target = coded["target"]
    reference = target.reference
    _erase_by_reference(reference, officer, django_capture_on_commit_callbacks)
    with pytest.raises(Exception, match="already been erased"):
        services.response_erase(response=Response.objects.get(pk=target.pk), by=officer)
    again = rights.rights_request_submit(reference=reference, kind="copy",
                                         email="resident@example.org")
    assert again.response is None and again.partnership == coded["consultation"].partnership


def test_the_erasure_is_in_the_audit_and_cannot_be_edited(
    coded, officer, django_capture_on_commit_callbacks
):
    reference = coded["target"].reference
    _erase_by_reference(reference, officer, django_capture_on_commit_callbacks)
    erasure = AuditEvent.objects.get(action=Action.ERASURE)
    assert erasure.actor == officer and reference in erasure.summary
    assert erasure.partnership == coded["consultation"].partnership
    assert AuditEvent.objects.filter(action=Action.DECISION, summary__contains=reference).exists()
    received = AuditEvent.objects.get(action=Action.RIGHTS_REQUEST)
    assert received.ip_address is None and received.actor is None
    erasure.summary = "Nothing happened"
    with pytest.raises(AuditImmutable):
        erasure.save()


def test_the_copy_holds_everything_the_respondent_sent(partnership, officer):
    consultation = open_consultation(partnership)
    response = submit_full(consultation)
    request = rights.rights_request_submit(reference=response.reference, kind="copy",
                                           email="resident@example.org")
    copy = rights.rights_request_copy(rights_request=request, by=officer)

    assert response.reference in copy and consultation.title in copy
    assert ORGANISATION in copy and COMMENT in copy and POSTCODE in copy
    for answer in Answer.objects.filter(response=response).select_related("question"):
        assert answer.question.text in copy
        if answer.text:
            assert answer.text in copy
    priorities = consultation.draft_priorities
    assert f"1. {priorities[-1]['title']}" in copy  # ranked in reverse order
    assert f"{len(priorities)}. {priorities[0]['title']}" in copy
    for shown in ("Agree", "During the day: Very safe", "After dark: Fairly unsafe",
                  "Knife crime", "Burglary", "Sex: Female", "Age band: 25 to 34",
                  "Ethnicity: Mixed or multiple ethnic groups", "Disability: No",
                  "The draft strategy as a whole"):
        assert shown in copy, shown
    # Nothing of anyone else's.
    submit_other(consultation, 1)
    assert "Ordinary" not in rights.rights_request_copy(rights_request=request, by=officer)
    assert AuditEvent.objects.filter(action=Action.SUBJECT_ACCESS, actor=officer).count() == 2


def test_only_the_free_text_questions_lose_their_text(coded, officer,
                                                       django_capture_on_commit_callbacks):
    target = coded["target"]
    closed = sorted(Answer.objects.filter(response=target, text="")
                    .values_list("question_id", "part", "value", "rank"))
    _erase_by_reference(target.reference, officer, django_capture_on_commit_callbacks)
    assert sorted(Answer.objects.filter(response=target, text="")
                  .values_list("question_id", "part", "value", "rank")) == closed
    assert set(Answer.objects.filter(response=target).exclude(text="")
               .values_list("text", flat=True)) == {services.ERASURE_MARK}
    assert set(Answer.objects.filter(response=target).exclude(text="")
               .values_list("question__kind", flat=True)) == {Question.Kind.TEXT}
