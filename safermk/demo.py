"""Loads the SaferMK demo: each app loads its part of the story in the order
it happened, so that every service sees the state it would have seen.

The history (2017 to 2025) is dated as the partnership's reports date it.
The current cycle (the strategy in force, its annual refresh, the open
consultation, the decision awaiting the Management Board) is dated from
`today`, the day the demo is loaded: loading again on a later day rebuilds
the current cycle for that day; loading again on the same day changes
nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from consultation import demo as consultation_demo
from consultation.models import Consultation, Response
from crimedata import demo as crimedata_demo
from documents import demo as documents_demo
from documents.models import PartnershipReport, RenderedDocument
from milestones import demo as milestones_demo
from milestones.models import SignOffDecision, SignOffRequest, SignOffReview
from partnerships import demo as partnerships_demo
from partnerships.models import Partnership
from reminders import demo as reminders_demo
from reminders.models import DutyRecord
from reviews import demo as reviews_demo
from strategy import demo as strategy_demo
from strategy.models import StrategicAssessment, Strategy, StrategyTransition, StrategyVersion


@transaction.atomic
def load_all(
    today: dt.date | None = None, *, superseded_pdfs: bool = True, current_pdf: bool = True
) -> dict:
    """Load the demo as of `today` (default: the real date), with the PDF of
    the strategy in force. With superseded_pdfs=False the PDFs of the
    strategies it replaced are left to the publication signal and a worker
    (each costs seconds: tests that do not read them skip them); with
    current_pdf=False the strategy in force's PDF too, so it is made when
    first asked for, as after a publication."""
    today = today or timezone.localdate()
    partnership = partnerships_demo.load()

    # 2017-18: the 2018/21 strategy, approved by both boards before adoption.
    strategy_2018 = strategy_demo.strategy_2018_to_sign_off(partnership)
    milestones_demo.approvals_2018(strategy_2018)
    strategy_demo.strategy_2018_in_force(strategy_2018)

    # 2021-22: assessment, draft, consultation, final draft, sign-offs, adoption.
    assessment = strategy_demo.assessment_2021(partnership)
    strategy_2022 = strategy_demo.strategy_2022_draft(partnership, assessment)
    milestones_demo.plan_2022(strategy_2022)
    consultation_demo.consultation_2022(strategy_2022)
    strategy_demo.strategy_2022_final_draft(strategy_2022)
    milestones_demo.signoffs_2022(strategy_2022)
    strategy_demo.strategy_2022_in_force(strategy_2022)
    milestones_demo.adoption_2022(strategy_2022)

    # The current cycle, around `today`.
    if not current_cycle_is_fresh(partnership, today):
        current_cycle_remove(partnership)
        strategy_2022.refresh_from_db()
    current = strategy_demo.current_strategy_draft(partnership, today)
    milestones_demo.current_approvals(current)
    strategy_demo.current_strategy_in_force(current, today)
    refresh = strategy_demo.refresh_draft(current, today)
    consultation = consultation_demo.consultation_current(refresh, today)
    milestones_demo.refresh_plan(
        refresh, today, timezone.localdate(consultation.opens_at),
        timezone.localdate(consultation.closes_at),
    )

    # The serious violence strand (Serious Violence Duty): the needs
    # assessment, the strategy, its consultees and each authority's sign-off.
    needs = strategy_demo.needs_assessment_current(partnership, today)
    serious_violence = strategy_demo.serious_violence_draft(partnership, needs, today)
    consultation_demo.consultees_serious_violence(serious_violence)
    milestones_demo.serious_violence_signoffs(serious_violence)
    strategy_demo.serious_violence_in_force(serious_violence)
    strategy_demo.serious_violence_figures(serious_violence, today)

    strategies = {
        "strategy_2018": strategy_2018,
        "strategy_2022": strategy_2022,
        "current": current,
        "refresh": refresh,
        "assessment": assessment,
        "consultation": consultation,
        "needs_assessment": needs,
        "serious_violence": serious_violence,
    }
    documents_demo.load(strategies, today, superseded_pdfs=superseded_pdfs,
                        current_pdf=current_pdf)
    reviews_demo.load(partnership, today)
    reminders_demo.load(partnership, today)
    crimedata_demo.load(partnership, today)
    return strategies


HISTORY = (strategy_demo.SLUG_2018, strategy_demo.SLUG_2022)


def current_cycle_is_fresh(partnership: Partnership, today: dt.date) -> bool:
    """Whether the current cycle was loaded for `today`: its strategies are
    there and the open consultation has the window it has on `today`."""
    slugs = strategy_demo.current_slugs(today)
    refresh = Strategy.objects.filter(slug=slugs["refresh"], partnership=partnership).first()
    if refresh is None or not Strategy.objects.filter(slug=slugs["strategy"]).exists():
        return False
    if not Strategy.objects.filter(slug=strategy_demo.serious_violence_slug(today)).exists():
        return False
    _opens, closes = consultation_demo.current_window(today)
    return Consultation.objects.filter(
        strategy=refresh, slug=consultation_demo.current_slug(refresh), closes_at=closes
    ).exists()


def current_cycle_remove(partnership: Partnership) -> None:
    """Remove the demo partnership's current cycle: every strategy but the
    two historical ones, with their consultations, sign-offs, plans and
    documents; the assessments after 2021; duty records after the reports.
    The 2022/25 strategy is the published one again until the new current
    strategy supersedes it."""
    strategies = Strategy.objects.filter(partnership=partnership).exclude(slug__in=HISTORY)
    assessments = StrategicAssessment.objects.filter(partnership=partnership, year__gt=2021)
    RenderedDocument.objects.filter(version__strategy__in=strategies).delete()
    PartnershipReport.objects.filter(strategy__in=strategies).delete()
    Response.objects.filter(consultation__strategy__in=strategies).delete()
    Consultation.objects.filter(strategy__in=strategies).delete()
    requests = SignOffRequest.objects.filter(strategy__in=strategies) | (
        SignOffRequest.objects.filter(assessment__in=assessments)
    )
    SignOffDecision.objects.filter(request__in=requests).delete()
    SignOffReview.objects.filter(request__in=requests).delete()
    SignOffRequest.objects.filter(pk__in=list(requests.values_list("pk", flat=True))).delete()
    # Versions are frozen for everyone else; the demo removes its own whole.
    StrategyVersion.objects.filter(strategy__in=strategies).delete()
    strategies.exclude(parent=None).delete()
    strategies.delete()
    assessments.delete()
    DutyRecord.objects.filter(partnership=partnership, done_on__gt=dt.date(2021, 12, 31)).delete()
    history = Strategy.objects.filter(slug=strategy_demo.SLUG_2022, partnership=partnership)
    superseded = StrategyTransition.objects.filter(
        strategy__in=history, to_status=Strategy.Status.SUPERSEDED
    )
    for transition in superseded:
        # Its history row too, so the history page does not keep a supersession
        # by a strategy that is gone.
        Strategy.history.filter(
            id=transition.strategy_id, history_date__gte=transition.at - dt.timedelta(seconds=1)
        ).delete()
    superseded.delete()
    history.filter(status=Strategy.Status.SUPERSEDED).update(status=Strategy.Status.PUBLISHED)


def summary_lines(base_url: str = "") -> list[str]:
    """What a person trying the demo needs: who to sign in as, and the open
    consultation with its schools class code. Read from the database, so it
    is true of the demo as loaded."""
    lines = [f"Demo users (local only), all with the password '{partnerships_demo.DEMO_PASSWORD}':"]
    for username, _first, _last, _email, description in partnerships_demo.DEMO_USERS:
        lines.append(f"  {username:<10} {description}")
    consultation = (
        Consultation.objects.open_at(timezone.now())
        .filter(partnership__slug=partnerships_demo.SLUG)
        .order_by("closes_at")
        .first()
    )
    if consultation is None:
        lines.append("\nNo demo consultation is open today: run `manage.py load_demo` again.")
        return lines
    closes = timezone.localtime(consultation.closes_at)
    lines += [
        "",
        f"Open consultation (until {closes:%-d %B %Y}): {consultation.title}",
        f"  {base_url}{consultation.get_absolute_url()}",
    ]
    for code in consultation.class_codes.filter(is_active=True).order_by("pk"):
        lines.append(f"  Schools class code: {code.code} ({code.school}, {code.class_name})")
    return lines
