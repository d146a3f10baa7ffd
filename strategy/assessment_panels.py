"""What apps above strategy add to a strategic assessment's page,
registered at start-up so that strategy never imports them (as the public
page's extras and lifecycle guards are).

A panel function takes the request and the assessment and returns a
safermk.panels.Panel, or None when it has nothing for this person.
"""

from __future__ import annotations

from collections.abc import Callable

from safermk.panels import Panel
from strategy.models import StrategicAssessment

AssessmentPanel = Callable[[object, StrategicAssessment], Panel | None]

_panels: list[AssessmentPanel] = []


def register_assessment_panel(panel: AssessmentPanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def assessment_panels(request, assessment: StrategicAssessment) -> list[Panel]:
    found = (panel(request, assessment) for panel in _panels)
    return [p for p in found if p is not None]
