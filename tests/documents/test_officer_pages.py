"""Who may open the document pages, and what they cost in queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import PartnershipReport, RenderedDocument
from strategy import services as strategy_services
from strategy.models import StrategyVersion
from tests import factories
from tests.conftest import client_for
from tests.documents.factories import published_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(partnership):
    return published_strategy(partnership, priorities=1, objectives=1, measures=1, measurements=1)


@pytest.fixture
def report(strategy, officer):
    from documents.services import report_create

    return report_create(
        strategy=strategy, by=officer, title="Strategy development", author_name="A Officer",
        purpose="decision", recommendations="That the board agrees.",
    )


def _pages(strategy, report):
    s = {"strategy": strategy.slug}
    return {
        # name: (method, url, officer only)
        "strategy_documents": ("get", reverse("documents:strategy_documents", kwargs=s), False),
        "version_prepare": (
            "post", reverse("documents:version_prepare", kwargs={**s, "number": 1}), True
        ),
        "version_pdf": ("get", reverse("documents:version_pdf", kwargs={**s, "number": 1}), False),
        "report_list": (
            "get",
            reverse("documents:report_list", kwargs={"partnership": strategy.partnership.slug}),
            False,
        ),
        "report_create": ("get", reverse("documents:report_create", kwargs=s), True),
        "report_detail": (
            "get", reverse("documents:report_detail", kwargs={"report": report.pk}), False
        ),
        "report_edit": (
            "get", reverse("documents:report_edit", kwargs={"report": report.pk}), True
        ),
        "report_pdf": ("get", reverse("documents:report_pdf", kwargs={"report": report.pk}), False),
        "report_pdf_retry": (
            "post", reverse("documents:report_pdf_retry", kwargs={"report": report.pk}), True
        ),
        "performance_report": (
            "get", reverse("documents:performance_report", kwargs=s), False
        ),
        "performance_report_pdf": ("get", reverse("documents:performance_report_pdf", kwargs={
            **s, "quarter": _quarter(strategy)}), False),
        "performance_report_pdf_retry": ("post", reverse(
            "documents:performance_report_pdf_retry",
            kwargs={**s, "quarter": _quarter(strategy)}), True),
    }


def _quarter(strategy) -> str:
    from django.utils import timezone

    from strategy.quarters import default_quarter

    return default_quarter(strategy, today=timezone.localdate()).slug


OK = {200, 302}
# The report PDF is made by the worker: until it has run, anyone who may
# read the report is told it is being prepared.
BEING_PREPARED = 503


@pytest.mark.parametrize(
    "role",
    ["officer", "partner_officer", "board_member", "other_officer", "anonymous", "superuser"],
)
def test_permission_matrix_for_document_pages(
    request, role, strategy, report, django_capture_on_commit_callbacks
):
    user = None
    if role == "superuser":
        user = factories.UserFactory(is_superuser=True, is_staff=True)
    elif role != "anonymous":
        user = request.getfixturevalue(role)
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=False):
        for name, (method, url, officer_only) in _pages(strategy, report).items():
            response = getattr(client, method)(url)
            status = response.status_code
            if role == "anonymous":
                assert status == 302 and response["Location"].startswith("/sign-in/"), name
            elif role == "other_officer":
                assert status == 404, name
            elif name in ("report_pdf", "performance_report_pdf"):
                assert status == BEING_PREPARED, (name, role, status)
                assert "being prepared" in response.content.decode()
            elif role in ("officer", "superuser"):
                assert status in OK, (name, status)
            elif officer_only:
                assert status == 403, (name, role, status)
            else:
                assert status in OK, (name, role, status)
                if name == "version_pdf":
                    continue
                assert status == 200, (name, role, status)


def test_only_officers_see_the_prepare_and_write_buttons(strategy, officer, partner_officer):
    url = reverse("documents:strategy_documents", kwargs={"strategy": strategy.slug})
    officer_html = client_for(officer).get(url).content.decode()
    partner_html = client_for(partner_officer).get(url).content.decode()
    assert "Prepare PDF" in officer_html and "Write a partnership report" in officer_html
    assert "Prepare PDF" not in partner_html and "Write a partnership report" not in partner_html


def test_document_pages_have_their_own_title_and_one_h1(strategy, report, officer):
    client = client_for(officer)
    for name, (method, url, _) in _pages(strategy, report).items():
        if method != "get" or name in ("version_pdf", "report_pdf", "performance_report_pdf"):
            continue
        html = client.get(url).content.decode()
        assert html.count("<h1") == 1, name
        assert "<title>" in html and "– " in html, name


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_documents_page_costs_the_same_queries_with_twice_the_versions(strategy, officer):
    client = client_for(officer)
    url = reverse("documents:strategy_documents", kwargs={"strategy": strategy.slug})

    def add_versions(n):
        for _ in range(n):
            v = strategy_services.version_create(
                strategy=strategy, reason=StrategyVersion.Reason.MANUAL
            )
            RenderedDocument.objects.create(version=v, status="ready", file="x.pdf", size=10)

    add_versions(3)
    few = _count(client, url)
    add_versions(6)
    assert _count(client, url) == few


def test_the_report_list_costs_the_same_queries_with_twice_the_reports(strategy, officer):
    from documents.services import report_create

    client = client_for(officer)
    url = reverse("documents:report_list", kwargs={"partnership": strategy.partnership.slug})

    def add(n):
        for i in range(n):
            report_create(strategy=strategy, title=f"Report {i}", author_name="A",
                          purpose="information", recommendations="Note it.")

    add(3)
    few = _count(client, url)
    add(6)
    assert _count(client, url) == few
    assert PartnershipReport.objects.count() == 9


def test_the_report_preview_costs_the_same_queries_with_twice_the_milestones(
    strategy, report, officer
):
    client = client_for(officer)
    url = reverse("documents:report_detail", kwargs={"report": report.pk})

    def add(n):
        for _ in range(n):
            factories.MilestoneFactory(partnership=strategy.partnership, strategy=strategy)

    add(3)
    few = _count(client, url)
    add(6)
    assert _count(client, url) == few


def test_the_dashboard_links_to_the_documents_of_the_users_partnerships(
    strategy, officer, other_officer
):
    html = client_for(officer).get(reverse("dashboard:home")).content.decode()
    assert reverse("documents:strategy_documents", kwargs={"strategy": strategy.slug}) in html
    assert reverse(
        "documents:report_list", kwargs={"partnership": strategy.partnership.slug}
    ) in html
    other = client_for(other_officer).get(reverse("dashboard:home")).content.decode()
    assert strategy.slug not in other
