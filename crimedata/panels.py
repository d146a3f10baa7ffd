"""What police recorded crime adds to other pages: the evidence section of
a strategic assessment, and a link on the officers' dashboard."""

from __future__ import annotations

from crimedata import tables
from safermk.panels import Panel


def assessment_evidence(request, assessment) -> Panel | None:
    """The last 12 months' counts by type against the 12 months before, on
    the assessment's page, for the partnership's officers."""
    if not request.access.is_officer(assessment.partnership_id):
        return None
    partnership = assessment.partnership
    return Panel("crimedata/panels/assessment_evidence.html", {
        "partnership": partnership,
        "comparison": tables.comparison(partnership),
    })


def crime_data(request) -> Panel | None:
    """Links to each of the user's partnerships' crime counts, for officers."""
    memberships = [
        m for pid, m in request.access.memberships.items()
        if pid in request.access.officer_partnership_ids()
    ]
    if not memberships:
        return None
    return Panel(
        "crimedata/panels/crime_data.html",
        {"partnerships": sorted((m.partnership for m in memberships), key=lambda p: p.name)},
        column="side",
    )
