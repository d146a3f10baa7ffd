"""Consultations with many free-text answers, written from the hand-coded
set of community safety answers shipped in consultation/fixtures/."""

from __future__ import annotations

import csv
from pathlib import Path

from consultation import services
from consultation.models import Answer, Audience, Question, Response
from tests.consultation.factories import open_consultation

FIXTURE = Path(__file__).resolve().parents[2] / "consultation" / "fixtures" / (
    "community_safety_answers.csv"
)


def hand_coded() -> list[tuple[str, set[str]]]:
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return [
            (row["text"], {t.strip() for t in row["themes"].split(";") if t.strip()})
            for row in csv.DictReader(handle)
        ]


def text_question(consultation) -> Question:
    return Question.objects.filter(
        section__consultation=consultation, kind=Question.Kind.TEXT
    ).order_by("section__order", "order", "pk").first()


def consultation_with_answers(partnership, count: int, *, themes: bool = True, **kwargs):
    """An open consultation with `count` free-text answers (one response
    each, the hand-coded set's texts in order, repeated if needed) and,
    when asked, a theme for each of the set's theme names (none coded)."""
    consultation = open_consultation(partnership, **kwargs)
    question = text_question(consultation)
    rows = hand_coded()
    responses = Response.objects.bulk_create([
        Response(consultation=consultation, reference=f"T{consultation.pk}-{i:05d}",
                 audience=Audience.PUBLIC)
        for i in range(count)
    ])
    Answer.objects.bulk_create([
        Answer(response=r, question=question, text=rows[i % len(rows)][0])
        for i, r in enumerate(responses)
    ])
    if themes:
        for name in sorted({t for _, names in rows for t in names}):
            services.theme_create(consultation=consultation, name=name)
    return consultation


def coding_state(consultation) -> set[tuple[int, int]]:
    """Every (answer, theme) pair of the consultation's free text."""
    from consultation.models import Theme

    return set(
        Theme.answers.through.objects.filter(theme__consultation=consultation)
        .values_list("answer_id", "theme_id")
    )
