"""Sections of the strategy document that come from other apps' records.

Each function returns plain data for the template, so the document does not
care how the other app stores it. The sign-off and consultation records are
built in milestones and consultation; until those are installed, the import
fails and the function returns an empty result, so the document leaves the
section out (it never invents one). Wire the final field names here.
"""

from __future__ import annotations

from strategy.models import LineOfEnquiry, StrategicAssessment, StrategyTransition, StrategyVersion


def signoff_record(version: StrategyVersion) -> list[dict]:
    """Board decisions on this version: board, date, decision, minute reference.

    Empty until milestones provides SignOffRequest (with its decision).
    """
    try:
        from milestones.models import SignOffRequest  # type: ignore[attr-defined]
    except ImportError:
        return []
    rows = []
    requests = (
        SignOffRequest.objects.filter(version=version)
        .select_related("board")
        .order_by("pk")
    )
    for request in requests:
        decision = getattr(request, "decision", None)
        rows.append(
            {
                "board": request.board.name,
                "date": getattr(decision, "decided_on", None) if decision else None,
                "decision": decision.get_outcome_display() if decision else "Awaiting decision",
                "minute_reference": getattr(decision, "minute_reference", "") if decision else "",
                "conditions": getattr(decision, "conditions", "") if decision else "",
            }
        )
    return rows


def consultation_summary(version: StrategyVersion) -> dict | None:
    """What the consultation heard and "you said, we did", or None.

    None until consultation provides fairness_checks(consultation) and
    you_said_we_did(strategy).
    """
    try:
        from consultation.models import Consultation  # type: ignore[attr-defined]
        from consultation.services import (  # type: ignore[attr-defined]
            fairness_checks,
            you_said_we_did,
        )
    except ImportError:
        return None
    consultations = list(
        Consultation.objects.filter(version__strategy_id=version.strategy_id).order_by("pk")
    )
    items = list(you_said_we_did(version.strategy) or [])
    if not consultations and not items:
        return None
    return {
        "consultations": [
            {"consultation": c, "checks": list(fairness_checks(c) or [])} for c in consultations
        ],
        "you_said_we_did": items,
    }


def lifecycle_record(version: StrategyVersion) -> list[StrategyTransition]:
    """The recorded lifecycle moves up to the one that froze this version.

    A sign-off or publication version is created in the same transaction as
    its transition, a moment before the transition row, so the first move at
    or after the version's creation is the one that made it.
    """
    transitions = list(
        StrategyTransition.objects.filter(strategy_id=version.strategy_id)
        .select_related("by")
        .order_by("at", "pk")
    )
    earlier = [t for t in transitions if t.at < version.created_at]
    later = [t for t in transitions if t.at >= version.created_at]
    if later and version.reason in (
        StrategyVersion.Reason.SIGN_OFF,
        StrategyVersion.Reason.PUBLICATION,
    ):
        earlier.append(later[0])
    return earlier


def assessment_summaries(version: StrategyVersion, partnership_id: int) -> list[dict]:
    """The assessments frozen in the content, each with its lines of enquiry.

    The content keeps year, title and summary; lines of enquiry are looked up
    by the partnership and year.
    """
    frozen = version.content.get("strategy", {}).get("assessments", [])
    years = [a.get("year") for a in frozen]
    lines: dict[int, list[LineOfEnquiry]] = {}
    for line in LineOfEnquiry.objects.filter(
        assessment__partnership_id=partnership_id, assessment__year__in=years
    ).select_related("assessment"):
        lines.setdefault(line.assessment.year, []).append(line)
    signed = {
        a.year: a
        for a in StrategicAssessment.objects.filter(partnership_id=partnership_id, year__in=years)
    }
    summaries = []
    for item in frozen:
        year = item.get("year")
        live = signed.get(year)
        summaries.append(
            {
                "year": year,
                "title": item.get("title", ""),
                "summary": item.get("summary", ""),
                "lines": sorted(lines.get(year, []), key=lambda x: (x.order, x.pk)),
                "signed_off_on": live.signed_off_on if live else None,
                "signed_off_by": live.signed_off_by if live else "",
            }
        )
    return summaries
