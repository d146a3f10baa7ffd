"""Demo documents: the two SaferMK reports the product grew from, as
partnership reports, and the PDF of each published strategy, rendered as at
the day it was the current one (the strategies it superseded) or as at the
day the demo is loaded (the current one).

Idempotent: reports are found by partnership and subject, and a version's
PDF is rendered only if it has not been.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from documents import services
from documents.models import PartnershipReport
from safermk.democlock import at, moment
from strategy.models import StatutoryResponsibility, Strategy, StrategyTransition

REPORT_2017 = {
    "title": "SaferMK Strategy Development 2018/21",
    "report_date": None,
    "author_name": "Colin Wilderspin",
    "author_role": "Head of Community Safety",
    "author_phone": "01908 254533",
    "purpose": PartnershipReport.Purpose.DECISION,
    "purpose_text": "",
    "section17_statement": "Development of Strategy",
    "introduction": (
        "Under section 6 of the Crime and Disorder Act 1998 Community Safety Partnerships are "
        "required to formulate, implement and publish a strategy for the reduction of crime and "
        "disorder every three years.\n\n"
        "The Act states that the strategy shall include the objectives to be pursued and "
        "performance targets for measuring the extent to which the objectives are achieved.\n\n"
        "After formulating the strategy, SaferMK Partnership are required to publish and review "
        "the strategy with a view to monitoring its effectiveness, making any changes considered "
        "necessary or expedient.\n\n"
        "The partnership are also responsible for obtaining the views of the public, whether by "
        "holding public meetings or otherwise. The Community Safety Strategy is to be published "
        "in April 2018. It is proposed that public consultation will commence in December 2017 "
        "for 12 weeks."
    ),
    "recommendations": (
        "That the Partnership be requested to outline and propose appropriate priorities for the "
        "Strategy 2018/2021.\n\n"
        "That the proposed timeline for public consultation and implementation be agreed.\n\n"
        "That the Partnership be requested to consider establishing a Strategy Working Group to "
        "support the development of the draft document and the relevant processes. The Group "
        "will also be responsible for developing performance measures and outcomes."
    ),
    "scrutiny_comments": (
        "There are no specific comments in relation to this report. However it is a statutory "
        "obligation for the Committee to hold the activities and performance of the Partnership "
        "to account."
    ),
    "background": (
        "Since 1998 the Community Safety Partnership has produced seven community safety "
        "strategies detailing how it tackles crime and anti-social behaviour. The overarching "
        "aim 'to make Milton Keynes a safe place to live, work and visit'.\n\n"
        "Each Strategy is for a three year period but is usually updated annually to reflect the "
        "often rapidly changing patterns of crime and risk. These are derived, at least in part, "
        "from the Strategic Assessment as well as assessments of risk and partner priorities.\n\n"
        "Chief Officers from the SaferMK Partnership have been asked to identify their "
        "organisation's priorities ensuring a joined up approach across a wide variety of "
        "governance structures and work streams."
    ),
    "other_considerations": (
        "The setting up of the Partnership was required by the Crime and Disorder Act 1998 as "
        "amended by the Police and Crime Act 2009. Under s.6 of the Crime & Disorder Act 1998, "
        "the Council with other partner authorities (police, fire & rescue authority, probation "
        "services', and clinical commissioning group) has a duty to formulate and implement a "
        "strategy for the reduction of crime and disorder in its area (including anti-social "
        "behaviour adversely affecting the local environment), a strategy for combating the "
        "misuse of drugs, alcohol and other substances in the area and a strategy for the "
        "reduction of re-offending in the area.\n\n"
        "In formulating the strategy, the partner authorities must have regard to the Police and "
        "Crime Commissioner's police and crime plan for the area."
    ),
    "include_milestones": False,
    "attachments": (
        "SaferMK Partnership Strategy - "
        "http://www.safermk.com/wp-content/uploads/2016/04/SaferMK-Strategy-2015-2017.pdf\n"
        "Thames Valley Police PCC Plan - https://www.thamesvalley-pcc.gov.uk/police-and-crime-plan/\n"
        "SaferMK Partnership Strategy 2018/2021 Proposed Themes (Annex)"
    ),
}
# The 2017 report ticks the PCC plan and a section 17 item, and no priority.
REPORT_2017_RESPONSIBILITIES = ["pcc", "s17"]

REPORT_2021 = {
    "title": "Development of a Community Safety Strategy for 2022",
    "report_date": dt.date(2021, 6, 30),
    "author_name": "Mel Marshman",
    "author_role": "Head of Partnerships and Resilience",
    "purpose": PartnershipReport.Purpose.INFORMATION,
    "purpose_text": (
        "The Partnership is asked to note the process for producing a new Community Safety "
        "Strategy for 2022 and beyond."
    ),
    "background": (
        "It is a statutory requirement for Community Safety Partnerships to agree and publish a "
        "strategy for reducing crime and disorder. After refreshing our existing strategy for "
        "2021/22, a full review of the Strategy is now due. A process for developing a new "
        "Strategy has been agreed by the MK Together Management Board and will be overseen by "
        "Risk Board on behalf of the Partnership.\n\n"
        "Development of the new strategy will be informed by the annual strategic assessment, "
        "which is also a statutory requirement. The strategic assessment is now underway; it "
        "will focus on:\n"
        "- existing priority areas identified in the current strategy;\n"
        "- identification and analysis of any emerging priorities; and\n"
        "- key lines of enquiry to include violence against women, modern day slavery and the "
        "impact of the pandemic on crime and disorder.\n\n"
        "Stakeholder engagement will be planned and overseen by Risk Board. Existing networks "
        "will be used to facilitate input into the development of the strategy. Consultation on "
        "the Strategy will act as the Partnership's annual engagement on crime and community "
        "safety issues. Survey findings from the most recent survey will be reflected in the "
        "strategic assessment. A specific piece of work will be done to engage with under 16s "
        "through schools."
    ),
    "recommendations": (
        "It is recommended that the Partnership note the process for the production and "
        "adoption of a new Community Safety Strategy."
    ),
    "include_milestones": True,
}


def load(
    strategies: dict[str, Strategy], today: dt.date, *, superseded_pdfs: bool = True,
    current_pdf: bool = True,
) -> None:
    officer = get_user_model().objects.filter(username="officer").first()
    by_code = {r.code: r for r in StatutoryResponsibility.objects.all()}
    with at(moment(dt.date(2017, 9, 12), 10), officer):
        _report(
            strategies["strategy_2018"],
            REPORT_2017,
            [by_code[c] for c in REPORT_2017_RESPONSIBILITIES if c in by_code],
            officer,
        )
    with at(moment(dt.date(2021, 6, 23), 10), officer):
        _report(strategies["strategy_2022"], REPORT_2021, [], officer)
    keys = ("strategy_2018", "strategy_2022") if superseded_pdfs else ()
    keys += ("current", "serious_violence") if current_pdf else ()
    for key in keys:
        strategy = strategies.get(key)
        if strategy is not None:
            _published_pdf(strategy, today)
def _report(strategy: Strategy, fields: dict, responsibilities, officer) -> None:
    if PartnershipReport.objects.filter(
        partnership_id=strategy.partnership_id, title=fields["title"]
    ).exists():
        return
    services.report_create(
        strategy=strategy, by=officer, responsibilities=responsibilities, **fields
    )


def _published_pdf(strategy: Strategy, today: dt.date) -> None:
    """A published strategy has its PDF: render it here rather than leave it
    to a worker, so the demo's public download works at once. A superseded
    strategy's PDF is as at the day it was superseded."""
    strategy.refresh_from_db()
    version = services.published_version(strategy)
    if version is None:
        return
    superseded = StrategyTransition.objects.filter(
        strategy=strategy, to_status=Strategy.Status.SUPERSEDED
    ).order_by("-at").first()
    when = superseded.at if superseded else moment(today, 7)
    with at(when):
        document = services.document_request(version=version, enqueue=False)
        if not document.is_ready:
            services.document_render(document_id=document.pk)
