"""Writes to consultations, and the few reads other apps (the strategy PDF)
need. Views and tasks call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
import logging
import re
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
from consultation import signals
from consultation.models import (
    Answer,
    Audience,
    Channel,
    CodingSuggestion,
    Consultation,
    DraftComment,
    EqualityResponse,
    Question,
    Response,
    SchoolClassCode,
    Section,
    SuggestedTheme,
    Theme,
)
from strategy.models import Strategy, StrategyVersion
from strategy.services import version_create
from strategy.snapshot import content_hash, strategy_content

DEFAULT_WEEKS = Consultation.RECOMMENDED_WEEKS
# No 0/O, 1/I/L: references are read out over the phone and typed from paper.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
# new_token() gives 32 URL-safe characters; anything else posted is not ours.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")

logger = logging.getLogger(__name__)


def default_closes_at(opens_at: dt.datetime) -> dt.datetime:
    return opens_at + dt.timedelta(weeks=DEFAULT_WEEKS)


def duration_warning(*, opens_at: dt.datetime, closes_at: dt.datetime) -> str:
    """A plain-English warning when the period is under the usual 12 weeks."""
    days = (timezone.localdate(closes_at) - timezone.localdate(opens_at)).days
    if days < 7 * DEFAULT_WEEKS:
        weeks = round(days / 7, 1)
        return (
            f"This consultation runs for {weeks:g} weeks. The partnership usually consults for "
            f"{DEFAULT_WEEKS} weeks; record why a shorter period is fair."
        )
    return ""


def live_date_problems(
    *,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    saved_opens_at: dt.datetime | None = None,
    saved_closes_at: dt.datetime | None = None,
    now: dt.datetime | None = None,
) -> dict[str, str]:
    """What is wrong with the dates an officer gives a live consultation,
    by field (none when they are fine).

    A live consultation takes responses from now on, so it cannot close in
    the past, and an opening time that has passed would claim it was open
    before anyone could answer it. Dates unchanged from those saved (an
    open consultation's opening) are not questioned again. A consultation
    that already happened is recorded as a historical record instead.
    """
    now = now or timezone.now()
    problems: dict[str, str] = {}

    def unchanged(value, saved) -> bool:
        # The form shows dates to the minute: a saved time with seconds
        # comes back without them.
        return saved is not None and abs(value - saved) < dt.timedelta(minutes=1)

    if closes_at <= now and not unchanged(closes_at, saved_closes_at):
        problems["closes_at"] = (
            "The closing date must be in the future. To enter a consultation that has "
            "already happened, record a past consultation instead"
        )
    if opens_at < now and not unchanged(opens_at, saved_opens_at):
        problems["opens_at"] = (
            "The opening date has passed. Enter a later date, or choose to open it as soon "
            "as it is scheduled. To enter a consultation that has already happened, record "
            "a past consultation instead"
        )
    return problems


# Consultations -------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    strategy: Strategy,
    title: str,
    slug: str,
    summary: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime | None = None,
    audiences: Iterable[str] = (Audience.PUBLIC, Audience.STAKEHOLDER, Audience.YOUNG_PEOPLE),
    background: str = "",
    data_use: str = "",
    holidays_note: str = "",
    lead_officer=None,
    retention_days: int = 365,
    default_questions: bool = True,
) -> Consultation:
    consultation = Consultation(
        partnership=strategy.partnership,
        strategy=strategy,
        title=title,
        slug=slug,
        summary=summary,
        background=background,
        data_use=data_use,
        holidays_note=holidays_note,
        opens_at=opens_at,
        closes_at=closes_at or default_closes_at(opens_at),
        audiences=list(audiences),
        lead_officer=lead_officer,
        retention_days=retention_days,
    )
    consultation.full_clean()
    consultation.save()
    if default_questions:
        questions_add_defaults(consultation=consultation)
    return consultation


@transaction.atomic
def consultation_update(*, consultation: Consultation, **fields) -> Consultation:
    allowed = {
        "title", "summary", "background", "data_use", "holidays_note", "opens_at",
        "closes_at", "audiences", "lead_officer", "retention_days",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Cannot update {', '.join(sorted(unknown))}")
    if consultation.status in (Consultation.Status.CLOSED, Consultation.Status.FEEDBACK) and (
        "opens_at" in fields or "closes_at" in fields
    ):
        raise ValidationError("A closed consultation's dates cannot change.")
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.full_clean()
    consultation.save()
    return consultation


@transaction.atomic
def consultation_schedule(*, consultation: Consultation, by=None) -> Consultation:
    """Freeze the draft and let the clock open the consultation.

    The draft is frozen now so that people can read it before the
    consultation opens; if it changes before opening, it is frozen again then
    (see consultation_advance).
    """
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status != Consultation.Status.DRAFT:
        raise ValidationError("Only a draft consultation can be scheduled.")
    if not Question.objects.filter(section__consultation=locked).exists():
        raise ValidationError("Add at least one question before scheduling the consultation.")
    if locked.closes_at <= timezone.now():
        # It would open and close at once, with nobody able to answer.
        raise ValidationError(
            "The closing date has passed. Change the dates to run the consultation, or "
            "record a consultation held elsewhere as a past consultation."
        )
    locked.version = version_create(
        strategy=locked.strategy,
        reason=StrategyVersion.Reason.CONSULTATION,
        by=by,
        note=f"Draft for the consultation “{locked.title}”.",
    )
    locked.status = Consultation.Status.SCHEDULED
    locked.full_clean()
    locked.save()
    _audit_transition(locked, Consultation.Status.DRAFT, locked.status, by)
    _copy(locked, consultation)
    consultation_advance(consultation=consultation, just_scheduled=True)
    return consultation


@transaction.atomic
def consultation_advance(
    *, consultation: Consultation, now: dt.datetime | None = None, just_scheduled: bool = False
) -> str:
    """Move the stored status to where the clock says it is.

    A consultation opens at its opening time (the periodic task may record
    it a few minutes later). One scheduled after its opening time has
    passed opened only when it was scheduled (`just_scheduled`): nobody
    could answer it before, so that is the opening recorded.
    """
    now = now or timezone.now()
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    target = locked.status_at(now)
    if target == locked.status:
        return locked.status
    before = locked.status
    if target == Consultation.Status.OPEN and not locked.opened_at:
        _refreeze_if_changed(locked)
    if target == Consultation.Status.OPEN or (
        target == Consultation.Status.CLOSED and not locked.opened_at
    ):
        opened = now if just_scheduled and target == Consultation.Status.OPEN else min(
            now, locked.opens_at
        )
        locked.opened_at = locked.opened_at or opened
        locked.strategy_status_at_open = locked.strategy_status_at_open or locked.strategy.status
    if target == Consultation.Status.CLOSED:
        locked.closed_at = locked.closes_at
    locked.status = target
    locked.save(
        update_fields=["status", "opened_at", "closed_at", "strategy_status_at_open", "version"]
    )
    _audit_transition(locked, before, target, None)
    signals.send_advanced(consultation=locked, before=before, after=target)
    _copy(locked, consultation)
    return target


def _refreeze_if_changed(consultation: Consultation) -> None:
    """At opening, the draft people read is the strategy as it is then: if
    officers changed it after scheduling, freeze it again."""
    current = content_hash(strategy_content(consultation.strategy))
    if consultation.version_id and consultation.version.content_hash == current:
        return
    consultation.version = version_create(
        strategy=consultation.strategy,
        reason=StrategyVersion.Reason.CONSULTATION,
        note=f"Draft as it was when the consultation “{consultation.title}” opened.",
    )


def consultations_advance_all(*, now: dt.datetime | None = None) -> int:
    """Open and close every consultation whose time has come. Returns how
    many moved."""
    now = now or timezone.now()
    ids = set(Consultation.objects.due_to_open(now).values_list("pk", flat=True))
    ids |= set(Consultation.objects.due_to_close(now).values_list("pk", flat=True))
    moved = 0
    for consultation in Consultation.objects.filter(pk__in=ids):
        before = consultation.status
        if consultation_advance(consultation=consultation, now=now) != before:
            moved += 1
    return moved


@transaction.atomic
def consultation_close_now(
    *, consultation: Consultation, now: dt.datetime | None = None, by=None
) -> Consultation:
    """Close early (for example when a draft has to be withdrawn).

    The planned closing time stays as it was published; the moment it
    really closed is recorded in `closed_at`, so pages can say "closed
    early on … (planned …)".
    """
    now = now or timezone.now()
    # Record the opening first if the periodic task has not yet.
    consultation_advance(consultation=consultation, now=now)
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status_at(now) != Consultation.Status.OPEN:
        raise ValidationError("Only an open consultation can be closed.")
    before = locked.status
    locked.status = Consultation.Status.CLOSED
    locked.closed_at = now
    locked.save(update_fields=["status", "closed_at"])
    _audit_transition(locked, before, locked.status, by)
    signals.send_advanced(consultation=locked, before=before, after=locked.status)
    _copy(locked, consultation)
    return consultation


@transaction.atomic
def consultation_publish_feedback(*, consultation: Consultation, by=None) -> Consultation:
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.status_at() != Consultation.Status.CLOSED:
        raise ValidationError("Publish “you said, we did” once the consultation has closed.")
    themes = list(locked.themes.all())
    if not themes:
        raise ValidationError("Code the responses into themes before publishing feedback.")
    missing = [t.name for t in themes if not t.has_response]
    if missing:
        raise ValidationError(
            "Say what the partnership did about every theme before publishing: "
            + ", ".join(missing)
        )
    locked.status = Consultation.Status.FEEDBACK
    locked.closed_at = locked.closed_at or locked.closes_at
    locked.feedback_published_at = timezone.now()
    locked.save(update_fields=["status", "closed_at", "feedback_published_at"])
    _audit_transition(locked, Consultation.Status.CLOSED, locked.status, by)
    audit_record(
        action=AuditAction.PUBLICATION,
        summary=f"Published “you said, we did” for {locked.title}",
        partnership=locked.partnership_id, actor=by, target=locked,
        detail={"themes": len(themes)},
    )
    signals.consultation_results_published.send_robust(sender=Consultation, consultation=locked)
    _copy(locked, consultation)
    return consultation


# Historical records ----------------------------------------------------------

HISTORICAL_FIELDS = {
    "title", "summary", "background", "audiences", "lead_officer", "opens_on", "closes_on",
    "responses", "findings", "headline_figures",
}


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def _apply_historical(consultation: Consultation, fields: dict, *, today: dt.date) -> None:
    """Check a historical record's entries and put them on the row. Errors
    name the form's fields (opens_on, closes_on, responses, findings)."""
    errors: dict[str, str] = {}
    opens_on = fields.get("opens_on") or timezone.localdate(consultation.opens_at)
    closes_on = fields.get("closes_on") or timezone.localdate(consultation.closes_at)
    if closes_on >= today:
        errors["closes_on"] = (
            "The closing date must be in the past. To run a consultation from now on, "
            "create a live consultation"
        )
    elif closes_on <= opens_on:
        errors["closes_on"] = "The closing date must be after the opening date"
    responses = fields.get("responses", consultation.recorded_responses)
    if responses is not None:
        unknown = set(responses) - set(Channel.values)
        if unknown:
            errors["responses"] = "Enter the numbers for the ways of responding listed"
        responses = {
            channel: n for channel, n in responses.items() if channel in Channel.values and n
        }
    findings = fields.get("findings", consultation.findings)
    if not (findings or "").strip():
        errors["findings"] = "Enter a summary of the results"
    if errors:
        raise ValidationError(errors)
    figures = fields.get("headline_figures", consultation.headline_figures)
    for name in ("title", "summary", "background", "audiences", "lead_officer"):
        if name in fields:
            setattr(consultation, name, fields[name])
    consultation.opens_at = _day_start(opens_on)
    consultation.closes_at = _day_end(closes_on)
    consultation.opened_at = consultation.opens_at
    consultation.closed_at = consultation.closes_at
    consultation.recorded_responses = responses or {}
    consultation.findings = findings.strip()
    consultation.headline_figures = [
        line.strip()[:300] for line in (figures or []) if line and line.strip()
    ]


@transaction.atomic
def consultation_record_past(
    *,
    strategy: Strategy,
    title: str,
    slug: str,
    summary: str,
    opens_on: dt.date,
    closes_on: dt.date,
    findings: str,
    responses: dict[str, int] | None = None,
    headline_figures: Iterable[str] = (),
    audiences: Iterable[str] = (Audience.PUBLIC,),
    background: str = "",
    lead_officer=None,
    by=None,
) -> Consultation:
    """Record a consultation that already happened (before the partnership
    used the service, or run outside it): its real dates, the number of
    responses by channel and its results, as the partnership enters them.

    It is marked as a historical record entered by `by` today; it is shown
    as closed with its results, never takes responses (response_submit
    refuses them), and completes the plan's consultation milestones on the
    days it really opened and closed.
    """
    consultation = Consultation(
        partnership=strategy.partnership,
        strategy=strategy,
        title=title,
        slug=slug,
        summary=summary,
        background=background,
        audiences=list(audiences),
        lead_officer=lead_officer,
        is_historical=True,
        recorded_by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        # Its results are what the partnership entered: published with it.
        status=Consultation.Status.FEEDBACK,
        opens_at=_day_start(opens_on),
        closes_at=_day_end(closes_on),
    )
    _apply_historical(
        consultation,
        {"opens_on": opens_on, "closes_on": closes_on, "responses": responses or {},
         "findings": findings, "headline_figures": list(headline_figures)},
        today=timezone.localdate(),
    )
    consultation.full_clean()
    consultation.save()
    # What the plan's milestones wait for, on the days it happened.
    signals.send_advanced(
        consultation=consultation, before=Consultation.Status.DRAFT,
        after=Consultation.Status.CLOSED,
    )
    return consultation


@transaction.atomic
def consultation_record_update(*, consultation: Consultation, **fields) -> Consultation:
    """Correct a historical record (a figure or a date typed wrong). The
    milestones it completed keep the days they were given."""
    unknown = set(fields) - HISTORICAL_FIELDS
    if unknown:
        raise TypeError(f"Cannot update {', '.join(sorted(unknown))}")
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not locked.is_historical:
        raise ValidationError("Only a historical record is corrected this way.")
    _apply_historical(locked, fields, today=timezone.localdate())
    locked.full_clean()
    locked.save()
    for name in ("title", "summary", "background", "audiences", "lead_officer_id",
                 "recorded_responses", "findings", "headline_figures"):
        setattr(consultation, name, getattr(locked, name))
    _copy(locked, consultation)
    return consultation


def _audit_transition(consultation: Consultation, before: str, after: str, by) -> None:
    S = Consultation.Status
    audit_record(
        action=AuditAction.TRANSITION,
        summary=f"Consultation {consultation.title}: {S(before).label} to {S(after).label}",
        partnership=consultation.partnership_id, actor=by, target=consultation,
        detail={"from": before, "to": after},
    )


def _copy(source: Consultation, target: Consultation) -> None:
    if source is target:
        return
    for field in (
        "status", "version_id", "opened_at", "closed_at", "feedback_published_at",
        "strategy_status_at_open", "closes_at", "opens_at", "version",
    ):
        setattr(target, field, getattr(source, field))


# Questions -----------------------------------------------------------------

DEFAULT_SET = [
    # (section title, intro, audience, [(kind, text, hint, required, choices, max_length)])
    (
        "The draft priorities",
        "The partnership proposes the priorities in the draft strategy. Tell us what you think.",
        Section.For.ADULTS,
        [
            (Question.Kind.SCALE, "Do you agree with the priorities in the draft strategy?", "",
             True, [], 0),
            (Question.Kind.RANKING, "Put the draft priorities in order of importance to you",
             "Give 1 to the most important.", False, [], 0),
            (Question.Kind.TEXT, "Is anything missing from the draft priorities?",
             "Do not include names or details that could identify you or anyone else.", False,
             [], 1000),
        ],
    ),
    (
        "Feeling safe where you live",
        "",
        Section.For.ADULTS,
        [
            (Question.Kind.SAFETY, "How safe do you feel in your local area?", "", True, [], 0),
            (Question.Kind.MULTIPLE, "Which of these are a problem in your area?",
             "Select all that apply.", False,
             ["Anti-social behaviour", "Drug dealing or drug use", "Knife crime",
              "Burglary", "Speeding or dangerous driving", "Domestic abuse",
              "Violence against women and girls"], 0),
            (Question.Kind.TEXT, "What would make you feel safer?",
             "Do not include names or details that could identify you or anyone else.", False,
             [], 1000),
        ],
    ),
    (
        "Feeling safe",
        "These questions are for pupils answering with their class.",
        Section.For.YOUNG_PEOPLE,
        [
            (Question.Kind.SAFETY, "How safe do you feel where you live?", "", True, [], 0),
            (Question.Kind.SINGLE, "Where do you feel least safe?", "", False,
             ["On the way to or from school", "In parks and open spaces", "In the town centre",
              "On buses or at bus stops", "Online", "I feel safe everywhere"], 0),
        ],
    ),
    (
        "What matters to you",
        "",
        Section.For.YOUNG_PEOPLE,
        [
            (Question.Kind.SCALE, "Adults in my area listen to what young people say.", "",
             False, [], 0),
            (Question.Kind.TEXT, "What one thing would make you feel safer?",
             "Do not write your name or anyone else's.", False, [], 500),
        ],
    ),
]


@transaction.atomic
def questions_add_defaults(*, consultation: Consultation) -> list[Section]:
    sections = []
    start = consultation.sections.count()
    for index, (title, intro, audience, questions) in enumerate(DEFAULT_SET):
        section = section_create(
            consultation=consultation, title=title, intro=intro, audience=audience,
            order=start + index,
        )
        for order, (kind, text, hint, required, choices, max_length) in enumerate(questions):
            question_create(
                section=section, kind=kind, text=text, hint=hint, required=required,
                choices=choices, max_length=max_length or 1000, order=order,
            )
        sections.append(section)
    return sections


def _require_editable(consultation: Consultation) -> None:
    if consultation.status != Consultation.Status.DRAFT:
        raise ValidationError(
            "Questions cannot change once a consultation is scheduled: people may already "
            "have answered them."
        )


@transaction.atomic
def section_create(
    *, consultation: Consultation, title: str, intro: str = "", audience: str = Section.For.ALL,
    order: int | None = None,
) -> Section:
    _require_editable(consultation)
    if order is None:
        order = consultation.sections.count()
    section = Section(
        consultation=consultation, title=title, intro=intro, audience=audience, order=order
    )
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_update(*, section: Section, title: str, intro: str, audience: str) -> Section:
    _require_editable(section.consultation)
    section.title, section.intro, section.audience = title, intro, audience
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_delete(*, section: Section) -> None:
    _require_editable(section.consultation)
    section.delete()


@transaction.atomic
def question_create(
    *, section: Section, kind: str, text: str, hint: str = "", required: bool = False,
    choices: list[str] | None = None, max_length: int = 1000, order: int | None = None,
) -> Question:
    _require_editable(section.consultation)
    if order is None:
        order = section.questions.count()
    question = Question(
        section=section, kind=kind, text=text, hint=hint, required=required,
        choices=[c.strip() for c in (choices or []) if c.strip()], max_length=max_length,
        order=order,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_update(*, question: Question, **fields) -> Question:
    _require_editable(question.section.consultation)
    for name in ("section", "kind", "text", "hint", "required", "choices", "max_length"):
        if name in fields:
            value = fields[name]
            if name == "choices":
                value = [c.strip() for c in (value or []) if c.strip()]
            setattr(question, name, value)
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question) -> None:
    _require_editable(question.section.consultation)
    question.delete()


@transaction.atomic
def question_move(*, question: Question, up: bool) -> None:
    """Swap a question with its neighbour in the section."""
    _require_editable(question.section.consultation)
    siblings = list(question.section.questions.order_by("order", "pk"))
    index = siblings.index(question)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])


