"""What changed between two strategy versions, for a board member to read.

A pure function over two version content dicts (strategy.snapshot's
format): no database, no templates. Priorities, objectives and measures are
matched by their id, so a renamed priority reads as "changed", not as one
removed and one added.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

STRATEGY_FIELDS = [
    ("title", "Title"),
    ("period_start", "Start of the period"),
    ("period_end", "End of the period"),
    ("aim", "Overarching aim"),
    ("foreword", "Foreword"),
    ("pcc_plan_reference", "Police and Crime Commissioner's plan"),
    ("pcc_alignment", "How the strategy has regard to the PCC plan"),
    ("responsibilities", "Statutory responsibilities"),
]
PRIORITY_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("responsibilities", "Statutory responsibilities"),
]
OBJECTIVE_FIELDS = [
    ("title", "Title"),
    ("description", "Description"),
    ("lead_organisation", "Lead organisation"),
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
]


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    kind: str  # "priority", "objective" or "measure"
    action: str  # ADDED, REMOVED or CHANGED
    title: str
    within: str = ""  # the parent's title, for objectives and measures
    fields: tuple[FieldChange, ...] = ()


@dataclass
class VersionDiff:
    text: list[FieldChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.items

    def of_kind(self, kind: str) -> list[ItemChange]:
        return [i for i in self.items if i.kind == kind]

    @property
    def priorities(self) -> list[ItemChange]:
        return self.of_kind("priority")

    @property
    def objectives(self) -> list[ItemChange]:
        return self.of_kind("objective")

    @property
    def measures(self) -> list[ItemChange]:
        return self.of_kind("measure")

    def counts(self) -> dict[str, int]:
        out = {ADDED: 0, REMOVED: 0, CHANGED: 0}
        for item in self.items:
            out[item.action] += 1
        out[CHANGED] += len(self.text)
        return out


def version_diff(old: dict, new: dict) -> VersionDiff:
    """The changes from content `old` to content `new`."""
    diff = VersionDiff()
    diff.text = _field_changes(old.get("strategy", {}), new.get("strategy", {}), STRATEGY_FIELDS)
    _diff_children(
        diff,
        old.get("priorities", []),
        new.get("priorities", []),
        kind="priority",
        fields=PRIORITY_FIELDS,
        within="",
    )
    return diff


def _diff_children(
    diff: VersionDiff, old_rows: list, new_rows: list, *, kind: str, fields, within: str
) -> None:
    old_by_key = {_key(r): r for r in old_rows}
    new_by_key = {_key(r): r for r in new_rows}
    for row in new_rows:
        key = _key(row)
        before = old_by_key.get(key)
        if before is None:
            diff.items.append(ItemChange(kind, ADDED, row.get("title", ""), within))
            _added_or_removed_children(diff, row, kind, ADDED)
            continue
        changes = _field_changes(before, row, fields)
        if changes:
            diff.items.append(
                ItemChange(kind, CHANGED, row.get("title", ""), within, tuple(changes))
            )
        if kind == "priority":
            _diff_children(
                diff, before.get("objectives", []), row.get("objectives", []),
                kind="objective", fields=OBJECTIVE_FIELDS, within=row.get("title", ""),
            )
        elif kind == "objective":
            _diff_children(
                diff, before.get("measures", []), row.get("measures", []),
                kind="measure", fields=MEASURE_FIELDS, within=row.get("title", ""),
            )
    for row in old_rows:
        if _key(row) not in new_by_key:
            diff.items.append(ItemChange(kind, REMOVED, row.get("title", ""), within))
            _added_or_removed_children(diff, row, kind, REMOVED)


def _added_or_removed_children(diff: VersionDiff, row: dict, kind: str, action: str) -> None:
    # A new priority brings its objectives and measures with it; list them so
    # a reader sees every new target, not only the heading above it.
    if kind == "priority":
        for objective in row.get("objectives", []):
            diff.items.append(ItemChange("objective", action, objective.get("title", ""),
                                         row.get("title", "")))
            _added_or_removed_children(diff, objective, "objective", action)
    elif kind == "objective":
        for measure in row.get("measures", []):
            diff.items.append(ItemChange("measure", action, measure.get("title", ""),
                                         row.get("title", "")))


def _key(row: dict):
    return row.get("id") if row.get("id") is not None else ("title", row.get("title"))


def _field_changes(old: dict, new: dict, fields) -> list[FieldChange]:
    changes = []
    for name, label in fields:
        before, after = _text(old.get(name)), _text(new.get(name))
        if before != after:
            changes.append(FieldChange(label, before, after))
    return changes


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
