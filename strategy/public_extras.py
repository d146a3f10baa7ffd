"""What apps above strategy add to its public strategy page, registered at
start-up so that strategy never imports them (as lifecycle guards are).

documents registers the label of the published version's PDF ("412 KB, 13
pages" once rendered): the view reads it, so the template runs no query.
"""

from __future__ import annotations

from collections.abc import Callable

from strategy.models import StrategyVersion

_pdf_label: Callable[[StrategyVersion], str] | None = None


def register_pdf_label(label: Callable[[StrategyVersion], str]) -> None:
    global _pdf_label
    _pdf_label = label


def pdf_label(version: StrategyVersion) -> str:
    return _pdf_label(version) if _pdf_label is not None else ""
