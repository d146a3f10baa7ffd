"""A respondent's answers between pages, kept in the session.

Nothing is written to the database until the check-your-answers page is
submitted; until then every page reads and writes this one dict, so going
back, or failing validation on a later page, never loses an answer.

Answers in progress (equality answers among them) are kept for
CONSULTATION_JOURNEY_SECONDS after the last page, not for the session's
usual two weeks: a visitor without an account gets a session of that age,
and the daily clearsessions task (safermk/schedules.py) deletes it once it
has expired. A signed-in person keeps their own session's age; their
answers are simply not used after that time.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from consultation.models import Audience, Consultation, Question, Section
from consultation.services import new_token


def _key(consultation: Consultation) -> str:
    return f"consultation-journey-{consultation.pk}"


def load(request, consultation: Consultation) -> dict | None:
    state = request.session.get(_key(consultation))
    if state and timezone.now().timestamp() - state.get("saved_at", 0) > _max_age():
        request.session.pop(_key(consultation), None)
        return None
    return state


def _max_age() -> int:
    return settings.CONSULTATION_JOURNEY_SECONDS


def start(request, consultation: Consultation, **details) -> dict:
    state = {
        "audience": Audience.PUBLIC,
        "organisation_name": "",
        "consent": False,
        "class_code_id": None,
        "age_band": "",
        "answers": {},
        "comments": {},
        "equality": {},
        "token": new_token(),
    }
    previous = load(request, consultation)
    if previous and previous.get("audience") == details.get("audience"):
        # Starting again with the same audience keeps what was typed.
        for name in ("answers", "comments", "equality", "token", "consent"):
            state[name] = previous.get(name, state[name])
    state.update(details)
    save(request, consultation, state)
    return state


def save(request, consultation: Consultation, state: dict) -> None:
    state["saved_at"] = timezone.now().timestamp()
    request.session[_key(consultation)] = state
    request.session.modified = True
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        # Counted from this page: the session row expires with the answers.
        request.session.set_expiry(_max_age())


def finish(request, consultation: Consultation, reference: str) -> None:
    request.session.pop(_key(consultation), None)
    request.session[f"consultation-reference-{consultation.pk}"] = reference


def last_reference(request, consultation: Consultation) -> str | None:
    return request.session.get(f"consultation-reference-{consultation.pk}")


@dataclass
class Step:
    name: str  # "section", "comments", "about-you", "check"
    url: str
    title: str
    section: Section | None = None


def sections_for(consultation: Consultation, audience: str) -> list[Section]:
    """Sections that have questions for this audience, with their questions
    prefetched (two queries, whatever the number of sections)."""
    from django.db.models import Prefetch

    sections = (
        Section.objects.filter(
            consultation=consultation, audience__in=Section.FOR_AUDIENCE[audience]
        )
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("order", "pk")))
        .order_by("order", "pk")
    )
    return [s for s in sections if s.questions.all()]


def steps(consultation: Consultation, audience: str, sections: list[Section]) -> list[Step]:
    slug = consultation.slug
    result = [
        Step("section", reverse("consultation:respond_step", args=[slug, i]), s.title, s)
        for i, s in enumerate(sections, start=1)
    ]
    if audience != Audience.YOUNG_PEOPLE:
        result.append(
            Step("comments", reverse("consultation:respond_comments", args=[slug]),
                 "Comments on the draft strategy")
        )
        result.append(
            Step("about-you", reverse("consultation:respond_about_you", args=[slug]),
                 "About you (optional)")
        )
    result.append(Step("check", reverse("consultation:respond_check", args=[slug]),
                       "Check your answers"))
    return result


def start_url(consultation: Consultation, audience: str) -> str:
    if audience == Audience.YOUNG_PEOPLE:
        return reverse("consultation:schools", args=[consultation.slug])
    return reverse("consultation:respond", args=[consultation.slug])


def neighbours(all_steps: list[Step], name: str, section: Section | None = None):
    """(previous url or None, next url) around the current step."""
    for index, step in enumerate(all_steps):
        if step.name == name and (section is None or step.section == section):
            previous = all_steps[index - 1].url if index > 0 else None
            following = all_steps[index + 1].url if index + 1 < len(all_steps) else None
            return previous, following
    return None, None


def missing_required(
    sections: list[Section], answers: dict, *, has_priorities: bool = True
) -> list[tuple[int, Question]]:
    """Required questions still unanswered, with the step number of each."""
    missing = []
    for number, section in enumerate(sections, start=1):
        for q in section.questions.all():
            if not q.required or (q.kind == Question.Kind.RANKING and not has_priorities):
                continue
            value = answers.get(str(q.pk))
            if q.kind == Question.Kind.SAFETY:
                if not value or not all(value.get(p) for p, _ in Question.SAFETY_PARTS):
                    missing.append((number, q))
            elif value in (None, "", [], {}):
                missing.append((number, q))
    return missing
