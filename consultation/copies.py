"""The copy of one response that its respondent asks for (UK GDPR article
15): every answer as they gave it, their comments on the draft and their
equality answers, in plain text that can be read, printed or attached to an
e-mail. Built from the database each time, so it is what is held now."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format

from consultation.models import Answer, EqualityResponse, Question, Response


def response_copy(response: Response) -> str:
    consultation = response.consultation
    priorities = consultation.draft_priorities
    lines = [
        f"Your response to “{consultation.title}”",
        consultation.partnership.name,
        "",
        f"Reference: {response.reference}",
        "Sent: " + date_format(timezone.localtime(response.submitted_at), "j F Y, H:i"),
        f"How: {response.get_channel_display()}",
        f"Answering as: {response.get_audience_display()}",
    ]
    if response.organisation_name:
        lines.append(f"Organisation: {response.organisation_name}")
    if response.class_code_id:
        lines.append(f"School: {response.class_code}")
    if response.age_band:
        lines.append(f"Age: {response.get_age_band_display()}")
    if response.erased_at:
        lines.append("Its free text, comments and answers about you were deleted on "
                     + date_format(timezone.localtime(response.erased_at), "j F Y") + ".")
    answers: dict[int, list[Answer]] = {}
    for answer in response.answers.order_by("pk"):
        answers.setdefault(answer.question_id, []).append(answer)
    questions = (
        Question.objects.filter(pk__in=answers)
        .select_related("section")
        .order_by("section__order", "section__pk", "order", "pk")
    )
    section = None
    for question in questions:
        if question.section_id != section:
            section = question.section_id
            lines += ["", question.section.title.upper()]
        lines += ["", question.text]
        lines += [f"  {text}" for text in _shown(question, answers[question.pk], priorities)]
    comments = list(response.comments.order_by("priority_ref", "pk"))
    if comments:
        lines += ["", "YOUR COMMENTS ON THE DRAFT"]
        for comment in comments:
            lines += ["", comment.target_label, f"  {comment.text}"]
    equality = EqualityResponse.objects.filter(response=response).first()
    if equality is not None:
        lines += ["", "ABOUT YOU (EQUALITY MONITORING)", ""]
        for name in EqualityResponse.FIELDS:
            value = getattr(equality, f"get_{name}_display")()
            label = EqualityResponse._meta.get_field(name).verbose_name.capitalize()
            lines.append(f"  {label}: {value or 'Not answered'}")
        if equality.postcode_district:
            lines.append(f"  Postcode district: {equality.postcode_district}")
    lines += [
        "",
        "—",
        f"{consultation.partnership.name} uses your answers to shape its community safety "
        "strategy. Free text and answers about you are deleted after the retention period "
        "shown in the consultation's privacy notice; the totals are kept.",
    ]
    return "\n".join(lines) + "\n"


def _shown(question: Question, rows: list[Answer], priorities: list[dict]) -> list[str]:
    labels = dict(question.option_pairs(priorities))
    if question.kind == Question.Kind.TEXT:
        return [r.text for r in rows]
    if question.kind == Question.Kind.SAFETY:
        parts = dict(Question.SAFETY_PARTS)
        return [f"{parts.get(r.part, r.part)}: {labels.get(r.value, r.value)}" for r in rows]
    if question.kind == Question.Kind.RANKING:
        ordered = sorted(rows, key=lambda r: r.rank or 0)
        return [f"{r.rank}. {labels.get(r.value, 'A priority no longer in the draft')}"
                for r in ordered]
    return [labels.get(r.value, r.value) for r in rows]
