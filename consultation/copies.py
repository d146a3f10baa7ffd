"""The copy of one response that its respondent asks for (UK GDPR article
15): every answer as they gave it, their comments on the draft and their
equality answers, in plain text that can be read, printed or attached to an
e-mail. Built from the database each time, so it is what is held now."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultation.models import Answer, EqualityResponse, Question, Response


def response_copy(response: Response, language: str | None = None) -> str:
    """The copy in `language` (the wording entered in it, else English);
    in English when none is given, as officers read it."""
    with translation.override(language or translation.get_language()):
        return _response_copy(response, language)


def _response_copy(response: Response, language: str | None) -> str:
    consultation = response.consultation
    priorities = consultation.draft_priorities
    lines = [
        _("Your response to “%(title)s”") % {"title": consultation.text_in("title", language)},
        consultation.partnership.name,
        "",
        _("Reference: %(reference)s") % {"reference": response.reference},
        _("Sent: %(when)s") % {
            "when": date_format(timezone.localtime(response.submitted_at), "j F Y, H:i")},
        _("How: %(channel)s") % {"channel": response.get_channel_display()},
        _("Answering as: %(audience)s") % {"audience": response.get_audience_display()},
    ]
    if response.organisation_name:
        lines.append(_("Organisation: %(name)s") % {"name": response.organisation_name})
    if response.class_code_id:
        lines.append(_("School: %(school)s") % {"school": response.class_code})
    if response.age_band:
        lines.append(_("Age: %(age)s") % {"age": response.get_age_band_display()})
    if response.erased_at:
        lines.append(_("Its free text, comments and answers about you were deleted on "
                       "%(day)s.") % {
            "day": date_format(timezone.localtime(response.erased_at), "j F Y")})
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
            lines += ["", question.section.text_in("title", language).upper()]
        lines += ["", question.text_in("text", language)]
        lines += [f"  {text}" for text in _shown(question, answers[question.pk], priorities,
                                                 language)]
    comments = list(response.comments.order_by("priority_ref", "pk"))
    if comments:
        lines += ["", _("YOUR COMMENTS ON THE DRAFT")]
        for comment in comments:
            lines += ["", comment.target_label, f"  {comment.text}"]
    equality = EqualityResponse.objects.filter(response=response).first()
    if equality is not None:
        lines += ["", _("ABOUT YOU (EQUALITY MONITORING)"), ""]
        for name in EqualityResponse.FIELDS:
            value = getattr(equality, f"get_{name}_display")()
            label = str(EqualityResponse._meta.get_field(name).verbose_name).capitalize()
            lines.append(f"  {label}: {value or _('Not answered')}")
        if equality.postcode_district:
            lines.append("  " + _("Postcode district: %(district)s") % {
                "district": equality.postcode_district})
    lines += [
        "",
        "—",
        _("%(partnership)s uses your answers to shape its community safety strategy. Free "
          "text and answers about you are deleted after the retention period shown in the "
          "consultation's privacy notice; the totals are kept.") % {
            "partnership": consultation.partnership.name},
    ]
    return "\n".join(lines) + "\n"


def _shown(question: Question, rows: list[Answer], priorities: list[dict],
           language: str | None = None) -> list[str]:
    labels = dict(question.option_pairs(priorities, language))
    if question.kind == Question.Kind.TEXT:
        return [r.text for r in rows]
    if question.kind == Question.Kind.SAFETY:
        parts = dict(Question.SAFETY_PARTS)
        return [f"{parts.get(r.part, r.part)}: {labels.get(r.value, r.value)}" for r in rows]
    if question.kind == Question.Kind.RANKING:
        ordered = sorted(rows, key=lambda r: r.rank or 0)
        return [f"{r.rank}. {labels.get(r.value, _('A priority no longer in the draft'))}"
                for r in ordered]
    return [labels.get(r.value, r.value) for r in rows]
