"""HTML to PDF with WeasyPrint: the strategy document of a frozen version,
and the partnership report.

The strategy document is built from StrategyVersion.content only; the one
live input is the performance data (measurements), joined by measure id and
stated "as at" the day of rendering.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from documents import sections
from documents.pdfua import finish_pdf
from milestones.models import Milestone
from partnerships.models import Partnership, policing_body_on
from strategy.charts import describe, trend_svg
from strategy.duties import StrategyDuty, profile
from strategy.models import Measurement, StatutoryResponsibility, StrategyVersion
from strategy.performance import assess

PDF_VARIANT = "pdf/ua-1"

GLOSSARY = [
    ("Anti-social behaviour (ASB)",
     "Behaviour that causes, or is likely to cause, harassment, alarm or distress to people "
     "not of the same household."),
    ("Baseline", "The value of a measure at the start, against which progress is judged."),
    ("Community Safety Partnership (CSP)",
     "The responsible authorities of an area working together under the Crime and Disorder "
     "Act 1998 to reduce crime and disorder, substance misuse and re-offending."),
    ("Content hash",
     "A fingerprint (SHA-256) of the exact text of a strategy version. Any change to the "
     "text gives a different hash, so the hash shows which version a board approved."),
    ("Lead organisation", "The partner organisation responsible for delivering an objective."),
    ("Line of enquiry", "A question the strategic assessment examined in depth."),
    ("On track, at risk, off track",
     "How the latest value of a measure compares with a straight line from its baseline to "
     "its target: on track means on or better than the line; at risk means worse by no more "
     "than a tenth of the planned change; off track means worse than that."),
    ("Police and crime plan",
     "The plan for policing and crime in the police force area, set by the local policing "
     "body (a Police and Crime Commissioner, or the mayor or board that holds those "
     "functions). The partnership must have regard to that plan."),
    ("Prevent", "The part of the national counter-terrorism strategy that aims to stop "
     "people becoming terrorists or supporting terrorism."),
    ("Responsible authorities",
     "The council, police, fire and rescue authority, probation service and health bodies "
     "named in section 5 of the Crime and Disorder Act 1998."),
    ("Section 17",
     "Section 17 of the Crime and Disorder Act 1998: every responsible authority must "
     "consider the crime and disorder implications of all it does."),
    ("Strategic assessment",
     "The annual analysis of crime, disorder and community safety data that informs the "
     "strategy's priorities."),
    ("Target", "The value a measure should reach by its target date."),
]


@dataclass
class MeasureRow:
    id: int
    title: str
    unit: str
    baseline: str
    baseline_date: dt.date
    target: str
    target_date: dt.date
    direction_label: str
    frequency: str
    data_source: str
    owner: str
    latest: str
    latest_period: dt.date | None
    status: str
    status_class: str
    chart: str
    chart_caption: str
    count: int


@dataclass
class RenderedPDF:
    content: bytes
    pages: int


def html_to_pdf(html: str, *, base_url: str | None = None) -> RenderedPDF:
    # Imported here: WeasyPrint loads Pango at import time, which pages that
    # never render a PDF should not pay for.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Text from officers is escaped by the templates; the fetcher still only
    # reads local files (the logo) and data URLs, with a short timeout for an
    # https logo, so a document can never make the server fetch elsewhere.
    fetcher = URLFetcher(timeout=5, allowed_protocols={"file", "data", "https"})
    document = HTML(
        string=html, base_url=base_url or str(settings.BASE_DIR), url_fetcher=fetcher
    ).render(pdf_variant=PDF_VARIANT)
    # Every PDF we render goes through the same finishing step (table header
    # scope, running heads as artifacts, printable links): see pdfua.py.
    content = finish_pdf(document.write_pdf(pdf_variant=PDF_VARIANT))
    return RenderedPDF(content, len(document.pages))


def strategy_html(version: StrategyVersion, *, today: dt.date | None = None) -> str:
    return render_to_string("documents/strategy_pdf.html", strategy_context(version, today=today))


def render_strategy_pdf(
    version: StrategyVersion, *, today: dt.date | None = None
) -> RenderedPDF:
    """The strategy document of one frozen version, as PDF bytes."""
    return html_to_pdf(strategy_html(version, today=today))


def strategy_context(version: StrategyVersion, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    content = version.content
    about = content.get("strategy", {})
    strategy = version.strategy
    partnership: Partnership = strategy.partnership
    measure_ids = [
        m["id"]
        for p in content.get("priorities", [])
        for o in p.get("objectives", [])
        for m in o.get("measures", [])
    ]
    measurements: dict[int, list[Measurement]] = {}
    for row in Measurement.objects.filter(
        measure_id__in=measure_ids, period_end__lte=today
    ).order_by("period_end"):
        measurements.setdefault(row.measure_id, []).append(row)

    priorities = []
    figure = 0
    for p_index, p in enumerate(content.get("priorities", []), start=1):
        objectives = []
        for o_index, o in enumerate(p.get("objectives", []), start=1):
            rows = []
            for m in o.get("measures", []):
                figure += 1
                rows.append(_measure_row(m, measurements.get(m["id"], []), figure))
            objectives.append(
                {
                    "number": f"{p_index}.{o_index}",
                    "title": o.get("title", ""),
                    "description": o.get("description", ""),
                    "lead_organisation": o.get("lead_organisation", ""),
                    "measures": rows,
                }
            )
        leads = sorted({o["lead_organisation"] for o in objectives if o["lead_organisation"]})
        priorities.append(
            {
                "number": p_index,
                "anchor": f"priority-{p_index}",
                "title": p.get("title", ""),
                "description": p.get("description", ""),
                "responsibilities": p.get("responsibilities", []),
                "objectives": objectives,
                "lead_organisations": leads,
                "measure_count": sum(len(o["measures"]) for o in objectives),
            }
        )

    consultation = sections.consultation_summary(version)
    signoffs = sections.signoff_record(version)
    assessments = sections.assessment_summaries(version, partnership.pk)
    period_start = dt.date.fromisoformat(about["period_start"])
    period_end = dt.date.fromisoformat(about["period_end"])
    title = about.get("title") or strategy.title
    # Which statutory document this is: its wording follows its kind.
    kind = profile(about.get("duty", StrategyDuty.COMMUNITY_SAFETY))
    consultees = sections.consultee_record(version) if kind.consultee_kinds else []
    contents = [("foreword", "Foreword and overarching aim"), ("statutory", "Statutory context")]
    if assessments:
        contents.append(("assessment", kind.assessment_name_capitalised))
    contents.append(("priorities", "Our priorities"))
    contents += [(p["anchor"], f"Priority {p['number']}: {p['title']}") for p in priorities]
    if consultation:
        contents.append(("consultation", "What you told us"))
    if consultees:
        contents.append(("consultees", "Who we consulted"))
    contents += [("governance", "Governance and sign-off"), ("glossary", "Glossary"),
                 ("version", "About this document")]
    return {
        "version": version,
        "content": content,
        "about": about,
        "title": title,
        "partnership": partnership,
        "partnership_name": about.get("partnership") or partnership.name,
        "period_start": period_start,
        "period_end": period_end,
        "period_label": f"{period_start.year} to {period_end.year}",
        # The body whose plan the strategy had regard to: the one in force
        # when the strategy's period starts.
        "policing_body": policing_body_on(partnership, period_start),
        "priorities": priorities,
        "measure_total": sum(p["measure_count"] for p in priorities),
        "assessments": assessments,
        "kind": kind,
        "consultees": consultees,
        "consultation": consultation,
        "signoffs": signoffs,
        "lifecycle": sections.lifecycle_record(version),
        "responsibilities": _responsibilities(about.get("responsibilities", [])),
        "contents": contents,
        "glossary": GLOSSARY,
        "today": today,
        "rendered_at": timezone.localtime(),
        "partners": [
            o.name for o in partnership.organisations.filter(is_responsible_authority=True)
        ],
        "brand_colour": partnership.colour or settings.SAFERMK_BRAND_COLOUR,
        "brand_name": settings.SAFERMK_BRAND_NAME,
        "logo_url": logo_url(),
        "site_url": settings.SITE_URL,
        "another_format_url": settings.SITE_URL
        + reverse("accessibility:format_request", args=[partnership.slug]),
        "footer_css": css_string(
            f"{about.get('partnership') or partnership.name} · Version {version.number} "
            f"({version.short_hash})"
        ),
    }


def css_string(text: str) -> SafeString:
    """A quoted CSS string, safe inside a <style> element."""
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
        .replace("\n", " ")
    )
    return mark_safe(f'"{escaped}"')


def _responsibilities(names: list[str]) -> list[dict]:
    described = {
        r.name: r.description for r in StatutoryResponsibility.objects.filter(name__in=names)
    }
    return [{"name": n, "description": described.get(n, "")} for n in names]


def logo_url() -> str:
    # Optional: a file path or URL of the partnership logo for the cover.
    logo = getattr(settings, "SAFERMK_DOCUMENT_LOGO", "")
    if logo and "://" not in logo:
        return f"file://{logo}"
    return logo


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError):
        return Decimal(0)


def _fmt(value: Decimal) -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _measure_row(m: dict, rows: list[Measurement], figure: int) -> MeasureRow:
    baseline = _decimal(m.get("baseline_value"))
    target = _decimal(m.get("target_value"))
    baseline_date = dt.date.fromisoformat(m["baseline_date"])
    target_date = dt.date.fromisoformat(m["target_date"])
    direction = m.get("direction", "lower")
    latest = rows[-1] if rows else None
    result = assess(
        baseline_value=baseline,
        baseline_date=baseline_date,
        target_value=target,
        target_date=target_date,
        direction=direction,
        latest_value=latest.value if latest else None,
        latest_period=latest.period_end if latest else None,
    )
    points = [(r.period_end, r.value) for r in rows]
    unit = m.get("unit", "")
    description = describe(
        title=m["title"], unit=unit, baseline_value=baseline, baseline_date=baseline_date,
        target_value=target, target_date=target_date, direction=direction, points=points,
    )
    # WeasyPrint 70 tags an inline SVG as a Figure and takes its alternative
    # text from <title> only (not <desc>), so the title carries the whole
    # description.
    chart = trend_svg(
        title=f"Trend chart: {m['title']}. {description}",
        unit=unit,
        baseline_value=baseline,
        baseline_date=baseline_date,
        target_value=target,
        target_date=target_date,
        direction=direction,
        points=points,
        element_id=f"chart-{m['id']}",
        width=640,
        height=220,
    )
    return MeasureRow(
        id=m["id"],
        title=m["title"],
        unit=unit,
        baseline=_fmt(baseline),
        baseline_date=baseline_date,
        target=_fmt(target),
        target_date=target_date,
        direction_label="Lower is better" if direction == "lower" else "Higher is better",
        frequency=m.get("frequency", "").capitalize(),
        data_source=m.get("data_source", ""),
        owner=m.get("owner_organisation", ""),
        latest=_fmt(latest.value) if latest else "No data yet",
        latest_period=latest.period_end if latest else None,
        status=result.label,
        status_class=result.status.replace("_", "-"),
        chart=chart,
        chart_caption=f"Figure {figure}: {m['title']}",
        count=len(rows),
    )


# Partnership report ----------------------------------------------------------

_BULLET = re.compile(r"^\s*[-*•]\s+")


def paragraphs(text: str) -> list[dict]:
    """Split an officer's text into numbered paragraphs.

    A blank line starts a new paragraph; lines that start with "- " are a
    bulleted list inside the paragraph before them.
    """
    result = []
    for block in re.split(r"\n\s*\n", (text or "").strip()):
        if not block.strip():
            continue
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        intro = [line.strip() for line in lines if not _BULLET.match(line)]
        bullets = [_BULLET.sub("", line).strip() for line in lines if _BULLET.match(line)]
        result.append({"text": " ".join(intro), "bullets": bullets})
    return result


def report_context(report) -> dict:
    strategy = report.strategy
    picked_priorities = {p.pk for p in report.priorities.all()}
    picked = {r.pk for r in report.responsibilities.all()}
    priorities = list(strategy.priorities.prefetch_related("responsibilities").order_by("order"))
    # A responsibility is ticked when the officer ticked it or when a ticked
    # priority carries it: the table follows the data.
    derived = {
        r.pk for p in priorities if p.pk in picked_priorities for r in p.responsibilities.all()
    }
    responsibilities = [
        {"name": r.name, "code": r.code, "ticked": r.pk in picked or r.pk in derived,
         "derived": r.pk in derived and r.pk not in picked}
        for r in StatutoryResponsibility.objects.order_by("order", "name")
    ]
    milestones = []
    if report.include_milestones:
        milestones = list(
            Milestone.objects.filter(strategy=strategy)
            .select_related("board")
            .order_by("due_date", "order", "pk")
        )
    sections_list = []
    number = 1

    def add(key, heading, body=None, **extra):
        nonlocal number
        sections_list.append({"key": key, "number": number, "heading": heading,
                              "paragraphs": paragraphs(body) if body is not None else [],
                              **extra})
        number += 1

    add("purpose", "Purpose of report")
    decision = report.purpose == report.Purpose.DECISION
    if report.introduction:
        add("introduction", "Brief introduction", report.introduction)
    if decision:
        add("recommendations", "Recommendations", report.recommendations)
    if report.scrutiny_comments:
        add("scrutiny", "Comments/Recommendations from scrutiny",
            report.scrutiny_comments)
    if report.background:
        add("background", "Background", report.background)
    if milestones:
        add("milestones", "Key milestones")
    if report.other_considerations:
        add("other", "Other considerations / Key Partnership Involvement",
            report.other_considerations)
    if not decision:
        add("recommendations", "Recommendations", report.recommendations)
    if report.attachments.strip():
        add("attachments", "Attachments/Background Papers",
            "\n\n".join(line for line in report.attachments.splitlines() if line.strip()))
    return {
        "report": report,
        "partnership": report.partnership,
        "strategy": strategy,
        "priorities": [
            {"title": p.title, "ticked": p.pk in picked_priorities} for p in priorities
        ],
        "responsibilities": responsibilities,
        "milestones": milestones,
        "sections": sections_list,
        "brand_colour": report.partnership.colour or settings.SAFERMK_BRAND_COLOUR,
        "brand_name": settings.SAFERMK_BRAND_NAME,
    }


def report_html(report) -> str:
    """The HTML a report's PDF is made from. It depends on the data only (no
    clock, no request), so its hash names the PDF's content."""
    return render_to_string("documents/report_pdf.html", report_context(report))


def render_report_pdf(report) -> RenderedPDF:
    return html_to_pdf(report_html(report))
