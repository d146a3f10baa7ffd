"""The content of a strategy as one JSON document, and its hash.

The snapshot holds what a board signs and the public reads: text,
priorities, objectives and measures (not the measurements, which are live
performance data). Its SHA-256 over canonical JSON is the version's identity.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import Prefetch

from strategy.models import Measure, Objective, Priority, Strategy

SCHEMA = 1


def strategy_content(strategy: Strategy) -> dict:
    priorities = (
        Priority.objects.filter(strategy=strategy)
        .prefetch_related(
            "responsibilities",
            Prefetch(
                "objectives",
                queryset=Objective.objects.select_related("lead_organisation").prefetch_related(
                    Prefetch(
                        "measures",
                        queryset=Measure.objects.select_related("owner_organisation"),
                    )
                ),
            ),
        )
        .order_by("order", "pk")
    )
    content = {
        "schema": SCHEMA,
        "strategy": {
            "title": strategy.title,
            "slug": strategy.slug,
            "partnership": strategy.partnership.name,
            "kind": strategy.kind,
            "period_start": strategy.period_start.isoformat(),
            "period_end": strategy.period_end.isoformat(),
            "aim": strategy.aim,
            "foreword": strategy.foreword,
            "pcc_plan_reference": strategy.pcc_plan_reference,
            "pcc_alignment": strategy.pcc_alignment,
            "responsibilities": sorted(r.name for r in strategy.responsibilities.all()),
            "assessments": [
                {"year": a.year, "title": a.title, "summary": a.summary}
                for a in strategy.assessments.order_by("year")
            ],
        },
        "priorities": [
            {
                "id": p.pk,
                "title": p.title,
                "description": p.description,
                "responsibilities": sorted(r.name for r in p.responsibilities.all()),
                "objectives": [
                    {
                        "id": o.pk,
                        "title": o.title,
                        "description": o.description,
                        "lead_organisation": o.lead_organisation.name,
                        "measures": [_measure(m) for m in o.measures.all()],
                    }
                    for o in p.objectives.all()
                ],
            }
            for p in priorities
        ],
    }
    if strategy.duty != strategy.Duty.COMMUNITY_SAFETY:
        # Only other kinds carry their kind and what their needs assessments
        # add, so the hashes of community safety strategies' versions frozen
        # before kinds existed still match their content.
        content["strategy"]["duty"] = strategy.duty
        content["strategy"]["assessments"] = [
            {
                "year": a.year, "title": a.title, "summary": a.public_summary,
                "local_definition": a.local_definition,
            }
            for a in strategy.assessments.order_by("year")
        ]
    return content


def _measure(m: Measure) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "unit": m.unit,
        "baseline_value": str(m.baseline_value),
        "baseline_date": m.baseline_date.isoformat(),
        "target_value": str(m.target_value),
        "target_date": m.target_date.isoformat(),
        "direction": m.direction,
        "frequency": m.frequency,
        "data_source": m.data_source,
        "owner_organisation": m.owner_organisation.name,
    }


def content_hash(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
