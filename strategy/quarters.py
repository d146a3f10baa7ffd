"""The quarters of a strategy's period, for reporting its performance.

A quarter is a calendar quarter (January to March, April to June, July to
September, October to December), named in words so that nobody mistakes a
calendar quarter for a financial one. In addresses it is written
"jul-sep-2026". A strategy covers the quarters that overlap its period; a
report can be made on a quarter once it has ended.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_NAMES = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]
_SLUG = re.compile(r"(jan-mar|apr-jun|jul-sep|oct-dec)-([0-9]{4})")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1 to 4: January to March is 1

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def from_slug(cls, text: str) -> Quarter | None:
        """The quarter an address names, or None for anything else."""
        match = _SLUG.fullmatch(text or "")
        if match is None:
            return None
        year = int(match.group(2))
        if not dt.MINYEAR < year < dt.MAXYEAR:
            return None
        return cls(year, _MONTHS.index(match.group(1)[:3]) // 3 + 1)

    @property
    def first_month(self) -> int:
        return 3 * (self.number - 1) + 1

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return self.following.start - dt.timedelta(days=1)

    @property
    def following(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    @property
    def previous(self) -> Quarter:
        if self.number == 1:
            return Quarter(self.year - 1, 4)
        return Quarter(self.year, self.number - 1)

    @property
    def slug(self) -> str:
        first = self.first_month - 1
        return f"{_MONTHS[first]}-{_MONTHS[first + 2]}-{self.year}"

    @property
    def label(self) -> str:
        """"July to September 2026"."""
        first = self.first_month - 1
        return f"{_NAMES[first]} to {_NAMES[first + 2]} {self.year}"

    def __str__(self) -> str:
        return self.label


def last_complete_quarter(today: dt.date) -> Quarter:
    return Quarter.containing(today).previous


def reportable_quarters(strategy, *, today: dt.date) -> list[Quarter]:
    """The quarters of the strategy's period that have ended by `today`,
    newest first."""
    last = min(last_complete_quarter(today), Quarter.containing(strategy.period_end))
    first = Quarter.containing(strategy.period_start)
    quarters = []
    quarter = last
    while quarter >= first:
        quarters.append(quarter)
        quarter = quarter.previous
    return quarters


def default_quarter(strategy, *, today: dt.date) -> Quarter | None:
    """The last complete quarter, or the strategy's last quarter once its
    period is over; None before its first quarter has ended."""
    quarters = reportable_quarters(strategy, today=today)
    return quarters[0] if quarters else None
