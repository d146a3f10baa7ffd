"""Sections of the strategy document that come from other apps' records.

Each function returns plain data for the template, so the document does not
care how the other app stores it: the sign-off record comes from milestones'
SignOffRequest and SignOffDecision, the consultation summary from
consultation.services. A strategy without either gets no such section (the
document never invents one).
"""

from __future__ import annotations

from consultation.consultees import required_consultees
from consultation.services import fairness_checks, you_said_we_did
from milestones.models import SignOffDecision, SignOffRequest
from strategy.duties import StrategyDuty
from strategy.models import LineOfEnquiry, StrategicAssessment, StrategyTransition, StrategyVersion


def signoff_record(version: StrategyVersion) -> list[dict]:
    """Board decisions on the text of this version, oldest first, then the
    requests still awaiting a decision on this very version.

    A decision keeps the content hash the board approved, so the record of a
    publication version includes the decisions made on the sign-off version
    with the same text. A step closed without being reached is no part of
    the record.
    """
    rows = [
        {
            "board": d.request.decider_name,
            "date": d.decided_on,
            "decision": d.get_outcome_display(),
            "minute_reference": d.minute_reference,
            "conditions": d.conditions,
            "hash": d.content_hash,
        }
        for d in SignOffDecision.objects.filter(
            request__strategy_id=version.strategy_id, content_hash=version.content_hash
        )
        .select_related("request__board", "request__authority")
        .order_by("decided_on", "pk")
    ]
    waiting = (
        SignOffRequest.objects.filter(
            version=version,
            decision__isnull=True,
            status__in=[SignOffRequest.Status.WAITING, SignOffRequest.Status.PENDING],
        )
        .select_related("board", "authority")
        .order_by("step", "pk")
    )
    rows += [
        {
            "board": r.decider_name,
            "date": r.meeting_date,
            "decision": r.get_status_display(),
            "minute_reference": "",
            "conditions": "",
            "hash": r.content_hash,
        }
        for r in waiting
    ]
    return rows


def consultation_summary(version: StrategyVersion) -> dict | None:
    """What the consultations on this strategy heard, with the fair
    consultation checks and "you said, we did", or None when there was none.

    Only consultations whose "you said, we did" is published count: an open
    or unanalysed one has nothing the partnership may yet say it did.
    """
    entries = list(you_said_we_did(version.strategy) or [])
    if not entries:
        return None
    consultations = []
    for entry in entries:
        checks = [
            {"label": label, "passed": passed, "detail": detail}
            for label, passed, detail in fairness_checks(entry["consultation"])
        ]
        consultations.append({**entry, "checks": checks})
    return {"consultations": consultations}


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
    by the partnership, kind and year. A strategic needs assessment (serious
    violence) is published only as its public summary and local definition:
    its lines of enquiry are restricted to officers and never printed.
    """
    about = version.content.get("strategy", {})
    duty = about.get("duty", StrategyDuty.COMMUNITY_SAFETY)
    frozen = about.get("assessments", [])
    years = [a.get("year") for a in frozen]
    lines: dict[int, list[LineOfEnquiry]] = {}
    if duty == StrategyDuty.COMMUNITY_SAFETY:
        for line in LineOfEnquiry.objects.filter(
            assessment__partnership_id=partnership_id, assessment__duty=duty,
            assessment__year__in=years,
        ).select_related("assessment"):
            lines.setdefault(line.assessment.year, []).append(line)
    signed = {
        a.year: a
        for a in StrategicAssessment.objects.filter(
            partnership_id=partnership_id, duty=duty, year__in=years
        )
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
                "local_definition": item.get("local_definition", ""),
                "lines": sorted(lines.get(year, []), key=lambda x: (x.order, x.pk)),
                "signed_off_on": live.signed_off_on if live else None,
                "signed_off_by": live.signed_off_by if live else "",
            }
        )
    return summaries


def consultee_record(version: StrategyVersion) -> list[dict]:
    """The required consultees of the strategy's kind, each with who was
    consulted, when and how (the officers' log; its evidence notes stay on
    the officers' page)."""
    return [
        {
            "label": row.label,
            "entries": [
                {"who": r.consultee, "on": r.consulted_on, "how": r.get_method_display()}
                for r in row.records
            ],
        }
        for row in required_consultees(version.strategy)
    ]
