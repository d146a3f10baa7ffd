"""What an app gives the dashboard: a template and its context.

Apps build Panels from their own data (e.g. milestones.panels); the
dashboard app lists which panels to show, so no app imports the dashboard.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    # "main" panels take the wide column; "side" the narrow one.
    column: str = "main"
