"""Every PDF we publish passes two independent PDF/UA checkers with nothing to
report: page-validation (PDF/UA-1 machine rules) and outloud (PDF/UA-1 plus
WCAG 2.2 semantic checks: table headers, running heads, reading order, links).

The documents are the demo's published strategy, every demo partnership
report, the quarterly performance report of the strategy in force, and a
synthetic strategy as long as a real one (over 40 pages: 7
priorities, 28 measures with three years of quarterly figures and a chart
each, paragraphs of text). Each is rendered once for the module (the demo is
loaded inside a transaction that is rolled back), then checked by both
checkers in this process. The strategy is also checked against WeasyPrint's
own output, so the finishing step is shown to lose no structure, text or
appearance, and its PDF/UA-2 variant is checked to record why PDF/UA-1 is
the one published (see documents/pdfua.py).
"""

from __future__ import annotations

import io
from pathlib import Path

import outloud
import page
import pikepdf
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accessibility import evidence
from documents.models import PartnershipReport
from documents.pdfua import finish_pdf
from documents.performance_report import render_performance_report_pdf
from documents.rendering import (
    PDF_VARIANT,
    render_report_pdf,
    render_strategy_pdf,
    strategy_html,
)
from documents.services import published_version
from safermk.celery import app as celery_app
from strategy.models import Strategy
from strategy.quarters import default_quarter
from tests import factories
from tests.documents.factories import published_strategy

# The module's documents are made once, in a module fixture; the mark makes
# pytest-django set up the test database even when this file runs alone.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def documents(django_db_setup, django_db_blocker, tmp_path_factory):
    """{name: path of the rendered PDF}, plus the unfinished WeasyPrint output
    of the demo strategy under "raw-strategy"."""
    from weasyprint import HTML

    from safermk.demo import load_all

    folder = tmp_path_factory.mktemp("pdfua")
    paths = {}
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with (
            django_db_blocker.unblock(),
            override_settings(MEDIA_ROOT=folder / "media"),
            transaction.atomic(),
        ):
            load_all(superseded_pdfs=False)
            # Found by query, not by name: whichever strategy the demo publishes.
            versions = [published_version(s) for s in Strategy.objects.published().order_by("pk")]
            versions = [v for v in versions if v is not None]
            assert versions, "the demo publishes no strategy"
            paths["strategy"] = _write(folder, "strategy", render_strategy_pdf(versions[0]).content)
            raw = HTML(string=strategy_html(versions[0])).write_pdf(pdf_variant=PDF_VARIANT)
            paths["raw-strategy"] = _write(folder, "raw-strategy", raw)
            # The serious violence strategy: its own wording, the authorities'
            # sign-offs and the table of required consultees.
            serious = Strategy.objects.published().filter(duty="serious_violence").first()
            assert serious is not None, "the demo publishes no serious violence strategy"
            paths["serious-violence-strategy"] = _write(
                folder, "serious-violence-strategy",
                render_strategy_pdf(published_version(serious)).content,
            )
            reports = list(PartnershipReport.objects.order_by("pk"))
            assert reports, "the demo has no partnership report"
            for number, report in enumerate(reports, start=1):
                paths[f"report-{number}"] = _write(
                    folder, f"report-{number}", render_report_pdf(report).content
                )
            # The quarterly performance report of the strategy in force, for
            # the quarter its performance summary offers.
            current = versions[0].strategy
            paths["performance-report"] = _write(
                folder, "performance-report",
                render_performance_report_pdf(
                    current, default_quarter(current, today=timezone.localdate()),
                    prepared_on=timezone.localdate(),
                ).content,
            )
            ua2 = HTML(string=strategy_html(versions[0])).write_pdf(pdf_variant="pdf/ua-2")
            paths["ua2-strategy"] = _write(folder, "ua2-strategy", finish_pdf(ua2))
            many = published_strategy(
                factories.PartnershipFactory(),
                priorities=7,
                objectives=2,
                measures=2,
                measurements=12,
                description=LONG_TEXT,
            )
            paths["synthetic-strategy"] = _write(
                folder, "synthetic-strategy", render_strategy_pdf(published_version(many)).content
            )
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager
    return paths


def _write(folder, name, content: bytes):
    path = folder / f"{name}.pdf"
    path.write_bytes(content)
    return path


LONG_TEXT = (
    "The partners will work with neighbourhood teams, schools and housing providers to "
    "reduce harm, and will report progress to the board every quarter. "
) * 6

