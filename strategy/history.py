"""The history of changes to a strategy and its golden thread, read from
django-simple-history: who changed what, when, with before and after.

Each model's records are loaded in one query and compared with the record
before them in Python, so the page costs the same whatever the history's size
(up to LIMIT changes shown).
"""

from __future__ import annotations

from dataclasses import dataclass

from strategy.models import (
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    Strategy,
)

LIMIT = 300
SKIP = {"history_id", "history_date", "history_change_reason", "history_type",
        "history_user", "history_user_id", "updated_at", "created_at", "entered_at", "id"}
ACTIONS = {"+": "Added", "~": "Changed", "-": "Deleted"}


@dataclass
class Change:
    when: object
    who: str
    kind: str
    title: str
    action: str
    fields: list[tuple[str, str, str]]


def strategy_history(strategy: Strategy, organisations: dict[int, str]) -> list[Change]:
    priority_ids = Priority.history.filter(strategy_id=strategy.pk).values("id")
    objective_ids = Objective.history.filter(priority_id__in=priority_ids).values("id")
    measure_ids = Measure.history.filter(objective_id__in=objective_ids).values("id")
    sources = [
        ("Strategy", Strategy.history.filter(id=strategy.pk)),
        ("Priority", Priority.history.filter(strategy_id=strategy.pk)),
        ("Objective", Objective.history.filter(priority_id__in=priority_ids)),
        ("Measure", Measure.history.filter(objective_id__in=objective_ids)),
        ("Measurement", Measurement.history.filter(measure_id__in=measure_ids)),
        ("Proposal", PriorityProposal.history.filter(strategy_id=strategy.pk)),
    ]
    changes: list[Change] = []
    for kind, records in sources:
        records = list(records.select_related("history_user").order_by("id", "history_date",
                                                                         "history_id"))
        previous = None
        for record in records:
            if previous is not None and previous.id != record.id:
                previous = None
            changes.append(_change(kind, record, previous, organisations))
            previous = record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:LIMIT]


def _change(kind, record, previous, organisations) -> Change:
    user = record.history_user
    who = (user.get_full_name() or user.get_username()) if user else "The system"
    fields = []
    if record.history_type == "~" and previous is not None:
        for f in record.instance_type._meta.fields:
            name = f.attname
            if name in SKIP or f.name in SKIP:
                continue
            old, new = getattr(previous, name, None), getattr(record, name, None)
            if old != new:
                fields.append((str(f.verbose_name).capitalize(), _show(f, old, organisations),
                               _show(f, new, organisations)))
    title = getattr(record, "title", None) or str(getattr(record, "period_end", "")) or kind
    if kind == "Measurement":
        title = f"Value for the period ending {record.period_end:%-d %B %Y}: {record.value}"
    return Change(record.history_date, who, kind, title, ACTIONS.get(record.history_type, ""),
                  fields)


def _show(field, value, organisations) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.is_relation and field.related_model.__name__ == "Organisation":
        return organisations.get(value, str(value))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)
