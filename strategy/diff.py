"""What changed between two versions of a strategy.

A pure function over two snapshot dicts (strategy.snapshot): priorities,
objectives and measures are matched by id, so a renamed priority shows as
changed, not as one removed and one added. Every change carries its before
and after text and, for prose, word-level segments to mark up with
<del> and <ins>.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

TEXT_FIELDS = [
    ("title", "Title"),
    ("kind", "Kind"),
    ("period_start", "Start of the period"),
    ("period_end", "End of the period"),
    ("aim", "Overarching aim"),
    ("foreword", "Foreword"),
    ("pcc_plan_reference", "Police and crime plan"),
    ("pcc_alignment", "How it has regard to the police and crime plan"),
    ("responsibilities", "Statutory responsibilities"),
    ("assessments", "Informing assessments"),
]
PRIORITY_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("responsibilities", "Statutory responsibilities"),
    ("position", "Position"),
]
OBJECTIVE_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("lead_organisation", "Lead organisation"),
    ("priority", "Priority"),
]
MEASURE_FIELDS = [
    ("title", "Title"),
    ("unit", "Unit"),
    ("baseline_value", "Baseline"),
    ("baseline_date", "Baseline date"),
    ("target_value", "Target"),
    ("target_date", "Target date"),
    ("direction", "Direction"),
    ("frequency", "Frequency"),
    ("data_source", "Data source"),
    ("owner_organisation", "Owner"),
    ("objective", "Objective"),
]
KIND_LABELS = {"full": "Three-year strategy", "refresh": "Annual refresh"}
DIRECTION_LABELS = {"higher": "Higher is better", "lower": "Lower is better"}


@dataclass
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    segments: list[tuple[str, str]]


@dataclass
class ItemChange:
    id: int
    title: str
    context: str
    changes: list[FieldChange]


@dataclass
class Section:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Diff:
    text: list[FieldChange]
    priorities: Section
    objectives: Section
    measures: Section

    @property
    def has_changes(self) -> bool:
        return bool(self.text or self.priorities or self.objectives or self.measures)


def diff_contents(before: dict, after: dict) -> Diff:
    a, b = before.get("strategy", {}), after.get("strategy", {})
    text = _field_changes(_strategy_fields(a), _strategy_fields(b), TEXT_FIELDS)
    return Diff(
        text=text,
        priorities=_section(_priorities(before), _priorities(after), PRIORITY_FIELDS),
        objectives=_section(_objectives(before), _objectives(after), OBJECTIVE_FIELDS),
        measures=_section(_measures(before), _measures(after), MEASURE_FIELDS),
    )


def _strategy_fields(s: dict) -> dict:
    out = {name: _text(s.get(name, "")) for name, _ in TEXT_FIELDS}
    out["kind"] = KIND_LABELS.get(s.get("kind", ""), s.get("kind", ""))
    out["assessments"] = "; ".join(
        f"{a.get('title', '')} ({a.get('year', '')})" for a in s.get("assessments", [])
    )
    return out


def _priorities(content: dict) -> dict[int, dict]:
    out = {}
    for position, p in enumerate(content.get("priorities", []), start=1):
        out[p["id"]] = {
            "id": p["id"],
            "title": p.get("title", ""),
            "description": p.get("description", ""),
            "responsibilities": _text(p.get("responsibilities", [])),
            "position": str(position),
            "context": "",
        }
    return out


def _objectives(content: dict) -> dict[int, dict]:
    out = {}
    for p in content.get("priorities", []):
        for o in p.get("objectives", []):
            out[o["id"]] = {
                "id": o["id"],
                "title": o.get("title", ""),
                "description": o.get("description", ""),
                "lead_organisation": o.get("lead_organisation", ""),
                "priority": p.get("title", ""),
                "context": f"Priority: {p.get('title', '')}",
            }
    return out


def _measures(content: dict) -> dict[int, dict]:
    out = {}
    for p in content.get("priorities", []):
        for o in p.get("objectives", []):
            for m in o.get("measures", []):
                row = {name: _text(m.get(name, "")) for name, _ in MEASURE_FIELDS}
                row.update(
                    id=m["id"],
                    direction=DIRECTION_LABELS.get(m.get("direction", ""), m.get("direction", "")),
                    frequency=str(m.get("frequency", "")).capitalize(),
                    objective=o.get("title", ""),
                    context=f"Objective: {o.get('title', '')}",
                )
                out[m["id"]] = row
    return out


def _section(before: dict[int, dict], after: dict[int, dict], fields) -> Section:
    section = Section()
    for key, item in after.items():
        if key not in before:
            section.added.append(item)
    for key, item in before.items():
        if key not in after:
            section.removed.append(item)
    for key, item in after.items():
        if key in before:
            changes = _field_changes(before[key], item, fields)
            if changes:
                section.changed.append(
                    ItemChange(id=key, title=item["title"], context=item["context"],
                               changes=changes)
                )
    return section


def _field_changes(before: dict, after: dict, fields) -> list[FieldChange]:
    changes = []
    for name, label in fields:
        old, new = _text(before.get(name, "")), _text(after.get(name, ""))
        if old != new:
            changes.append(FieldChange(name, label, old, new, word_segments(old, new)))
    return changes


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _text(value) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, str) and _ISO_DATE.match(value):
        # Frozen content keeps dates as ISO text; people read "1 March 2022".
        try:
            return f"{dt.date.fromisoformat(value):%-d %B %Y}"
        except ValueError:
            return value
    return "" if value is None else str(value)


_TOKEN = re.compile(r"\s+|[^\s]+")


def word_segments(before: str, after: str) -> list[tuple[str, str]]:
    """[(op, text)] with op "equal", "delete" or "insert", word by word."""
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    segments: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("equal", "".join(a[i1:i2])))
        else:
            if i2 > i1:
                segments.append(("delete", "".join(a[i1:i2])))
            if j2 > j1:
                segments.append(("insert", "".join(b[j1:j2])))
    return segments