PUBLISHED = [
    "strategy", "report-1", "synthetic-strategy", "serious-violence-strategy",
    "performance-report",
]
# Made to compare with, never published.
NOT_PUBLISHED = {"raw-strategy", "ua2-strategy"}
SEMANTIC_RULES = ["SEM-001", "SEM-002", "SEM-003"]


@pytest.fixture(scope="module")
def outloud_results(documents):
    results = {name: outloud.check(str(path)) for name, path in documents.items()}
    # The published strategy again, with WeasyPrint's own output as the
    # source: outloud's three semantic rules (the only ones a source adds)
    # compare the two.
    results["strategy-against-source"] = outloud.check(
        str(documents["strategy"]), source=str(documents["raw-strategy"]), only=SEMANTIC_RULES
    )
    return results


def _published(documents):
    return {name: path for name, path in documents.items() if name not in NOT_PUBLISHED}


def test_every_published_pdf_passes_page_validation_pdf_ua_1_with_no_failure(documents):
    for name, path in _published(documents).items():
        report = page.validate_pdf(str(path), profile="ua1")
        failures = [(f.rule_id, f.message) for f in report.failures]
        assert failures == [], name
        assert report.is_compliant, name
        assert report.rules.failed == 0 and report.rules.passed == report.rules.total, name
        # The figure every accessibility statement gives.
        assert report.rules.total == evidence.PAGE_VALIDATION_RULES, name


def test_every_published_pdf_passes_outloud_with_no_error_and_no_warning(
    documents, outloud_results
):
    assert set(PUBLISHED) <= set(documents)
    for name in _published(documents):
        result = outloud_results[name]
        assert result.error is None, name
        findings = [
            (f.severity, f.rule, f.message)
            for f in result.findings
            if f.severity in ("error", "warning")
        ]
        assert findings == [], name
        assert result.verdict == "pass", name
        assert len(result.runs) == evidence.OUTLOUD_RULES, name
        assert not [run.rule for run in result.runs if run.status == "crashed"], name


def test_the_synthetic_strategy_is_as_long_as_a_real_one(documents):
    with pikepdf.open(documents["synthetic-strategy"]) as pdf:
        assert len(pdf.pages) >= evidence.SYNTHETIC_STRATEGY_MIN_PAGES == 40


def test_every_kind_of_pdf_the_product_makes_is_checked(documents):
    # Every PDF is made by documents.rendering.html_to_pdf (WeasyPrint, then
    # finish_pdf) from a templates/documents/*_pdf.html template. A new kind
    # of document means a new template, and this test asks for its sample.
    root = Path(__file__).resolve().parents[2]
    samples = {
        "strategy_pdf": "strategy", "report_pdf": "report-1",
        "performance_report_pdf": "performance-report",
    }
    templates = {p.stem for p in (root / "templates" / "documents").glob("*_pdf.html")}
    assert templates == set(samples), "add a sample of the new document to `documents`"
    assert set(samples.values()) <= set(_published(documents))
    folders = [
        p for p in root.iterdir()
        if p.is_dir() and not p.is_symlink() and p.name not in {"tests", "scripts", "var"}
        and not p.name.startswith(".")
    ]
    callers = sorted(
        str(path.relative_to(root))
        for folder in folders
        for path in folder.rglob("*.py")
        if "write_pdf(" in path.read_text(encoding="utf-8")
    )
    assert callers == ["documents/rendering.py"]


def test_finishing_loses_no_structure_text_or_appearance_of_weasyprint_output(
    outloud_results,
):
    runs = {run.rule: run for run in outloud_results["strategy-against-source"].runs}
    for rule in SEMANTIC_RULES:
        assert (runs[rule].status, runs[rule].outcome) == ("ran", "pass"), rule
    assert outloud_results["strategy-against-source"].findings == []


def test_the_pdf_ua_2_variant_passes_no_better_so_pdf_ua_1_is_published(
    documents, outloud_results
):
    # Recorded in documents/pdfua.py: neither checker can pass PDF/UA-2.
    assert PDF_VARIANT == "pdf/ua-1"
    ua2 = str(documents["ua2-strategy"])
    # page-validation has no PDF/UA-2 profile: it will not check the file as
    # what it declares...
    with pytest.raises(page.ProfileError):
        page.validate_pdf(ua2)
    # ...and by the PDF/UA-1 rules it fails the two a PDF 2.0 file must fail.
    failures = {f.rule_id for f in page.validate_pdf(ua2, profile="ua1").failures}
    assert failures == {"PDFUA1-HEADER-001", "PDFUA1-ID-PART-001"}
    # outloud checks PDF/UA-1 only, and says so of this file.
    notes = {(f.severity, f.rule) for f in outloud_results["ua2-strategy"].findings}
    assert notes == {("info", "DOC-012")}


