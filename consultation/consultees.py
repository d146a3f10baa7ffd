"""The consultees a kind of strategy must consult (strategy.duties), and the
log that proves each was consulted.

A strategy of a kind with required consultees (a serious violence strategy:
the educational, prison and youth custody authorities) is adopted and
published only when every one of them has at least one entry in the log:
`consultee_refusals` is registered with strategy.lifecycle in
ConsultationConfig.ready(), so the strategy page shows what is missing
instead of the button, whoever tries the move. Blocking rather than warning
because the duty is to consult before the strategy is settled: an entry
recorded afterwards is still possible, but the strategy waits for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import Action as AuditAction
from audit.services import audit_record
from consultation.models import ConsulteeRecord
from strategy.duties import authority_label
from strategy.models import Strategy

CHECKED = (Strategy.Status.ADOPTED, Strategy.Status.PUBLISHED)
# Strategies adopted on the strength of the log: its last entry for a
# consultee is the record that the duty was met, and stays.
SETTLED = CHECKED + (Strategy.Status.SUPERSEDED,)


@dataclass(frozen=True)
class RequiredConsultee:
    kind: str
    label: str
    records: tuple[ConsulteeRecord, ...]

    @property
    def consulted(self) -> bool:
        return bool(self.records)


def required_consultees(strategy: Strategy) -> list[RequiredConsultee]:
    """Each consultee the strategy's kind requires, with its log entries
    (one query)."""
    kinds = strategy.profile.consultee_kinds
    if not kinds:
        return []
    rows = list(ConsulteeRecord.objects.filter(strategy=strategy).select_related("recorded_by"))
    return [
        RequiredConsultee(
            kind=kind,
            label=authority_label(kind),
            records=tuple(r for r in rows if r.consultee_kind == kind),
        )
        for kind in kinds
    ]


def consultee_refusals(*, strategy: Strategy, to_status: str) -> list[str]:
    """Why the strategy may not be adopted or published: a required consultee
    with no entry in the log."""
    if to_status not in CHECKED or not strategy.profile.consultee_kinds:
        return []
    kinds = set(
        ConsulteeRecord.objects.filter(strategy=strategy).values_list("consultee_kind", flat=True)
    )
    return [
        f"There is no record that {authority_label(kind)} were consulted on the "
        f"{strategy.profile.document_name}: add it to the log of consultees."
        if kind == "education"
        else f"There is no record that {authority_label(kind)} was consulted on the "
        f"{strategy.profile.document_name}: add it to the log of consultees."
        for kind in strategy.profile.consultee_kinds
        if kind not in kinds
    ]


@transaction.atomic
def consultee_record_create(
    *,
    strategy: Strategy,
    consultee_kind: str,
    consultee: str,
    consulted_on: dt.date,
    method: str,
    evidence: str,
    by=None,
) -> ConsulteeRecord:
    """Add an entry to the strategy's log of consultees."""
    if consultee_kind not in strategy.profile.consultee_kinds:
        raise ValidationError(
            {"consultee_kind": "Choose one of the consultees this kind of strategy must consult"}
        )
    if consulted_on and consulted_on > timezone.localdate():
        raise ValidationError({"consulted_on": "The date consulted must be today or in the past"})
    record = ConsulteeRecord(
        strategy=strategy,
        consultee_kind=consultee_kind,
        consultee=(consultee or "").strip(),
        consulted_on=consulted_on,
        method=method,
        evidence=(evidence or "").strip(),
        recorded_by=by if by is not None and by.is_authenticated else None,
    )
    record.full_clean()
    record.save()
    audit_record(
        action=AuditAction.CONSULTEE,
        summary=f"Recorded that {record.consultee} was consulted on {strategy.title}",
        partnership=strategy.partnership_id, actor=by, target=record,
        detail={"strategy": strategy.pk, "consultee_kind": consultee_kind,
                "consulted_on": consulted_on.isoformat(), "change": "added"},
    )
    return record


@transaction.atomic
def consultee_record_remove(*, record: ConsulteeRecord, by=None) -> None:
    """Remove an entry recorded in error. Once the strategy has been adopted,
    the last entry for a consultee stays: it is the record that the duty was
    met (add the right entry first, then remove the wrong one)."""
    strategy = record.strategy
    # Lock the strategy's entries so two removals at once cannot both pass
    # the check below and leave a consultee with none.
    others = list(
        ConsulteeRecord.objects.select_for_update()
        .filter(strategy=strategy, consultee_kind=record.consultee_kind)
        .exclude(pk=record.pk).values_list("pk", flat=True)
    )
    if strategy.status in SETTLED and not others:
        raise ValidationError(
            f"This is the only record that {authority_label(record.consultee_kind)} "
            f"{'were' if record.consultee_kind == 'education' else 'was'} consulted, and the "
            f"{strategy.profile.document_name} was adopted on that basis: add the correct "
            "entry first, then remove this one."
        )
    audit_record(
        action=AuditAction.CONSULTEE,
        summary=f"Removed the record that {record.consultee} was consulted on {strategy.title}",
        partnership=strategy.partnership_id, actor=by, target=record,
        detail={"strategy": strategy.pk, "consultee_kind": record.consultee_kind,
                "consultee": record.consultee, "consulted_on": record.consulted_on.isoformat(),
                "method": record.method, "evidence": record.evidence, "change": "removed"},
    )
    record.delete()

