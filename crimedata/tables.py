"""Reads of the imported counts: the table of the latest months and the
comparison of the last 12 months with the 12 before. Each is one query on
the counts, whatever the number of months shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from crimedata.models import CRIME_TYPES, CrimeCount, CrimeImport, CrimeType
from crimedata.services import SOURCE, add_months, months_label
from partnerships.models import Partnership

WINDOW = 12


@dataclass
class Row:
    label: str
    cells: list[int]
    total: int
    is_total: bool = False


def imported_months(partnership: Partnership) -> list[dt.date]:
    return sorted(CrimeImport.objects.months_for(partnership))


def latest_window(months: list[dt.date], size: int = WINDOW) -> list[dt.date]:
    """The calendar months of the `size` months ending with the latest
    imported month (every month, imported or not)."""
    if not months:
        return []
    latest = months[-1]
    return [add_months(latest, -i) for i in range(size - 1, -1, -1)]


def _counts(partnership: Partnership, months: list[dt.date]) -> dict[tuple[dt.date, str], int]:
    return {
        (month, crime_type): n
        for month, crime_type, n in CrimeCount.objects.filter(partnership=partnership)
        .for_months(months).values_list("month", "crime_type", "count")
    }


def counts_table(partnership: Partnership, months: list[dt.date]) -> list[Row]:
    """One row per crime type, the total of crime, then anti-social
    behaviour; a cell per month of `months` and the row's total."""
    counts = _counts(partnership, months)

    def row(label, types, is_total=False):
        cells = [sum(counts.get((m, t), 0) for t in types) for m in months]
        return Row(label, cells, sum(cells), is_total)

    rows = [row(t.label, [t]) for t in CRIME_TYPES]
    rows.append(row("Total crime", CRIME_TYPES, is_total=True))
    rows.append(row(CrimeType.ANTI_SOCIAL_BEHAVIOUR.label, [CrimeType.ANTI_SOCIAL_BEHAVIOUR]))
    return rows


@dataclass
class Change:
    label: str
    recent: int
    earlier: int | None
    is_total: bool = False

    @property
    def difference(self) -> int | None:
        return None if self.earlier is None else self.recent - self.earlier

    @property
    def percent(self) -> str:
        if self.earlier is None:
            return ""
        if self.earlier == 0:
            return "new" if self.recent else "no change"
        change = round((self.recent - self.earlier) * 100 / self.earlier)
        return f"{change:+d}%" if change else "no change"


def comparison(partnership: Partnership) -> dict | None:
    """The last 12 months' counts by type against the 12 months before,
    for the strategic assessment's evidence; None when nothing is imported."""
    months = imported_months(partnership)
    if not months:
        return None
    recent = latest_window(months)
    earlier = [add_months(m, -WINDOW) for m in recent]
    have = set(months)
    recent_missing = [m for m in recent if m not in have]
    earlier_complete = all(m in have for m in earlier)
    counts = _counts(partnership, recent + earlier)

    def change(label, types, is_total=False):
        now = sum(counts.get((m, t), 0) for m in recent for t in types)
        before = sum(counts.get((m, t), 0) for m in earlier for t in types)
        return Change(label, now, before if earlier_complete else None, is_total)

    rows = [change(t.label, [t]) for t in CRIME_TYPES]
    rows.append(change("Total crime", CRIME_TYPES, is_total=True))
    rows.append(change(CrimeType.ANTI_SOCIAL_BEHAVIOUR.label,
                       [CrimeType.ANTI_SOCIAL_BEHAVIOUR]))
    return {
        "rows": rows,
        "recent_label": months_label(recent),
        "earlier_label": months_label(earlier),
        "source": f"{SOURCE}, {months_label(recent)}"
        + (f", compared with {months_label(earlier)}" if earlier_complete else ""),
        "recent_missing": [f"{m:%B %Y}" for m in recent_missing],
        "earlier_complete": earlier_complete,
    }
