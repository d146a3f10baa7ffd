"""Responses whose every part can be found again, for the erasure and copy
tests."""

from __future__ import annotations

from consultation import services
from consultation.models import Question

# Words that appear nowhere else, so a search of the whole database for them
# finds only what the respondent gave.
FREE_TEXT = "Zebrafinch Lane needs lighting outside number twelve"
SAFER_TEXT = "Quillwort patrols near the Marrowbone subway"
COMMENT = "My neighbour Mrs Quokkaberry says the draft forgets buses"
ORGANISATION = "Quokkaberry Sole Trading"
POSTCODE = "QX9"


def full_answers(consultation) -> dict:
    """An answer to every adult question: scale, ranking, free text, safety,
    multiple choice."""
    questions = Question.objects.filter(section__consultation=consultation,
                                        section__audience__in=["all", "adults"])
    priorities = [str(p["id"]) for p in consultation.draft_priorities]
    answers = {}
    texts = iter([FREE_TEXT, SAFER_TEXT])
    for q in questions:
        if q.kind == "scale":
            answers[str(q.pk)] = "agree"
        elif q.kind == "ranking":
            answers[str(q.pk)] = {pid: i + 1 for i, pid in enumerate(reversed(priorities))}
        elif q.kind == "text":
            answers[str(q.pk)] = next(texts)
        elif q.kind == "safety":
            answers[str(q.pk)] = {"day": "very_safe", "dark": "fairly_unsafe"}
        elif q.kind == "multiple":
            answers[str(q.pk)] = ["Knife crime", "Burglary"]
    return answers


def submit_full(consultation, *, audience="stakeholder", token=None):
    response, _ = services.response_submit(
        consultation=consultation, audience=audience, answers=full_answers(consultation),
        comments={"general": COMMENT}, organisation_name=ORGANISATION,
        equality={"sex": "female", "age_band": "25_34", "ethnicity": "mixed",
                  "disability": "no", "postcode_district": POSTCODE},
        token=token,
    )
    return response


def submit_other(consultation, n: int, *, sex="male"):
    text_q = Question.objects.filter(section__consultation=consultation, kind="text",
                                     section__audience="adults").first()
    scale_q = Question.objects.filter(section__consultation=consultation, kind="scale",
                                      section__audience="adults").first()
    for i in range(n):
        services.response_submit(
            consultation=consultation, audience="public",
            answers={str(text_q.pk): f"Ordinary answer {i}", str(scale_q.pk): "disagree"},
            comments={"general": f"Ordinary comment {i}"}, equality={"sex": sex},
        )
