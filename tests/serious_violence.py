"""Builders for serious violence strategy tests: the specified authorities
as organisations of a partnership, their representatives on a board, a
strategy taken to sign-off, the required consultees logged and each
authority's sign-off recorded through the real services."""

from __future__ import annotations

import datetime as dt

from consultation.consultees import consultee_record_create
from milestones.models import SignOffOutcome
from milestones.services import signoff_decide, signoff_request
from partnerships.models import BoardMembership, Organisation
from strategy.duties import PROFILES, StrategyDuty
from tests import factories

SV = PROFILES[StrategyDuty.SERIOUS_VIOLENCE]


def authorities_at(board, *, skip: tuple[str, ...] = ()):
    """One organisation of each specified authority's kind in the board's
    partnership, each with a representative (a member) on the board.
    Returns {kind: (organisation, representative)}."""
    out = {}
    for kind in SV.authority_kinds:
        if kind in skip:
            continue
        org = factories.OrganisationFactory(
            partnership=board.partnership, kind=kind,
            name=f"{Organisation.Kind(kind).label} of {board.partnership.area}",
        )
        person = factories.BoardMembershipFactory(
            board=board, role=BoardMembership.Role.MEMBER, organisation=org
        ).user
        factories.MembershipFactory(
            user=person, partnership=board.partnership, organisation=org,
            role="partner",
        )
        out[kind] = (org, person)
    return out


def sv_strategy(partnership, **fields):
    fields.setdefault("title", f"Serious Violence Strategy of {partnership.area}")
    fields.setdefault("period_start", dt.date.today())
    fields.setdefault("period_end", dt.date.today() + dt.timedelta(days=365))
    strategy = factories.StrategyFactory(
        partnership=partnership, duty=StrategyDuty.SERIOUS_VIOLENCE, status="drafting", **fields
    )
    factories.MeasureFactory(objective__priority__strategy=strategy)
    return strategy


def log_consultees(strategy, *, by=None, skip: tuple[str, ...] = (), on=None):
    for kind in SV.consultee_kinds:
        if kind in skip:
            continue
        consultee_record_create(
            strategy=strategy, consultee_kind=kind, consultee=f"The {kind} consultee",
            consulted_on=on or dt.date.today(), method="meeting",
            evidence="Minutes of the meeting, reference SV/1.", by=by,
        )


def sign_off_by_each(strategy, board, authorities, *, by=None, decided_on=None):
    """Send the strategy to each authority in turn and record each approval
    by its representative. Returns the requests."""
    orgs = [authorities[k][0] for k in SV.authority_kinds if k in authorities]
    requests = signoff_request(boards=[board], strategy=strategy, authorities=orgs, by=by)
    for request in requests:
        request.refresh_from_db()
        rep = authorities[request.authority.kind][1]
        signoff_decide(
            request=request, by=rep, outcome=SignOffOutcome.APPROVED,
            decided_on=decided_on or dt.date.today(),
            minute_reference=f"SV/{request.step}",
        )
    return requests
