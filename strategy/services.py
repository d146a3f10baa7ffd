"""Writes to strategies. Views and tasks call these; none re-implements them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
from partnerships.models import Organisation, Partnership
from strategy import lifecycle, signals
from strategy.models import (
    LineOfEnquiry,
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    StatutoryResponsibility,
    StrategicAssessment,
    Strategy,
    StrategyTransition,
    StrategyVersion,
)
from strategy.snapshot import content_hash, strategy_content


@transaction.atomic
def version_create(
    *, strategy: Strategy, reason: str, by=None, note: str = ""
) -> StrategyVersion:
    """Freeze the strategy's current content into a new numbered version."""
    # Lock the strategy row so two requests cannot take the same number.
    Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
    content = strategy_content(strategy)
    last = strategy.versions.aggregate(n=Max("number"))["n"] or 0
    version = StrategyVersion(
        strategy=strategy,
        number=last + 1,
        reason=reason,
        content=content,
        content_hash=content_hash(content),
        created_by=by if by is not None and by.is_authenticated else None,
        note=note,
    )
    version.full_clean()
    version.save()
    return version


def version_latest(*, strategy: Strategy) -> StrategyVersion | None:
    return strategy.versions.order_by("-number").first()


def version_matching_current(*, strategy: Strategy) -> StrategyVersion | None:
    """The newest version whose content equals the strategy as it is now, if any."""
    latest = version_latest(strategy=strategy)
    if latest and latest.content_hash == content_hash(strategy_content(strategy)):
        return latest
    return None


@transaction.atomic
def strategy_transition(
    *,
    strategy: Strategy,
    to_status: str,
    by=None,
    note: str = "",
    happened_on: dt.date | None = None,
) -> StrategyTransition:
    """Move a strategy along its lifecycle, recording who, when and why.

    Every move is checked here, by `lifecycle.refusals`: the allowed order of
    statuses and the guards other apps register (adoption and publication
    need every board's approval of the current content). Starting a
    consultation, sending for sign-off and publishing freeze a version.
    Publishing a strategy supersedes the partnership's previously published one.

    `happened_on` is the day the step really happened, for a step recorded
    after the event (today when not given): never in the future, never
    before the step before it (`lifecycle.date_refusal`). The row keeps both
    that day and when it was recorded, and by whom.
    """
    # The row lock makes two moves of the same strategy check and apply one
    # after the other.
    locked = Strategy.objects.select_for_update().get(pk=strategy.pk)
    reasons = lifecycle.refusals(locked, to_status)
    if reasons:
        raise ValidationError(reasons)
    happened_on = happened_on or timezone.localdate()
    problem = lifecycle.date_refusal(
        locked, to_status, happened_on, today=timezone.localdate()
    )
    if problem:
        raise ValidationError({"happened_on": problem})
    if to_status == Strategy.Status.CONSULTATION:
        # What the public is asked about is frozen, once: opening a consultation
        # may already have frozen this very content.
        latest = version_latest(strategy=locked)
        current = content_hash(strategy_content(locked))
        if not (
            latest
            and latest.reason == StrategyVersion.Reason.CONSULTATION
            and latest.content_hash == current
        ):
            version_create(
                strategy=locked, reason=StrategyVersion.Reason.CONSULTATION, by=by, note=note
            )
    if to_status == Strategy.Status.SIGN_OFF:
        version_create(strategy=locked, reason=StrategyVersion.Reason.SIGN_OFF, by=by, note=note)
    if to_status == Strategy.Status.PUBLISHED:
        published = version_create(
            strategy=locked, reason=StrategyVersion.Reason.PUBLICATION, by=by, note=note
        )
        transaction.on_commit(
            lambda: signals.version_published.send_robust(
                sender=StrategyVersion, version=published
            )
        )
        audit_record(
            action=AuditAction.PUBLICATION,
            summary=f"Published {locked.title}, version {published.number} "
            f"({published.content_hash[:12]})",
            partnership=locked.partnership_id, actor=by, target=published,
            detail={"strategy": locked.pk, "version": published.number,
                    "content_hash": published.content_hash},
        )
        previous = (
            Strategy.objects.select_for_update()
            .filter(partnership=locked.partnership_id, status=Strategy.Status.PUBLISHED,
                    duty=locked.duty)
            .exclude(pk=locked.pk)
        )
        for old in previous:
            # Superseded when the new one was published, or (if the old one's
            # last step is recorded as later) no earlier than that step.
            last = old.transitions.order_by("-at", "-pk").first()
            superseded_on = max(happened_on, last.happened_on) if last else happened_on
            _record(old, Strategy.Status.SUPERSEDED, by, f"Superseded by {locked.title}.",
                    superseded_on)
    transition = _record(locked, to_status, by, note, happened_on)
    strategy.status = locked.status
    signals.strategy_transitioned.send_robust(
        sender=Strategy, strategy=locked, transition=transition
    )
    return transition


