"""The strategy PDF carries the governance and consultation records that
milestones and consultation keep, read from the demo's real rows."""

import pytest
from django.utils.html import escape

from consultation.models import Consultation, Theme
from documents import sections
from documents.rendering import render_strategy_pdf, strategy_html
from documents.services import published_version
from milestones.models import SignOffDecision, SignOffRequest
from strategy.models import Strategy, StrategyVersion
from tests.documents.conftest import pdf_text, squash

pytestmark = pytest.mark.django_db


def _text(version) -> str:
    return squash(pdf_text(render_strategy_pdf(version).content))


def _between(text: str, start: str, end: str) -> str:
    return text.split(start, 1)[1].split(end, 1)[0]


def _words(text: str) -> set[str]:
    return set(text.split())


def test_the_published_demo_pdf_has_the_boards_approvals_of_its_text(demo):
    version = published_version(Strategy.objects.get(slug="safermk-strategy-2018-2021"))
    decisions = SignOffDecision.objects.filter(request__strategy=version.strategy)
    assert decisions.count() == 2
    # The boards decided on the sign-off version; the publication version has
    # the same text, so the same hash, and carries their decisions.
    assert {d.version.reason for d in decisions} == {StrategyVersion.Reason.SIGN_OFF}
    assert {d.content_hash for d in decisions} == {version.content_hash}
    text = _text(version)
    assert "Governance and sign-off" in text
    assert f"Board decisions on the text of version {version.number}" in text
    short = version.content_hash[:12]
    # The boards approved the final draft after the twelve-week consultation
    # closed (26 February 2018) and before Safer MK adopted it on 22 March.
    assert f"Risk Board 1 Mar 2018 Approved RB/2018/03/3 {short}" in text
    assert f"MK Together Management Board 8 Mar 2018 Approved MB/2018/03/6 {short}" in text
    assert "No board decision on this version has been recorded" not in text
    # The last page states the full hash anyone can check the decisions against.
    assert version.content_hash in text.replace(" ", "")
    # 2018's strategy had no consultation in the system, so no such section.
    assert "What you told us" not in text


@pytest.fixture
def version_2022(demo):
    """The 2022 final draft the Risk Board approved with a condition."""
    decision = SignOffDecision.objects.select_related("request__board", "version").get(
        request__strategy__slug="safermk-strategy-2022", request__board__slug="risk-board",
        outcome=SignOffDecision.Outcome.APPROVED_WITH_CONDITIONS,
    )
    return decision.version, decision


def test_the_2022_draft_pdf_has_its_consultation_checks_and_you_said_we_did(version_2022):
    version, _ = version_2022
    consultation = Consultation.objects.get(strategy=version.strategy)
    assert consultation.status == Consultation.Status.FEEDBACK
    themes = list(Theme.objects.filter(consultation=consultation).order_by("order"))
    assert len(themes) == 6
    text = _text(version)
    assert "What you told us" in text
    assert consultation.title in text
    checks = _between(
        text,
        "How the consultation met the principles of fair consultation",
        "You said, we did Theme",
    )
    # A long label wraps in its cell, so pdftotext may put the next cell's
    # "Yes" inside it: each label, detail and the five ticks are checked apart.
    for label, detail in [
        ("Consulted while the strategy was still a draft",
         "Opened while the strategy was still a draft and before any sign-off."),
        ("Background information and the draft published",
         f"Background information and the draft (version {consultation.version.number}) are "
         "published with the consultation."),
        ("Adequate time to respond", "Runs for 13 weeks."),
        ("Every theme has a “we did” answer", "6 of 6 themes have a “we did” answer."),
        ("“You said, we did” published", "Published on"),
    ]:
        assert _words(label) <= _words(checks), label
        assert detail in checks
    assert checks.split().count("Yes") == 5 and "No" not in checks.split()
    assert "You said, we did" in text
    said = _between(text, "You said, we did Theme", "Governance and sign-off")
    html = strategy_html(version)
    for theme in themes:
        # The row pairs each theme with its answers (the HTML keeps the row
        # whole; pdftotext may interleave wrapped cells, so there each is
        # checked by its words).
        row = f'<th scope="row">{escape(theme.name)}</th><td>{escape(theme.you_said)}</td>'
        assert row in html
        assert f"<td>{escape(theme.we_did)}" in html
        for cell in (theme.name, theme.you_said, theme.we_did):
            assert _words(cell) <= _words(said), cell
    responses = consultation.responses.count()
    assert responses > 0
    assert f"{responses} responses" in text


def test_the_2022_draft_pdf_records_the_conditional_approval_and_the_later_boards_approval(
    version_2022,
):
    version, decision = version_2022
    assert decision.outcome == SignOffDecision.Outcome.APPROVED_WITH_CONDITIONS
    text = _text(version)
    record = _between(text, "Sign-off record", "Lifecycle")
    for cell in [
        "Risk Board", "10 Feb 2022", f"Approved with conditions: {squash(decision.conditions)}",
        decision.minute_reference, version.content_hash[:12],
    ]:
        assert cell in record
    # The newer version meets the condition: the Risk Board confirmed it and
    # the Management Board approved it on 24 February 2022. Their decisions
    # are on that version's record, not this one.
    newer = version.strategy.versions.get(number=version.number + 1)
    assert "MK Together Management Board" not in record
    approved = sections.signoff_record(newer)
    assert [(r["board"], r["decision"]) for r in approved] == [
        ("Risk Board", "Approved"), ("MK Together Management Board", "Approved")
    ]
    assert "MK Together Management Board 24 Feb 2022 Approved MB/2022/02/7" in _text(newer)


def test_a_step_closed_without_being_reached_is_not_in_the_record(demo):
    # The demo's draft refresh: approved by the Risk Board, awaiting the
    # Management Board. Close that step as if the route had ended.
    pending = SignOffRequest.objects.pending().get(partnership=demo)
    assert [r["board"] for r in sections.signoff_record(pending.version)] == [
        "Risk Board", "MK Together Management Board"
    ]
    SignOffRequest.objects.filter(pk=pending.pk).update(status=SignOffRequest.Status.CLOSED)
    assert [r["board"] for r in sections.signoff_record(pending.version)] == ["Risk Board"]
