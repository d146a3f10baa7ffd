"""What a board signs when it signs off a strategic assessment.

Assessments are not versioned like strategies, so the request freezes the
assessment's content when it is made, with a hash computed the same way as a
strategy version's.
"""

from __future__ import annotations

from strategy.models import StrategicAssessment
from strategy.snapshot import content_hash

SCHEMA = 1


def assessment_content(assessment: StrategicAssessment) -> dict:
    return {
        "schema": SCHEMA,
        "assessment": {
            "year": assessment.year,
            "title": assessment.title,
            "summary": assessment.summary,
            "existing_priorities_review": assessment.existing_priorities_review,
            "emerging_priorities": assessment.emerging_priorities,
            "data_sources": assessment.data_sources,
        },
        "lines_of_enquiry": [
            {"title": line.title, "findings": line.findings}
            for line in assessment.lines_of_enquiry.order_by("order", "pk")
        ],
    }


def assessment_hash(content: dict) -> str:
    return content_hash(content)