def _record(
    strategy: Strategy, to_status: str, by, note: str, happened_on: dt.date
) -> StrategyTransition:
    transition = StrategyTransition(
        strategy=strategy,
        from_status=strategy.status,
        to_status=to_status,
        by=by if by is not None and by.is_authenticated else None,
        note=note,
        happened_on=happened_on,
    )
    transition.full_clean()
    transition.save()
    audit_record(
        action=AuditAction.TRANSITION,
        summary=f"{strategy.title}: {Strategy.Status(transition.from_status).label} to "
        f"{Strategy.Status(to_status).label}" + (f" ({note})" if note else ""),
        partnership=strategy.partnership_id, actor=by, target=strategy,
        detail={"from": transition.from_status, "to": to_status,
                "happened_on": happened_on.isoformat()},
    )
    strategy.status = to_status
    strategy.save(update_fields=["status", "updated_at"])
    return transition


# Strategies ---------------------------------------------------------------

STRATEGY_FIELDS = (
    "title",
    "slug",
    "duty",
    "kind",
    "parent",
    "period_start",
    "period_end",
    "aim",
    "foreword",
    "pcc_plan_reference",
    "pcc_alignment",
)


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _require_editable(strategy: Strategy) -> None:
    # Read the status under the row lock strategy_transition takes: an edit and
    # an adoption then run one after the other, so the text cannot change
    # between the check of the boards' approval and the adoption, nor after it.
    # The caller's object takes the status read, so a later save() cannot
    # write back a stale one.
    strategy.status = (
        Strategy.objects.select_for_update().values_list("status", flat=True).get(pk=strategy.pk)
    )
    if not strategy.is_editable:
        raise ValidationError(
            f"This strategy is {strategy.get_status_display().lower()}: its content can no "
            "longer change. Start an annual refresh or a new strategy instead."
        )


def _check_same_partnership(strategy: Strategy, **related) -> None:
    for field, obj in related.items():
        if obj is not None and obj.partnership_id != strategy.partnership_id:
            raise ValidationError({field: "Choose one from this partnership."})


@transaction.atomic
def strategy_create(
    *,
    partnership: Partnership,
    title: str,
    slug: str,
    period_start: dt.date,
    period_end: dt.date,
    kind: str = Strategy.Kind.FULL,
    duty: str = Strategy.Duty.COMMUNITY_SAFETY,
    parent: Strategy | None = None,
    aim: str = "",
    foreword: str = "",
    pcc_plan_reference: str = "",
    pcc_alignment: str = "",
    responsibilities: Iterable[StatutoryResponsibility] = (),
    assessments: Iterable[StrategicAssessment] = (),
    by=None,
) -> Strategy:
    strategy = Strategy(
        partnership=partnership,
        title=title,
        slug=slug,
        duty=duty,
        kind=kind,
        parent=parent if kind == Strategy.Kind.REFRESH else None,
        period_start=period_start,
        period_end=period_end,
        aim=aim,
        foreword=foreword,
        pcc_plan_reference=pcc_plan_reference,
        pcc_alignment=pcc_alignment,
    )
    _check_same_partnership(strategy, parent=strategy.parent)
    strategy.full_clean()
    strategy.save()
    assessments = list(assessments)
    for a in assessments:
        _check_same_partnership(strategy, assessments=a)
    _check_assessment_kinds(strategy, assessments)
    strategy.responsibilities.set(list(responsibilities))
    strategy.assessments.set(assessments)
    return strategy


