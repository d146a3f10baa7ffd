"""The wording of a consultation in the other languages its partnership
offers: what an officer enters on the "Welsh version" page, kept in the
`translations` of the consultation, its sections and its questions
(models.Translated). The English stays the consultation's own: answers are
stored and counted by it, and every page falls back to it.

Wording can be entered or corrected at any time, also once the
consultation is open: it renders the English questions, it does not change
them, and answers given in either language count together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from consultation.models import Consultation, Question, Section, Translated

# The longest wording accepted for each field: the English field's own limit
# where it has one; for the long texts, which have none, a generous bound.
LIMITS = {
    ("consultation", "title"): 200,
    ("consultation", "summary"): 10000,
    ("section", "title"): 200,
    ("section", "intro"): 10000,
    ("question", "text"): 300,
    ("question", "hint"): 300,
    ("question", "choices"): 300,
}
FIELDS = {
    "consultation": ("title", "summary"),
    "section": ("title", "intro"),
    "question": ("text", "hint"),
}
# How an error message names each field.
NAMES = {
    ("consultation", "title"): "title",
    ("consultation", "summary"): "summary",
    ("section", "title"): "section title",
    ("section", "intro"): "introduction",
    ("question", "text"): "question",
    ("question", "hint"): "hint",
}
# Only these kinds show their own options; the others' labels are the
# site's own wording, translated in the catalogue.
KINDS_WITH_OPTIONS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


@dataclass
class Wording:
    """What an officer entered, by object: {"title": "..."} for the
    consultation, {section pk: {...}} and {question pk: {..., "choices":
    [...]}}. A field left empty is not translated (the English shows)."""

    consultation: dict
    sections: dict
    questions: dict


def _text(value, *, limit: int, where: str, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError({where: f"Enter the {name} as text"})
    value = value.strip()
    if "\x00" in value:
        raise ValidationError({where: f"The {name} contains a character that cannot be saved"})
    if len(value) > limit:
        raise ValidationError(
            {where: f"The {name} must be {limit} characters or fewer (it is {len(value)})"}
        )
    return value


def _fields(kind: str, given: dict, prefix: str) -> dict:
    given = given if isinstance(given, dict) else {}
    entered = {}
    for field in FIELDS[kind]:
        value = _text(given.get(field), limit=LIMITS[(kind, field)],
                      where=f"{prefix}{field}", name=NAMES[(kind, field)])
        if value:
            entered[field] = value
    return entered


def _choices(question: Question, given, prefix: str) -> list[str]:
    if question.kind not in KINDS_WITH_OPTIONS or given in (None, []):
        return []
    english = list(question.choices or [])
    if not isinstance(given, list | tuple) or len(given) != len(english):
        raise ValidationError({
            f"{prefix}choices": f"Enter the options in the same order as the English: "
                                f"{len(english)} of them, one for each"
        })
    labels = [
        _text(v, limit=LIMITS[("question", "choices")], where=f"{prefix}choices",
              name="option")
        for v in given
    ]
    translated = [v for v in labels if v]
    if len(set(translated)) != len(translated):
        raise ValidationError({f"{prefix}choices": "Enter each option only once"})
    return labels if translated else []


def _store(obj: Translated, language: str, entered: dict) -> bool:
    """Put `entered` as the object's wording in `language`; True if it changed."""
    translations = dict(obj.translations or {})
    if entered:
        translations[language] = entered
    else:
        translations.pop(language, None)
    if translations == (obj.translations or {}):
        return False
    obj.translations = translations
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save(update_fields=["translations"])
    return True


@transaction.atomic
def consultation_translation_save(
    *, consultation: Consultation, language: str, wording: Wording,
) -> int:
    """Save a consultation's wording in `language` (one its partnership
    offers besides English). Returns how many of its parts changed.
    Raises ValidationError keyed by field ("consultation-title",
    "section-<pk>-intro", "question-<pk>-choices") on anything it cannot
    save; nothing is saved then."""
    if language not in consultation.partnership.other_languages:
        raise ValidationError("This partnership does not offer its pages in that language")
    sections = list(Section.objects.filter(consultation=consultation).order_by("order", "pk"))
    questions = list(
        Question.objects.filter(section__consultation=consultation).order_by("pk")
    )
    planned: list[tuple[Translated, dict]] = []
    errors: dict[str, list] = {}

    def attempt(obj, build):
        try:
            planned.append((obj, build()))
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)

    attempt(consultation, lambda: _fields("consultation",
                                          wording.consultation, "consultation-"))
    for section in sections:
        given = wording.sections.get(section.pk, {})
        attempt(section, lambda s=section, g=given: _fields("section", g,
                                                            f"section-{s.pk}-"))
    for question in questions:
        given = wording.questions.get(question.pk, {})
        given = given if isinstance(given, dict) else {}

        def build(q=question, g=given):
            entered = _fields("question", g, f"question-{q.pk}-")
            choices = _choices(q, g.get("choices"), f"question-{q.pk}-")
            if choices:
                entered["choices"] = choices
            return entered

        attempt(question, build)
    if errors:
        raise ValidationError(errors)
    return sum(_store(obj, language, entered) for obj, entered in planned)