def test_without_the_finishing_step_weasyprint_output_fails_outloud_on_what_it_fixes(
    outloud_results,
):
    # The checks above are not vacuous: the same HTML, straight from
    # WeasyPrint, is caught on what finish_pdf adds (running heads and folios
    # left in the content, links that do not print).
    raw = {f.rule for f in outloud_results["raw-strategy"].findings}
    assert {"PAG-001", "LNK-004"} <= raw


def _elements(pdf):
    found, stack = [], [pdf.Root.StructTreeRoot]
    seen = set()
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                found.append(kid)
                stack.append(kid)
    return found


def test_each_glossary_term_and_its_meaning_are_one_list_item():
    # WeasyPrint tags every <dt> and <dd> as a list item of its own (PDF 1.7
    # has no definition list), which parts a term from its meaning; so the
    # document has no <dl>, and each item of the glossary holds both.
    from bs4 import BeautifulSoup

    from documents.rendering import GLOSSARY

    strategy = published_strategy(factories.PartnershipFactory(), priorities=1, measures=1)
    soup = BeautifulSoup(strategy_html(published_version(strategy)), "html.parser")
    assert soup.find_all(["dl", "dt", "dd"]) == []
    items = soup.select("ul.glossary > li")
    assert [(li.strong.get_text(), li.span.get_text()) for li in items] == list(GLOSSARY)


def test_every_table_header_has_the_scope_the_html_gives_it(documents):
    for name, path in _published(documents).items():
        with pikepdf.open(path) as pdf:
            elements = _elements(pdf)
            headers = [e for e in elements if e.S == "/TH"]
            assert headers, name
            for th in headers:
                group = th.P.P.S  # TH -> TR -> THead/TBody
                # The templates give every th in a thead scope="col" and every
                # th in a tbody scope="row".
                expected = "/Column" if group == "/THead" else "/Row"
                assert th.A.Scope == expected, (name, group)


def test_running_heads_and_folios_are_pagination_artifacts_and_all_else_is_in_the_tree(
    documents,
):
    for name, path in _published(documents).items():
        with pikepdf.open(path) as pdf:
            reachable = {e.objgen for e in _elements(pdf)}
            parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
            for number, pdf_page in enumerate(pdf.pages, start=1):
                owners = parents[int(pdf_page.StructParents)]
                mcids, pagination = [], []
                for operands, operator in pikepdf.parse_content_stream(pdf_page):
                    if str(operator) != "BDC":
                        continue
                    if operands[0] == "/Artifact":
                        pagination.append(operands[1].get("/Type") == "/Pagination")
                    else:
                        mcids.append(int(operands[1].MCID))
                # Every page has its folio ("Page N of M") as an artifact...
                assert any(pagination), (name, number)
                # ...and every piece of tagged content belongs to an element
                # of the document's structure.
                assert all(owners[m].objgen in reachable for m in mcids), (name, number)


def test_every_link_annotation_prints(documents):
    for name, path in _published(documents).items():
        with pikepdf.open(path) as pdf:
            annotations = [a for p in pdf.pages for a in p.get("/Annots", [])]
            for annotation in annotations:
                assert int(annotation.get("/F", 0)) & 4, name


def test_finishing_keeps_the_title_language_bookmarks_alternative_text_and_metadata(
    documents,
):
    raw = documents["raw-strategy"].read_bytes()
    finished = finish_pdf(raw)
    with pikepdf.open(io.BytesIO(raw)) as before, pikepdf.open(io.BytesIO(finished)) as after:
        assert str(after.docinfo.Title) == str(before.docinfo.Title)
        assert str(after.Root.Lang) == str(before.Root.Lang)
        assert after.Root.Metadata.read_bytes() == before.Root.Metadata.read_bytes()
        with before.open_outline() as a, after.open_outline() as b:
            assert [i.title for i in b.root] == [i.title for i in a.root]
            assert len(b.root) > 5

        def alts(pdf):
            return [str(e.Alt) for e in _elements(pdf) if e.S == "/Figure" and "/Alt" in e]

        assert alts(after) == alts(before)
        assert len(alts(after)) > 0