@transaction.atomic
def strategy_update(
    *,
    strategy: Strategy,
    responsibilities: Iterable[StatutoryResponsibility] | None = None,
    assessments: Iterable[StrategicAssessment] | None = None,
    by=None,
    **fields,
) -> Strategy:
    _require_editable(strategy)
    unknown = set(fields) - set(STRATEGY_FIELDS)
    if unknown:
        raise TypeError(f"strategy_update() got unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(strategy, name, value)
    if strategy.kind != Strategy.Kind.REFRESH:
        strategy.parent = None
    if strategy.parent_id == strategy.pk and strategy.pk is not None:
        raise ValidationError({"parent": "A strategy cannot refresh itself."})
    _check_same_partnership(strategy, parent=strategy.parent)
    strategy.full_clean()
    strategy.save()
    if responsibilities is not None:
        strategy.responsibilities.set(list(responsibilities))
    if assessments is not None:
        assessments = list(assessments)
        for a in assessments:
            _check_same_partnership(strategy, assessments=a)
        _check_assessment_kinds(strategy, assessments)
        strategy.assessments.set(assessments)
    elif strategy.assessments.exclude(duty=strategy.duty).exists():
        _check_assessment_kinds(strategy, list(strategy.assessments.all()))
    return strategy


def _check_assessment_kinds(strategy: Strategy, assessments: list[StrategicAssessment]) -> None:
    """A strategy is informed by assessments of its own kind: a serious
    violence strategy by strategic needs assessments."""
    wanted = strategy.profile.assessment_name
    for a in assessments:
        if a.duty != strategy.duty:
            raise ValidationError({
                "assessments": f"Choose only {wanted}s: “{a.title}” is a "
                f"{a.profile.assessment_name}."
            })


# Priorities, objectives, measures -------------------------------------------


@transaction.atomic
def priority_create(
    *,
    strategy: Strategy,
    title: str,
    description: str = "",
    responsibilities: Iterable[StatutoryResponsibility] = (),
) -> Priority:
    _require_editable(strategy)
    last = strategy.priorities.aggregate(n=Max("order"))["n"]
    priority = Priority(
        strategy=strategy,
        title=title,
        description=description,
        order=0 if last is None else last + 1,
    )
    priority.full_clean()
    priority.save()
    priority.responsibilities.set(list(responsibilities))
    return priority


@transaction.atomic
def priority_update(
    *,
    priority: Priority,
    title: str,
    description: str = "",
    responsibilities: Iterable[StatutoryResponsibility] | None = None,
) -> Priority:
    _require_editable(priority.strategy)
    priority.title = title
    priority.description = description
    priority.full_clean()
    priority.save()
    if responsibilities is not None:
        priority.responsibilities.set(list(responsibilities))
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority) -> None:
    _require_editable(priority.strategy)
    priority.delete()