@transaction.atomic
def section_move(*, section: Section, up: bool) -> None:
    _require_editable(section.consultation)
    siblings = list(section.consultation.sections.order_by("order", "pk"))
    index = siblings.index(section)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for order, sibling in enumerate(siblings):
        if sibling.order != order:
            sibling.order = order
            sibling.save(update_fields=["order"])


# Responses -----------------------------------------------------------------


def new_reference(*, partnership) -> str:
    """A response reference starting with the partnership's short code, like
    BD-7Q4K-92XD. References already stored keep whatever prefix they had."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"{partnership.short_code}-{chars[:4]}-{chars[4:]}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_is_well_formed(token: str) -> bool:
    """Whether a posted token could be one new_token() made: checked before
    a token reaches a query, so a NUL byte or a megabyte never does."""
    return isinstance(token, str) and TOKEN_PATTERN.fullmatch(token) is not None


def _response_for_token(token: str | None) -> Response | None:
    return Response.objects.filter(idempotency_token=token).first() if token else None


class ConsultationNotOpen(ValidationError):
    pass


def response_submit(
    *,
    consultation: Consultation,
    audience: str,
    answers: dict,
    comments: dict | None = None,
    equality: dict | None = None,
    channel: str = Channel.ONLINE,
    token: str | None = None,
    class_code: SchoolClassCode | None = None,
    age_band: str = "",
    organisation_name: str = "",
    consent: bool | None = True,
    entered_by=None,
    submitted_at: dt.datetime | None = None,
) -> tuple[Response, bool]:
    """Store one response and everything in it in one transaction.

    `answers` maps question id to a value: a string (single choice, scale,
    free text), a list (multiple choice), {"day": v, "dark": v} (safety) or
    {priority id: rank} (ranking). Returns (response, created); the same
    token returns the first response, so a double click or a resubmitted
    page stores one response. `consent` is what the respondent agreed to on
    the privacy notice: True when they ticked it, None if nobody asked.
    """
    if token is not None and not token_is_well_formed(token):
        # Not one of ours: stored without one, so a resubmission is not
        # recognised, but the person's answers are kept.
        token = None
    existing = _response_for_token(token)
    if existing:
        return existing, False
    if consultation.is_historical:
        # Its figures are what the partnership entered: a response added
        # now would change a record of what happened then.
        raise ConsultationNotOpen(
            "This consultation is a historical record: it takes no responses."
        )
    if channel == Channel.ONLINE or channel == Channel.SCHOOL:
        if consultation.status_at() != Consultation.Status.OPEN:
            raise ConsultationNotOpen("This consultation is not open for responses.")
    if audience not in consultation.audiences:
        raise ValidationError("This consultation does not ask that audience.")
    if audience == Audience.YOUNG_PEOPLE:
        # Young people answer without personal data: nothing that could name
        # them, no equality monitoring, no organisation.
        equality, organisation_name = None, ""
        if class_code is None and channel in (Channel.ONLINE, Channel.SCHOOL):
            raise ValidationError("Young people answer with a class code from their school.")
        if class_code is not None and class_code.consultation_id != consultation.pk:
            raise ValidationError("That class code is for another consultation.")
    else:
        class_code, age_band = None, ""
    questions = {
        q.pk: q
        for q in Question.objects.filter(
            section__consultation=consultation,
            section__audience__in=Section.FOR_AUDIENCE[audience],
        )
    }
    rows = _answer_rows(consultation, questions, answers)
    try:
        with transaction.atomic():
            response = Response(
                consultation=consultation,
                reference=new_reference(partnership=consultation.partnership),
                channel=channel,
                audience=audience,
                organisation_name=organisation_name,
                class_code=class_code,
                age_band=age_band,
                consent=consent,
                idempotency_token=token or None,
                entered_by=entered_by if entered_by is not None and entered_by.is_authenticated
                else None,
                submitted_at=submitted_at or timezone.now(),
            )
            response.full_clean()
            response.save()
            for row in rows:
                row.response = response
            Answer.objects.bulk_create(rows)
            comment_rows = _comment_rows(consultation, response, comments or {})
            DraftComment.objects.bulk_create(comment_rows)
            if equality and any(v for v in equality.values()):
                eq = EqualityResponse(consultation=consultation, response=response, **equality)
                eq.full_clean()
                eq.save()
    except (IntegrityError, ValidationError) as exc:
        # Two simultaneous submits of one token (a double click) can both pass
        # the lookup above; the unique constraint on the token decides. The
        # loser fails in full_clean's unique check (ValidationError) if the
        # winner committed in between, or at the INSERT (IntegrityError) if
        # not. Either way it gets the stored response; the atomic block above
        # (a savepoint inside a caller's transaction) left nothing behind.
        if isinstance(exc, ValidationError) and "idempotency_token" not in getattr(
            exc, "error_dict", {}
        ):
            raise
        existing = _response_for_token(token)
        if existing is None:
            raise
        logger.info(
            "Response %s: a simultaneous submit of the same token was given it (%s)",
            existing.reference, exc.__class__.__name__,
        )
        return existing, False
    return response, True


def _answer_rows(consultation, questions: dict[int, Question], answers: dict) -> list[Answer]:
    rows: list[Answer] = []
    priority_ids = {str(p["id"]) for p in consultation.draft_priorities}
    for raw_id, value in answers.items():
        question = questions.get(int(raw_id))
        if question is None or value in (None, "", [], {}):
            continue
        kind = question.kind
        if kind == Question.Kind.TEXT:
            text = str(value).strip()[: question.max_length]
            if text:
                rows.append(Answer(question=question, text=text))
        elif kind == Question.Kind.MULTIPLE:
            allowed = set(question.choices)
            for choice in value:
                if choice in allowed:
                    rows.append(Answer(question=question, value=choice))
        elif kind == Question.Kind.RANKING:
            for priority_id, rank in value.items():
                if str(priority_id) in priority_ids and rank:
                    rows.append(Answer(question=question, value=str(priority_id), rank=int(rank)))
        elif kind == Question.Kind.SAFETY:
            allowed = {v for v, _ in Question.SAFETY_CHOICES}
            for part, _label in Question.SAFETY_PARTS:
                if value.get(part) in allowed:
                    rows.append(Answer(question=question, part=part, value=value[part]))
        else:
            allowed = {v for v, _ in question.option_pairs()}
            if value in allowed:
                rows.append(Answer(question=question, value=value))
    return rows


def _comment_rows(consultation, response, comments: dict) -> list[DraftComment]:
    labels = {f"priority:{p['id']}": p["title"] for p in consultation.draft_priorities}
    labels["general"] = "The draft strategy as a whole"
    rows = []
    for ref, text in comments.items():
        text = (text or "").strip()
        if text and ref in labels:
            rows.append(
                DraftComment(
                    consultation=consultation, response=response, priority_ref=ref,
                    target_label=labels[ref], text=text[:2000],
                )
            )
    return rows


# Schools -------------------------------------------------------------------


@transaction.atomic
def class_code_issue(
    *, consultation: Consultation, school: str, class_name: str = "", by=None,
    code: str | None = None,
) -> SchoolClassCode:
    if consultation.is_historical:
        raise ValidationError("This consultation is a historical record: it takes no responses.")
    if not consultation.for_young_people:
        raise ValidationError("This consultation does not ask young people.")
    for _ in range(10):
        if code:
            break
        candidate = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
        if not SchoolClassCode.objects.filter(code=candidate).exists():
            code = candidate
    row = SchoolClassCode(
        consultation=consultation, school=school.strip(), class_name=class_name.strip(),
        code=code, issued_by=by if by is not None and by.is_authenticated else None,
    )
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def class_code_withdraw(*, class_code: SchoolClassCode) -> SchoolClassCode:
    class_code.is_active = False
    class_code.save(update_fields=["is_active"])
    return class_code


def class_code_find(*, consultation: Consultation, code: str) -> SchoolClassCode | None:
    cleaned = "".join(code.split()).upper().replace("-", "")
    return SchoolClassCode.objects.filter(
        consultation=consultation, code=cleaned, is_active=True
    ).first()


# Themes and "you said, we did" --------------------------------------------


@transaction.atomic
def theme_create(*, consultation: Consultation, name: str) -> Theme:
    theme = Theme(consultation=consultation, name=name.strip(), order=consultation.themes.count())
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_update(
    *, theme: Theme, name: str, you_said: str, we_did: str, priority=None, why_not: str = ""
) -> Theme:
    if priority is not None and priority.strategy_id != theme.consultation.strategy_id:
        raise ValidationError({"priority": "Choose a priority of this strategy."})
    theme.name, theme.you_said, theme.we_did = name.strip(), you_said, we_did
    theme.priority, theme.why_not = priority, why_not
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_delete(*, theme: Theme) -> None:
    if theme.consultation.status == Consultation.Status.FEEDBACK:
        raise ValidationError("Themes cannot be removed once feedback is published.")
    theme.delete()


def answer_code(*, answer: Answer, themes: Iterable[Theme], by=None) -> None:
    """One answer's themes, from its own form; each change is recorded as a
    coding action (consultation.coding), which the coding history can undo."""
    from consultation.coding import answer_code_recorded

    answer_code_recorded(answer=answer, themes=list(themes), by=by)


@transaction.atomic
def comment_code(*, comment: DraftComment, themes: Iterable[Theme]) -> None:
    themes = list(themes)
    if any(t.consultation_id != comment.consultation_id for t in themes):
        raise ValidationError("Choose themes of this consultation.")
    comment.themes.set(themes)


# Retention and erasure ------------------------------------------------------

RETENTION_MARK = "[deleted after the retention period]"
ERASURE_MARK = "[deleted at the respondent's request]"
# An erased response's reference is replaced, so nothing left (its closed
# answers, its row in an export) can be traced to the person who kept it.
ERASED_PREFIX = "ERASED-"


def _delete_personal_data(
    consultation: Consultation, *, mark: str, response: Response | None = None
) -> None:
    """Take free text, comments' text and equality answers out of the
    consultation's responses (or of one response), keeping every count.

    The one code path of both the retention period and a respondent's
    erasure. Answer and comment rows stay, with their themes, so question
    counts, theme counts and "you said, we did" do not change; their text
    becomes `mark`, which also takes it out of the full-text search index.
    Equality rows are added to the consultation's retained summary before
    they are deleted, so the equality totals do not change either. The
    caller holds the consultation's row lock and saves retained_summary.
    """
    equality = EqualityResponse.objects.filter(consultation=consultation)
    answers = Answer.objects.filter(question__section__consultation=consultation)
    comments = DraftComment.objects.filter(consultation=consultation)
    if response is not None:
        equality = equality.filter(response=response)
        answers = answers.filter(response=response)
        comments = comments.filter(response=response)
    kept = dict(consultation.retained_summary or {})
    summary = {field: dict(counts) for field, counts in kept.get("equality", {}).items()}
    for field in EqualityResponse.FIELDS:
        counts = summary.setdefault(field, {})
        for row in equality.values(field).annotate(n=Count("id")).order_by(field):
            key = row[field] or "not_given"
            counts[key] = counts.get(key, 0) + row["n"]
    equality.delete()
    # Suggested themes hold key phrases and labels made from the answers'
    # words: they go with the text (officers can ask for new ones), as do
    # suggestions about answers whose text is gone. Coding actions keep
    # only theme names and answer ids, so the coding history stays.
    SuggestedTheme.objects.filter(run__consultation=consultation).delete()
    CodingSuggestion.objects.filter(answer__in=answers).delete()
    answers.exclude(text="").update(text=mark)
    comments.update(text=mark)
    consultation.retained_summary = kept | {"equality": summary}


@transaction.atomic
def consultation_apply_retention(*, consultation: Consultation) -> bool:
    """Delete free text, comments' text and equality data, keeping counts
    (see _delete_personal_data)."""
    locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if locked.data_deleted_at:
        return False
    _delete_personal_data(locked, mark=RETENTION_MARK)
    locked.data_deleted_at = timezone.now()
    locked.save(update_fields=["retained_summary", "data_deleted_at"])
    _copy(locked, consultation)
    consultation.retained_summary, consultation.data_deleted_at = (
        locked.retained_summary, locked.data_deleted_at,
    )
    return True


@transaction.atomic
def response_erase(*, response: Response, by=None, note: str = "") -> Response:
    """Erase one response at its respondent's request, keeping counts.

    Its free text, comments and equality answers go the way the retention
    period takes them (_delete_personal_data); its organisation name and
    token go; its reference is replaced and its time cut to the day, so the
    closed answers left for the counts cannot be traced back to anyone. It
    is marked erased, with when and by whom.
    """
    consultation = Consultation.objects.select_for_update().get(pk=response.consultation_id)
    locked = Response.objects.select_for_update().get(pk=response.pk)
    if locked.erased_at:
        raise ValidationError("This response has already been erased.")
    original = locked.reference
    _delete_personal_data(consultation, mark=ERASURE_MARK, response=locked)
    consultation.save(update_fields=["retained_summary"])
    day = timezone.localdate(locked.submitted_at)
    locked.submitted_at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    locked.reference = _erased_reference()
    locked.organisation_name = ""
    locked.idempotency_token = None
    locked.erased_at = timezone.now()
    locked.erased_by = by if by is not None and by.is_authenticated else None
    locked.full_clean()
    locked.save()
    kept = Answer.objects.filter(response=locked, text="").count()
    audit_record(
        action=AuditAction.ERASURE,
        summary=f"Erased response {original} to {consultation.title}: free text, comments, "
        f"equality answers and organisation deleted; {kept} closed answers kept for the "
        "counts" + (f" ({note})" if note else ""),
        partnership=consultation.partnership_id, actor=by, target=consultation,
        detail={"reference": original, "closed_answers_kept": kept},
    )
    for field in ("reference", "organisation_name", "idempotency_token", "erased_at",
                  "erased_by_id", "submitted_at"):
        setattr(response, field, getattr(locked, field))
    return response


def _erased_reference() -> str:
    while True:
        candidate = ERASED_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(12))
        if not Response.objects.filter(reference=candidate).exists():
            return candidate


def consultations_apply_retention(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    done = 0
    # Counted from when it really closed: an officer may have closed it early.
    candidates = Consultation.objects.filter(data_deleted_at__isnull=True).filter(
        Q(closes_at__lt=now) | Q(closed_at__lt=now)
    )
    for consultation in candidates:
        if consultation.ended_at + dt.timedelta(days=consultation.retention_days) <= now:
            if consultation_apply_retention(consultation=consultation):
                done += 1
    return done


# Reads for other apps (the strategy PDF) ----------------------------------


def fairness_checks(consultation: Consultation) -> list[tuple[str, bool, str]]:
    """The Gunning principles as (label, passed, detail), for the officer
    page and the strategy PDF."""
    from consultation.checks import gunning_checks

    return gunning_checks(consultation)


def you_said_we_did(strategy: Strategy) -> list[dict]:
    """Published "you said, we did" for a strategy: one entry per
    consultation with its themes."""
    from consultation.analysis import feedback_for_strategy

    return feedback_for_strategy(strategy)
