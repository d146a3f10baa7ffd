"""The history of changes to a strategy and its golden thread, read from
django-simple-history: who changed what, when, with before and after.

Each model's records are loaded in one query and compared with the record
before them in Python, so the page costs the same whatever the history's size
(up to LIMIT changes shown).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import formats, timezone

from strategy.models import (
    Measure,
    Measurement,
    Objective,
    Priority,
    PriorityProposal,
    Strategy,
)

LIMIT = 300
# Who and when are the table's own columns, so the fields that repeat them
# (decided_by, entered_at ...) are left out of "what changed".
SKIP = {"history_id", "history_date", "history_change_reason", "history_type",
        "history_user", "history_user_id", "updated_at", "created_at", "entered_at", "id",
        "decided_by", "decided_at", "proposed_by", "entered_by"}
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
    loaded = [
        (kind, list(records.select_related("history_user").order_by("id", "history_date",
                                                                      "history_id")))
        for kind, records in sources
    ]
    # Related rows are named, not numbered: priorities from their own history,
    # people in one query.
    names = {
        "Organisation": organisations,
        "Priority": {r.id: r.title for kind, rows in loaded if kind == "Priority" for r in rows},
    }
    user_ids = {r.owner_id for kind, rows in loaded if kind == "Measure" for r in rows}
    names["User"] = {
        u.pk: u.get_full_name() or u.get_username()
        for u in get_user_model().objects.filter(pk__in=user_ids - {None})
    }
    changes: list[Change] = []
    for kind, records in loaded:
        previous = None
        for record in records:
            if previous is not None and previous.id != record.id:
                previous = None
            changes.append(_change(kind, record, previous, names))
            previous = record
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:LIMIT]


def _change(kind, record, previous, names) -> Change:
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
                fields.append((str(f.verbose_name).capitalize(), _show(f, old, names),
                               _show(f, new, names)))
    title = getattr(record, "title", None) or str(getattr(record, "period_end", "")) or kind
    if kind == "Measurement":
        title = f"Value for the period ending {record.period_end:%-d %B %Y}: {record.value}"
    return Change(record.history_date, who, kind, title, ACTIONS.get(record.history_type, ""),
                  fields)


def _show(field, value, names) -> str:
    if value is None or value == "":
        return "(blank)"
    if field.is_relation:
        model = field.related_model.__name__
        model = "User" if field.related_model is get_user_model() else model
        return names.get(model, {}).get(value, f"{model.lower()} {value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "j M Y")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)