@transaction.atomic
def priority_move(*, priority: Priority, direction: str) -> None:
    """Swap a priority with its neighbour above ("up") or below ("down")."""
    _require_editable(priority.strategy)
    if direction not in ("up", "down"):
        raise ValidationError("Choose to move the priority up or down.")
    siblings = list(
        Priority.objects.select_for_update()
        .filter(strategy=priority.strategy_id)
        .order_by("order", "pk")
    )
    index = next(i for i, p in enumerate(siblings) if p.pk == priority.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    # Renumber every sibling, so orders left equal by earlier edits become distinct.
    for order, p in enumerate(siblings):
        if p.order != order:
            p.order = order
            p.save(update_fields=["order"])


def _check_organisation(strategy: Strategy, field: str, organisation: Organisation) -> None:
    if organisation.partnership_id != strategy.partnership_id:
        raise ValidationError({field: "Choose an organisation of this partnership."})


@transaction.atomic
def objective_create(
    *, priority: Priority, title: str, lead_organisation: Organisation, description: str = ""
) -> Objective:
    _require_editable(priority.strategy)
    _check_organisation(priority.strategy, "lead_organisation", lead_organisation)
    last = priority.objectives.aggregate(n=Max("order"))["n"]
    objective = Objective(
        priority=priority,
        title=title,
        description=description,
        lead_organisation=lead_organisation,
        order=0 if last is None else last + 1,
    )
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_update(
    *, objective: Objective, title: str, lead_organisation: Organisation, description: str = ""
) -> Objective:
    strategy = objective.priority.strategy
    _require_editable(strategy)
    _check_organisation(strategy, "lead_organisation", lead_organisation)
    objective.title = title
    objective.description = description
    objective.lead_organisation = lead_organisation
    objective.full_clean()
    objective.save()
    return objective


@transaction.atomic
def objective_delete(*, objective: Objective) -> None:
    _require_editable(objective.priority.strategy)
    objective.delete()


MEASURE_FIELDS = (
    "title",
    "unit",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
    "direction",
    "frequency",
    "data_source",
    "owner_organisation",
    "owner",
)


@transaction.atomic
def measure_create(*, objective: Objective, **fields) -> Measure:
    strategy = objective.priority.strategy
    _require_editable(strategy)
    _check_measure_fields(fields)
    _check_organisation(strategy, "owner_organisation", fields["owner_organisation"])
    last = objective.measures.aggregate(n=Max("order"))["n"]
    measure = Measure(objective=objective, order=0 if last is None else last + 1, **fields)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, **fields) -> Measure:
    strategy = measure.objective.priority.strategy
    _require_editable(strategy)
    _check_measure_fields(fields)
    if "owner_organisation" in fields:
        _check_organisation(strategy, "owner_organisation", fields["owner_organisation"])
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()
    return measure


def _check_measure_fields(fields: dict) -> None:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unexpected measure fields: {sorted(unknown)}")


@transaction.atomic
def measure_delete(*, measure: Measure) -> None:
    _require_editable(measure.objective.priority.strategy)
    measure.delete()


# Measurements are live performance data: they are recorded whatever the
# strategy's status, because a published strategy is monitored until replaced.


@transaction.atomic
def measurement_create(
    *, measure: Measure, period_end: dt.date, value: Decimal, note: str = "", by=None
) -> Measurement:
    measurement = Measurement(
        measure=measure, period_end=period_end, value=value, note=note, entered_by=_user(by)
    )
    _check_period(measurement)
    measurement.full_clean()
    measurement.save()
    return measurement


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, period_end: dt.date, value: Decimal, note: str = "", by=None
) -> Measurement:
    measurement.period_end = period_end
    measurement.value = value
    measurement.note = note
    measurement.entered_by = _user(by) or measurement.entered_by
    _check_period(measurement)
    measurement.full_clean()
    measurement.save()
    return measurement


def _check_period(measurement: Measurement) -> None:
    duplicate = Measurement.objects.filter(
        measure=measurement.measure_id, period_end=measurement.period_end
    ).exclude(pk=measurement.pk)
    if duplicate.exists():
        raise ValidationError(
            {
                "period_end": "There is already a measurement for the period ending "
                f"{measurement.period_end:%-d %B %Y}: change that one instead"
            }
        )


# Strategic assessments ------------------------------------------------------

ASSESSMENT_FIELDS = (
    "duty",
    "year",
    "title",
    "summary",
    "local_definition",
    "public_summary",
    "existing_priorities_review",
    "emerging_priorities",
    "data_sources",
    "status",
)


