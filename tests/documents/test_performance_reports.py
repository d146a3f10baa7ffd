"""The quarterly performance report: a board paper PDF of how a strategy's
measures stood at the end of a quarter, made by the worker and kept under
the hash of its data."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from unittest.mock import patch

import pytest
from bs4 import BeautifulSoup
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError
from pypdf import PdfReader

from documents import performance_report, services
from documents.models import PerformanceReportDocument
from partnerships.models import Membership
from strategy.models import Strategy
from strategy.quarters import Quarter, default_quarter, reportable_quarters
from strategy.scorecard import scorecard
from tests import factories
from tests.conftest import client_for
from tests.documents.conftest import pdf_text, squash
from tests.strategy.test_performance_summary import _table

pytestmark = pytest.mark.django_db

QUARTER = Quarter(2026, 3)  # July to September 2026
# Baseline 100 on 31 March 2025, target 80 on 31 March 2028, lower is better:
# the planned line is at about 90 on 30 September 2026.
ON, AT_RISK, OFF = Decimal(85), Decimal(91), Decimal(150)


def _measure(objective, organisation, title, figures=()):
    measure = factories.MeasureFactory(
        objective=objective, owner_organisation=organisation, title=title,
        baseline_date=dt.date(2025, 3, 31), target_date=dt.date(2028, 3, 31),
        frequency="quarterly", unit="offences",
    )
    for period_end, value in figures:
        factories.MeasurementFactory(measure=measure, period_end=period_end, value=value)
    return measure


def _plan(partnership, *, title="Community Safety Strategy 2025 to 2028", slug=None):
    """A strategy in force from April 2025 to March 2028 with two priorities,
    two owner organisations and every status at the end of September 2026."""
    strategy = factories.StrategyFactory(
        partnership=partnership, title=title, period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2028, 3, 31), **({"slug": slug} if slug else {}),
    )
    Strategy.objects.filter(pk=strategy.pk).update(status=Strategy.Status.PUBLISHED)
    strategy.refresh_from_db()
    police = factories.OrganisationFactory(partnership=partnership, name="Area Police")
    council = factories.OrganisationFactory(partnership=partnership, name="Borough Council")
    violence = factories.PriorityFactory(strategy=strategy, title="Violence", order=1)
    burglary = factories.PriorityFactory(strategy=strategy, title="Burglary", order=2)
    o1 = factories.ObjectiveFactory(priority=violence, lead_organisation=police)
    o2 = factories.ObjectiveFactory(priority=burglary, lead_organisation=council)
    q2, q3 = dt.date(2026, 6, 30), dt.date(2026, 9, 30)
    measures = {
        "on": _measure(o1, police, "Knife crime", [(q2, Decimal(95)), (q3, ON)]),
        "at_risk": _measure(o1, council, "Night-time violence", [(q3, AT_RISK)]),
        "off": _measure(o2, council, "Repeat burglary", [(q3, OFF)]),
        # Its figure for April to June (due by 14 July) is missing at the
        # end of September: late.
        "late": _measure(o2, police, "Burglary arrests", [(dt.date(2026, 3, 31), ON)]),
        "none": _measure(o2, council, "Never measured"),
    }
    return strategy, measures


@pytest.fixture
def plan(partnership):
    return _plan(partnership)


def _pdf_url(strategy, quarter=QUARTER):
    return reverse(
        "documents:performance_report_pdf",
        kwargs={"strategy": strategy.slug, "quarter": quarter.slug},
    )


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _run(callbacks) -> None:
    """What the worker does with the tasks queued after the commit."""
    for callback in callbacks:
        callback()


def _rows(strategy, caption, quarter=QUARTER) -> list[list[str]]:
    """The rows of the report's table with this caption, as cell texts (the
    PDF is made from this HTML; pdftotext reads table cells in layout order)."""
    html = performance_report.report_html(
        performance_report.report_data(strategy, quarter), prepared_on=dt.date(2026, 11, 20)
    )
    table = BeautifulSoup(html, "html.parser").find(
        "caption", string=caption).find_parent("table")
    return [[squash(cell.get_text(" ")) for cell in row.find_all(["th", "td"])]
            for row in table.find_all("tr")]


def _rendered_text(strategy, quarter=QUARTER) -> str:
    data = performance_report.report_data(strategy, quarter)
    pdf = performance_report.html_to_pdf(
        performance_report.report_html(data, prepared_on=dt.date(2026, 11, 20))
    )
    return squash(pdf_text(pdf.content))


# The quarters --------------------------------------------------------------------


def test_a_strategy_offers_its_quarters_that_have_ended_newest_first(plan):
    strategy, _ = plan
    quarters = reportable_quarters(strategy, today=dt.date(2026, 12, 1))
    assert quarters[0] == QUARTER and quarters[-1] == Quarter(2025, 2)
    assert [q.label for q in quarters[:2]] == ["July to September 2026", "April to June 2026"]
    assert QUARTER.slug == "jul-sep-2026" and Quarter.from_slug("jul-sep-2026") == QUARTER
    assert (QUARTER.start, QUARTER.end) == (dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    # The last complete quarter by default; the strategy's last once it is over.
    assert default_quarter(strategy, today=dt.date(2026, 12, 1)) == QUARTER
    assert default_quarter(strategy, today=dt.date(2030, 1, 1)) == Quarter(2028, 1)
    assert default_quarter(strategy, today=dt.date(2025, 6, 30)) is None


# What the report says ---------------------------------------------------------------


def test_figures_for_periods_after_the_quarters_end_are_not_used(plan):
    strategy, m = plan
    # A figure for October to December, entered since: off track.
    factories.MeasurementFactory(measure=m["on"], period_end=dt.date(2026, 12, 31),
                                 value=Decimal(777))
    data = performance_report.report_data(strategy, QUARTER)
    knife = data["priorities"][0]["measures"][0]
    assert knife["title"] == "Knife crime"
    assert knife["latest"] == {"value": "85", "unit": "offences", "period": dt.date(2026, 9, 30)}
    assert knife["status"] == "On track"
    assert [day for day, _ in knife["points"]] == [dt.date(2026, 6, 30), dt.date(2026, 9, 30)]
    assert data["overall"]["cells"] == [2, 1, 1, 1]
    text = _rendered_text(strategy)
    assert "777" not in text
    assert "Figure 1: Knife crime (offences), figures to 30 September 2026" in text
    assert _rows(strategy, "Measures of priority 1 at the end of July to September 2026")[1] == [
        "Knife crime Area Police", "85 offences period ending 30 Sep 2026",
        "80 offences by 31 Mar 2028", "Lower is better", "On track planned line: 90",
    ]
    # The next quarter's report uses it.
    later = performance_report.report_data(strategy, Quarter(2026, 4))
    assert later["priorities"][0]["measures"][0]["latest"]["value"] == "777"


def test_the_counts_match_the_performance_summary_page_for_the_same_date(plan, officer):
    strategy, _ = plan
    data = performance_report.report_data(strategy, QUARTER)
    # All the figures are for periods ending by the quarter's end, so the page
    # (today) counts what the report counts at the quarter's end.
    html = client_for(officer).get(
        reverse("strategy:performance_summary", args=[strategy.slug])
    ).content.decode()

    def rows(counts):
        return [[c["label"], *map(str, c["cells"]), str(c["total"])] for c in counts]

    assert _table(html, "All measures of the strategy") == rows([data["overall"]])
    assert _table(html, "Measures by priority") == rows(data["by_priority"])
    assert _table(html, "Measures by owner organisation") == rows(data["by_organisation"])
    assert rows([data["overall"]]) == [["All measures", "2", "1", "1", "1", "5"]]
    card = scorecard(strategy, today=QUARTER.end)
    assert [c.cells for c in card.by_priority] == [c["cells"] for c in data["by_priority"]]


def test_the_exceptions_are_off_track_or_late_as_at_the_quarters_end(plan):
    strategy, _ = plan
    data = performance_report.report_data(strategy, QUARTER)
    rows = {r["title"]: (r["off_track"], r["late"], r["due"], r["due_on"])
            for r in data["exceptions"]}
    assert rows == {
        "Repeat burglary": (True, False, None, None),
        "Burglary arrests": (False, True, dt.date(2026, 6, 30), dt.date(2026, 7, 14)),
        "Never measured": (False, True, dt.date(2026, 6, 30), dt.date(2026, 7, 14)),
    }
    assert "3 measures off track or late" in _rendered_text(strategy)
    assert _rows(strategy, "3 measures off track or late") == [
        ["Measure", "Why", "Owner organisation", "Last figure", "Target"],
        ["Repeat burglary Burglary", "Off track", "Borough Council",
         "150 offences period ending 30 Sep 2026", "80 offences by 31 Mar 2028"],
        ["Burglary arrests Burglary",
         "Late: the figure for the period ending 30 Jun 2026 was due by 14 Jul 2026",
         "Area Police", "85 offences period ending 31 Mar 2026", "80 offences by 31 Mar 2028"],
        ["Never measured Burglary",
         "Late: the figure for the period ending 30 Jun 2026 was due by 14 Jul 2026",
         "Borough Council", "None yet", "80 offences by 31 Mar 2028"],
    ]


def test_late_follows_the_partnerships_grace_days(plan, partnership):
    from reminders.models import ReminderSettings

    strategy, _ = plan
    # With 100 days to enter a figure, the April to June figure is not yet
    # late on 30 September: only January to March's is due.
    ReminderSettings.objects.create(partnership=partnership, measure_grace_days=100)
    data = performance_report.report_data(strategy, QUARTER)
    assert [(r["title"], r["due"]) for r in data["exceptions"]] == [
        ("Repeat burglary", None), ("Never measured", dt.date(2026, 3, 31)),
    ]
    assert data["grace_days"] == 100
    assert "Partners have 100 days after a period ends to enter its figure" in _rendered_text(
        strategy
    )


def test_the_pdf_is_a_board_paper_with_cover_summary_exceptions_measures_and_method(plan):
    strategy, _ = plan
    data = performance_report.report_data(strategy, QUARTER)
    pdf = performance_report.html_to_pdf(
        performance_report.report_html(data, prepared_on=dt.date(2026, 11, 20))
    )
    text = squash(pdf_text(pdf.content))
    partnership = strategy.partnership
    for expected in (
        partnership.name,
        "Community Safety Strategy 2025 to 2028",
        "Performance report: July to September 2026",
        "Figures as at 30 September 2026",
        "Prepared on 20 November 2026",
        "Version measured No version of the strategy has been frozen yet",
        "Summary", "of the strategy's 5 measures, 2 were on track, 1 at risk and 1 off track; "
        "1 had no figure yet. 3 measures are listed as exceptions for the board.",
        "Priority 1: Violence 1 1 0 0 2", "Borough Council 0 1 1 1 3",
        "Measures by owner organisation",
        "Exceptions for the board",
        "Priority 2: Burglary",
        "Figure 1: Knife crime (offences), figures to 30 September 2026",
        "Notes on method",
        "Figures for periods ending after that day are not used",
        "Partners have 14 days after a period ends to enter its figure",
    ):
        assert expected in text, expected
    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.title == (
        "Community Safety Strategy 2025 to 2028: performance report, July to September 2026"
    )
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:4] == [
        "Performance report: July to September 2026", "Summary", "Exceptions for the board",
        "Measures by priority",
    ]


def test_the_version_measured_is_on_the_cover(partnership):
    from tests.documents.factories import published_strategy

    strategy = published_strategy(partnership, priorities=1, measures=1, measurements=2)
    version = strategy.versions.order_by("-number").first()
    quarter = Quarter(2024, 4)
    data = performance_report.report_data(strategy, quarter)
    assert data["version"]["number"] == version.number == 2
    text = _rendered_text(strategy, quarter)
    assert (f"Version measured Version 2 (published, {version.created_at:%-d %B %Y}), "
            f"hash {version.short_hash}") in text


# Made by the worker, once for each content ------------------------------------------


def test_the_request_never_renders_and_unchanged_figures_reuse_the_pdf(
    plan, officer, board_member, django_capture_on_commit_callbacks
):
    strategy, m = plan
    url = _pdf_url(strategy)
    client = client_for(officer)
    with patch.object(services.rendering, "html_to_pdf", wraps=services.rendering.html_to_pdf
                      ) as renders:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            first = client.get(url)
        assert first.status_code == 503 and renders.call_count == 0
        html = first.content.decode()
        assert "The performance report is being prepared" in html
        assert f'data-wait-for="{url}?waiting=1"' in html
        document = PerformanceReportDocument.objects.get(strategy=strategy)
        assert document.status == "pending" and document.quarter_end == QUARTER.end
        assert len(callbacks) == 1
        _run(callbacks)
        assert renders.call_count == 1
        document.refresh_from_db()
        assert document.status == "ready" and document.pages >= 4
        ready = client.get(f"{url}?waiting=1")
        assert "The performance report is ready" in ready.content.decode()

        # Asked again, by anyone, on the same figures: the same file.
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            for user in (officer, board_member):
                response = client_for(user).get(url)
                assert response.status_code == 200
                body = _body(response)
        assert callbacks == [] and renders.call_count == 1
        assert body == default_storage.open(document.file.name).read()
        assert response["ETag"] == f'"{document.content_hash}"'
        assert response["Content-Disposition"] == (
            f'attachment; filename="{strategy.slug}-performance-jul-sep-2026.pdf"'
        )
        # A figure for a later quarter changes nothing in this report.
        factories.MeasurementFactory(measure=m["none"], period_end=dt.date(2026, 12, 31),
                                     value=ON)
        assert client.get(url).status_code == 200
        assert PerformanceReportDocument.objects.count() == 1

        # A new figure in the quarter: a new report, and the old one goes.
        factories.MeasurementFactory(measure=m["none"], period_end=dt.date(2026, 9, 30),
                                     value=ON)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert client.get(url).status_code == 503
        new = PerformanceReportDocument.objects.exclude(pk=document.pk).get()
        assert new.content_hash != document.content_hash
        _run(callbacks)
        assert renders.call_count == 2
        assert list(PerformanceReportDocument.objects.all()) == [new]
        assert not default_storage.exists(document.file.name)
        body = _body(client.get(url))
    assert [row[0] for row in _rows(strategy, "2 measures off track or late")[1:]] == [
        "Repeat burglary Burglary", "Burglary arrests Burglary"]
    assert "2 measures off track or late" in squash(pdf_text(body))


def test_figures_changed_between_the_request_and_the_render_are_not_rendered(
    plan, django_capture_on_commit_callbacks
):
    strategy, m = plan
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = services.performance_report_request(strategy=strategy, quarter=QUARTER)
    factories.MeasurementFactory(measure=m["none"], period_end=dt.date(2026, 9, 30), value=ON)
    _run(callbacks)
    assert not PerformanceReportDocument.objects.filter(pk=document.pk).exists()


def test_with_the_broker_down_the_request_is_kept_and_the_page_says_it_is_being_prepared(
    plan, officer, on_commit_at_once
):
    strategy, _ = plan
    url = _pdf_url(strategy)
    with patch("documents.tasks.render_performance_report.delay",
               side_effect=OperationalError("broker down")) as delay:
        response = client_for(officer).get(url)
    assert delay.call_count == 1
    assert response.status_code == 503
    assert "The performance report is being prepared" in response.content.decode()
    document = PerformanceReportDocument.objects.get()
    assert document.status == "pending"
    # Asked again once the broker is back and the request has waited longer
    # than any render takes, it is queued again and made.
    PerformanceReportDocument.objects.update(
        requested_at=timezone.now() - services.STALE_AFTER - dt.timedelta(minutes=1)
    )
    response = client_for(officer).get(url)  # tasks run eagerly in tests
    document.refresh_from_db()
    assert document.status == "ready"
    assert client_for(officer).get(url).status_code == 200


def test_a_failure_is_shown_and_only_an_officer_may_retry(
    plan, officer, board_member, on_commit_at_once
):
    strategy, _ = plan
    url = _pdf_url(strategy)
    with patch.object(services.rendering, "html_to_pdf", side_effect=RuntimeError("no fonts")):
        response = client_for(officer).get(url)
    assert response.status_code == 503
    html = response.content.decode()
    assert "The performance report could not be made" in html
    assert "RuntimeError: no fonts" in html and "Try again" in html
    member_html = client_for(board_member).get(url).content.decode()
    assert "A partnership officer can try again" in member_html and "no fonts" not in member_html
    retry = reverse("documents:performance_report_pdf_retry",
                    kwargs={"strategy": strategy.slug, "quarter": QUARTER.slug})
    assert client_for(board_member).post(retry).status_code == 403
    response = client_for(officer).post(retry)
    assert response.status_code == 302 and response["Location"] == url
    assert PerformanceReportDocument.objects.get().status == "ready"


# The page to choose the quarter -----------------------------------------------------


def test_the_page_offers_the_last_complete_quarter_and_redirects_to_its_pdf(plan, officer):
    strategy, _ = plan
    page = reverse("documents:performance_report", args=[strategy.slug])
    client = client_for(officer)
    html = client.get(page).content.decode()
    default = default_quarter(strategy, today=timezone.localdate())
    assert f'<option value="{default.slug}" selected>{default.label}</option>' in html
    assert '<option value="apr-jun-2025">April to June 2025</option>' in html
    response = client.get(page, {"quarter": "jul-sep-2026"})
    assert response.status_code == 302 and response["Location"] == _pdf_url(strategy)


@pytest.mark.parametrize("value", [
    "", "jul-sep-2031", "jan-mar-2025", "2026-q3", "jul-sep-0000", "jul-sep-9999",
    "JUL-SEP-2026", "../../etc/passwd", "jul-sep-2026\x00", "<script>", "x" * 5000,
    "jul-sep-٢٠٢٦",
])
def test_a_hostile_quarter_is_refused_next_to_the_field_and_never_a_500(plan, officer, value):
    strategy, _ = plan
    client = client_for(officer)
    response = client.get(reverse("documents:performance_report", args=[strategy.slug]),
                          {"quarter": value})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and "<title>Error: " in html
    message = ("Choose the quarter the report should cover" if value == ""
               else "Choose one of the quarters in the list")
    assert message in html
    assert "<script>" not in html.split("<main", 1)[1]
    if "/" not in value:
        pdf = client.get(reverse("documents:performance_report_pdf",
                                 kwargs={"strategy": strategy.slug, "quarter": value or "x"}))
        assert pdf.status_code == 404
    assert not PerformanceReportDocument.objects.exists()


def test_several_quarter_values_are_read_as_the_last_and_checked(plan, officer):
    strategy, _ = plan
    response = client_for(officer).get(
        reverse("documents:performance_report", args=[strategy.slug]) +
        "?quarter=nonsense&quarter=jul-sep-2026"
    )
    assert response.status_code == 302


def test_a_strategy_whose_first_quarter_has_not_ended_says_when_it_will(partnership, officer):
    today = timezone.localdate()
    strategy = factories.StrategyFactory(
        partnership=partnership, period_start=today + dt.timedelta(days=200),
        period_end=today + dt.timedelta(days=1300),
    )
    html = client_for(officer).get(
        reverse("documents:performance_report", args=[strategy.slug])).content.decode()
    first = Quarter.containing(strategy.period_start)
    assert f"No quarter of this strategy has ended yet. The first, {first.label}" in html
    assert "<select" not in html
    summary = client_for(officer).get(
        reverse("strategy:performance_summary", args=[strategy.slug])).content.decode()
    assert "Board report (PDF)" not in summary and "Board reports by quarter" in summary


def test_the_performance_summary_and_documents_pages_link_to_the_report(plan, officer):
    strategy, _ = plan
    client = client_for(officer)
    default = default_quarter(strategy, today=timezone.localdate())
    summary = client.get(
        reverse("strategy:performance_summary", args=[strategy.slug])).content.decode()
    assert (f'<a class="govuk-link" href="{_pdf_url(strategy, default)}">Board report (PDF) '
            f"for {default.label}</a>") in summary
    documents = client.get(
        reverse("documents:strategy_documents", args=[strategy.slug])).content.decode()
    assert reverse("documents:performance_report", args=[strategy.slug]) in documents


def test_the_page_lists_the_reports_prepared_in_the_same_queries_at_twice_the_rows(
    plan, officer
):
    strategy, _ = plan
    client = client_for(officer)
    page = reverse("documents:performance_report", args=[strategy.slug])

    def add(quarters):
        for quarter in quarters:
            PerformanceReportDocument.objects.create(
                strategy=strategy, quarter_end=quarter.end, content_hash=quarter.slug,
                status="ready", file="x.pdf", size=1000, pages=6, finished_at=timezone.now(),
            )

    quarters = reportable_quarters(strategy, today=dt.date(2026, 12, 1))
    add(quarters[:3])
    client.get(page)
    with CaptureQueriesContext(connection) as few:
        html = client.get(page).content.decode()
    assert html.count("Board report (PDF) for") == 3
    add(quarters[3:6])
    with CaptureQueriesContext(connection) as more:
        html = client.get(page).content.decode()
    assert html.count("Board report (PDF) for") == 6
    assert len(more.captured_queries) == len(few.captured_queries)


# Who may have it ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["officer", "administrator", "partner_officer", "board_member", "other_officer",
             "other_board_member", "anonymous", "superuser"],
)
def test_permission_matrix_for_the_performance_report(
    request, role, plan, partnership, other_partnership, django_capture_on_commit_callbacks
):
    strategy, _ = plan
    user = {
        "anonymous": lambda: None,
        "superuser": lambda: factories.UserFactory(is_superuser=True, is_staff=True),
        "administrator": lambda: factories.MembershipFactory(
            partnership=partnership, role=Membership.Role.ADMINISTRATOR).user,
        "other_board_member": lambda: factories.BoardMembershipFactory(
            board=factories.BoardFactory(partnership=other_partnership)).user,
    }.get(role, lambda: request.getfixturevalue(role))()
    client = client_for(user)
    page = reverse("documents:performance_report", args=[strategy.slug])
    retry = reverse("documents:performance_report_pdf_retry",
                    kwargs={"strategy": strategy.slug, "quarter": QUARTER.slug})
    with django_capture_on_commit_callbacks(execute=False):
        responses = {
            "page": client.get(page), "pdf": client.get(_pdf_url(strategy)),
            "retry": client.post(retry),
        }
    statuses = {name: r.status_code for name, r in responses.items()}
    if role == "anonymous":
        for response in responses.values():
            assert response.status_code == 302
            assert response["Location"].startswith("/sign-in/?next=")
    elif role in ("other_officer", "other_board_member"):
        assert statuses == {"page": 404, "pdf": 404, "retry": 404}
    elif role in ("officer", "administrator", "superuser"):
        assert statuses == {"page": 200, "pdf": 503, "retry": 302}
    else:  # the partnership's partner officers and board members read it
        assert statuses == {"page": 200, "pdf": 503, "retry": 403}
    if statuses["pdf"] == 503:
        assert "being prepared" in responses["pdf"].content.decode()


# A second partnership ------------------------------------------------------------------


def test_a_second_partnership_gets_its_own_report_with_its_name_and_brand(
    plan, other_partnership, other_officer, officer, on_commit_at_once
):
    from partnerships.models import Partnership

    Partnership.objects.filter(pk=other_partnership.pk).update(colour="#6f2c91")
    other_partnership.refresh_from_db()
    strategy, _ = _plan(other_partnership, title="Their Strategy", slug="their-strategy")
    mine, _ = plan
    data = performance_report.report_data(strategy, QUARTER)
    assert data["partnership"]["colour"] == "#6f2c91"
    html = performance_report.report_html(data, prepared_on=dt.date(2026, 11, 20))
    assert "--brand: #6f2c91" in html
    response = client_for(other_officer).get(_pdf_url(strategy))
    assert response.status_code == 200
    text = squash(pdf_text(_body(response)))
    assert other_partnership.name in text and "Their Strategy" in text
    assert mine.partnership.name not in text
    # Each partnership's people see only their own.
    assert client_for(other_officer).get(_pdf_url(mine)).status_code == 404
    assert client_for(officer).get(_pdf_url(strategy)).status_code == 404
