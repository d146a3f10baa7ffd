"""The strategy PDF: accessible, complete, numbered, and bound to its version."""

import re

import pytest

from documents import sections
from documents.rendering import render_strategy_pdf
from documents.services import published_version
from strategy.models import Priority, Strategy
from tests.documents.conftest import pdf_text, reader, squash
from tests.documents.factories import measure_titles, published_strategy

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_pdf(demo):
    strategy = Strategy.objects.get(slug="safermk-strategy-2018-2021")
    version = published_version(strategy)
    return version, render_strategy_pdf(version).content


@pytest.fixture
def rich(partnership):
    strategy = published_strategy(partnership, priorities=2, objectives=2, measures=2)
    version = published_version(strategy)
    return version, render_strategy_pdf(version).content


def _walk(node, found):
    node = node.get_object()
    found.append(node)
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict) and "/S" in kid:
            _walk(kid, found)
    return found


def test_the_demo_pdf_has_a_title_british_english_a_structure_tree_and_bookmarks(demo_pdf):
    version, content = demo_pdf
    pdf = reader(content)
    root = pdf.trailer["/Root"]
    assert pdf.metadata.title == "SaferMK Community Safety Strategy 2018–2021"
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    titles = [item.title for item in pdf.outline if not isinstance(item, list)]
    assert "Contents" in titles and "Statutory context" in titles and "Glossary" in titles
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert 'pdfuaid:part="1"' in xmp


def test_the_demo_pdf_contains_every_priority_of_the_published_version(demo_pdf):
    version, content = demo_pdf
    text = squash(pdf_text(content))
    priorities = [p["title"] for p in version.content["priorities"]]
    assert len(priorities) == 4
    for title in priorities:
        assert title in text
    for title in measure_titles(version):
        assert title in text


def test_every_priority_objective_and_measure_is_in_the_text(rich):
    version, content = rich
    text = squash(pdf_text(content))
    assert len(measure_titles(version)) == 8
    for priority in version.content["priorities"]:
        assert priority["title"] in text
        for objective in priority["objectives"]:
            assert objective["title"] in text
            assert objective["lead_organisation"] in text
    for title in measure_titles(version):
        assert title in text


def test_every_page_says_page_x_of_n(rich):
    _, content = rich
    pages = pdf_text(content).split("\f")[:-1]
    total = len(reader(content).pages)
    assert total == len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in page


def test_the_metadata_and_the_last_page_state_the_version_hash(rich):
    version, content = rich
    pdf = reader(content)
    assert version.content_hash in pdf.metadata.subject
    assert version.content_hash in pdf.metadata["/Keywords"]
    last_page = pdf_text(content).split("\f")[-2]
    assert version.content_hash in squash(last_page).replace(" ", "")
    assert f"version {version.number}" in squash(last_page)


def test_the_cover_states_partnership_period_and_version(rich, partnership):
    version, content = rich
    pages = pdf_text(content).split("\f")
    cover = squash(pages[0])
    assert squash(pages[1]).find("Contents") != -1, "the cover runs over one page"
    assert partnership.name in cover
    assert "April 2022 to March 2025" in cover
    assert version.short_hash in cover
    assert f"Version {version.number}" in cover


def test_contents_give_the_page_of_each_section(rich):
    _, content = rich
    pages = pdf_text(content).split("\f")
    contents = squash(pages[1])
    assert contents.startswith("Community Safety Strategy") or "Contents" in contents
    match = re.search(r"Glossary[ .]*(\d+)", contents)
    assert match, contents
    assert "Glossary" in pages[int(match.group(1)) - 1]


def test_every_chart_is_a_figure_with_alternative_text(rich):
    version, content = rich
    root = reader(content).trailer["/Root"]["/StructTreeRoot"]
    figures = [n for n in _walk(root, []) if n.get("/S") == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(figures) == len(measure_titles(version))
    for title in measure_titles(version):
        alt = next(a for a in alts if f"Trend chart: {title}." in a)
        assert "Baseline 100 incidents" in alt and "target 80 incidents" in alt


def test_measure_tables_show_baseline_target_latest_and_status(rich):
    _, content = rich
    text = squash(pdf_text(content))
    assert "Measure Baseline Target Latest Status" in text
    # The fourth quarterly value (92) is the latest; 2 points ahead of the trajectory.
    assert "92" in text and "On track" in text
    assert "as at" in text


def test_the_pdf_is_made_from_the_frozen_version_not_the_live_strategy(partnership):
    strategy = published_strategy(partnership, priorities=1, measures=1)
    version = published_version(strategy)
    Priority.objects.filter(strategy=strategy).update(title="A title changed after publication")
    text = squash(pdf_text(render_strategy_pdf(version).content))
    assert "Safer streets 1" in text
    assert "A title changed after publication" not in text


def test_the_governance_section_lists_the_lifecycle_up_to_this_version(rich):
    version, content = rich
    text = squash(pdf_text(content))
    assert "Governance and sign-off" in text
    assert "Adopted Published" in text
    # A strategy is published only as its boards approved it: the approval
    # of this text is on the record.
    (approval,) = sections.signoff_record(version)
    assert approval["decision"] == "Approved" and approval["hash"] == version.content_hash
    assert f"{approval['board']} " in text and version.content_hash[:12] in text
    assert "No board decision on this version has been recorded" not in text


def test_a_strategy_without_a_consultation_has_no_such_record(rich):
    version, content = rich
    assert sections.consultation_summary(version) is None
    assert "What you told us" not in squash(pdf_text(content))


def test_the_strategic_assessment_section_lists_its_lines_of_enquiry(partnership):
    from strategy.models import LineOfEnquiry, StrategicAssessment

    assessment = StrategicAssessment.objects.create(
        partnership=partnership, year=2021, title="Strategic Assessment 2021",
        summary="Violence and exploitation are rising.",
    )
    LineOfEnquiry.objects.create(
        assessment=assessment, title="Modern day slavery", findings="Cases doubled.", order=1
    )
    LineOfEnquiry.objects.create(
        assessment=assessment, title="Violence against women and girls", order=0
    )
    strategy = published_strategy(partnership, priorities=1, measures=1)
    strategy.assessments.add(assessment)
    # The assessment was linked after publication: the published version does
    # not mention it, so the document leaves the section out.
    text = squash(pdf_text(render_strategy_pdf(published_version(strategy)).content))
    assert "Strategic Assessment 2021" not in text

    other = published_strategy(partnership, priorities=1, measures=1, slug="with-assessment",
                               assessments=[assessment])
    text = squash(pdf_text(render_strategy_pdf(published_version(other)).content))
    assert "Strategic assessment" in text and "Violence and exploitation are rising." in text
    assert text.index("Violence against women and girls") < text.index("Modern day slavery")
    assert "Modern day slavery Cases doubled." in text


def test_the_partnership_logo_from_settings_is_on_the_cover_with_alternative_text(
    rich, settings
):
    from django.conf import settings as django_settings

    version, _ = rich
    settings.SAFERMK_DOCUMENT_LOGO = str(django_settings.BASE_DIR / "static/images/favicon.svg")
    content = render_strategy_pdf(version).content
    root = reader(content).trailer["/Root"]["/StructTreeRoot"]
    alts = [str(n.get("/Alt", "")) for n in _walk(root, []) if n.get("/S") == "/Figure"]
    assert f"{version.strategy.partnership.name} logo" in alts