@transaction.atomic
def assessment_create(*, partnership: Partnership, **fields) -> StrategicAssessment:
    _check_fields(fields, ASSESSMENT_FIELDS)
    assessment = StrategicAssessment(partnership=partnership, **fields)
    _check_assessment_year(assessment)
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_update(*, assessment: StrategicAssessment, **fields) -> StrategicAssessment:
    _check_fields(fields, ASSESSMENT_FIELDS)
    for name, value in fields.items():
        setattr(assessment, name, value)
    _check_assessment_year(assessment)
    if assessment.pk and assessment.strategies.exclude(duty=assessment.duty).exists():
        raise ValidationError({
            "duty": "A strategy of the other kind is informed by this assessment: "
            "unlink it from that strategy first"
        })
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def line_of_enquiry_create(
    *, assessment: StrategicAssessment, title: str, findings: str = ""
) -> LineOfEnquiry:
    last = assessment.lines_of_enquiry.aggregate(n=Max("order"))["n"]
    line = LineOfEnquiry(
        assessment=assessment,
        title=title,
        findings=findings,
        order=0 if last is None else last + 1,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_of_enquiry_update(*, line: LineOfEnquiry, title: str, findings: str = "") -> LineOfEnquiry:
    line.title = title
    line.findings = findings
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def line_of_enquiry_delete(*, line: LineOfEnquiry) -> None:
    line.delete()


def _check_assessment_year(assessment: StrategicAssessment) -> None:
    clash = StrategicAssessment.objects.filter(
        partnership=assessment.partnership_id, duty=assessment.duty, year=assessment.year
    ).exclude(pk=assessment.pk)
    if clash.exists():
        raise ValidationError(
            {"year": f"There is already a {assessment.profile.assessment_name} for this year"}
        )
    if assessment.duty != StrategicAssessment.Duty.SERIOUS_VIOLENCE and (
        assessment.local_definition or assessment.public_summary
    ):
        # Only a strategic needs assessment has these; keep them empty elsewhere.
        assessment.local_definition = ""
        assessment.public_summary = ""


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")


# Priority proposals ---------------------------------------------------------

PROPOSING = (Strategy.Status.PLANNING, Strategy.Status.DRAFTING)


@transaction.atomic
def proposal_submit(
    *, strategy: Strategy, organisation: Organisation, title: str, rationale: str = "", by=None
) -> PriorityProposal:
    if strategy.status not in PROPOSING:
        raise ValidationError(
            "Priorities can be proposed only while the strategy is being planned or drafted."
        )
    _check_organisation(strategy, "organisation", organisation)
    proposal = PriorityProposal(
        strategy=strategy,
        organisation=organisation,
        title=title,
        rationale=rationale,
        proposed_by=_user(by),
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _decide(proposal: PriorityProposal, status: str, reason: str, by, priority=None) -> None:
    if proposal.status != PriorityProposal.Status.PROPOSED:
        raise ValidationError("This proposal has already been decided.")
    if not reason.strip():
        raise ValidationError({"decision_reason": "Enter the reason for your decision"})
    proposal.status = status
    proposal.decision_reason = reason
    proposal.priority = priority
    proposal.decided_by = _user(by)
    proposal.decided_at = timezone.now()
    proposal.full_clean()
    proposal.save()
    audit_record(
        action=AuditAction.DECISION,
        summary=f"Proposal “{proposal.title}” for {proposal.strategy.title}: "
        f"{proposal.get_status_display()}",
        partnership=proposal.strategy.partnership_id, actor=by, target=proposal,
        detail={"status": status},
    )


@transaction.atomic
def proposal_accept(*, proposal: PriorityProposal, reason: str, by=None) -> Priority:
    """Adopt the proposal as a new priority of its strategy."""
    if not reason.strip():
        raise ValidationError({"decision_reason": "Enter the reason for your decision"})
    priority = priority_create(
        strategy=proposal.strategy, title=proposal.title, description=proposal.rationale
    )
    _decide(proposal, PriorityProposal.Status.ACCEPTED, reason, by, priority)
    return priority


@transaction.atomic
def proposal_merge(
    *, proposal: PriorityProposal, into: Priority, reason: str, by=None
) -> Priority:
    """Fold the proposal into an existing priority of the same strategy."""
    if into.strategy_id != proposal.strategy_id:
        raise ValidationError({"priority": "Choose a priority of this strategy"})
    _require_editable(proposal.strategy)
    _decide(proposal, PriorityProposal.Status.MERGED, reason, by, into)
    return into


@transaction.atomic
def proposal_decline(*, proposal: PriorityProposal, reason: str, by=None) -> PriorityProposal:
    _decide(proposal, PriorityProposal.Status.DECLINED, reason, by)
    return proposal
