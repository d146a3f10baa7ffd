"""Documents name the local policing body in force when the strategy's
period starts: a change recorded from 8 May 2028 changes the wording of
strategies from that date, and the strategy before it keeps the commissioner.
No template says "PCC" or "Police and Crime Commissioner" where the body's
name belongs."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from documents.rendering import render_strategy_pdf, strategy_html
from documents.services import published_version
from partnerships.models import PolicingBody
from partnerships.services import policing_body_add
from strategy.forms import StrategyForm
from tests.documents.conftest import pdf_text, squash
from tests.documents.factories import published_strategy

CHANGE = dt.date(2028, 5, 8)
PCC = "Townshire Police and Crime Commissioner"
BOARD = "Townshire Policing and Crime Board"


@pytest.fixture
def bodies(partnership):
    policing_body_add(partnership=partnership, kind=PolicingBody.Kind.PCC, name=PCC,
                      plan_title="Townshire Police and Crime Plan",
                      plan_url="https://pcc.example.org/plan", from_date=dt.date(2012, 11, 22))
    policing_body_add(partnership=partnership, kind=PolicingBody.Kind.BOARD, name=BOARD,
                      plan_url="https://board.example.org/plan", from_date=CHANGE)


def _strategy(partnership, start, slug):
    return published_strategy(partnership, priorities=1, measures=1, measurements=1, slug=slug,
                              period=(start, start.replace(year=start.year + 3)))


def _html(strategy):
    return squash(re.sub(r"<[^>]+>", " ", strategy_html(published_version(strategy))))


@pytest.mark.django_db
def test_the_strategy_document_names_the_body_in_force_when_its_period_starts(
    partnership, bodies
):
    before = _strategy(partnership, CHANGE - dt.timedelta(days=1), "before")
    after = _strategy(partnership, CHANGE, "after")
    text = _html(before)
    assert f"police and crime plan for the area, issued by the {PCC}." in text
    assert "https://pcc.example.org/plan" in text and BOARD not in text
    text = _html(after)
    assert f"police and crime plan for the area, issued by the {BOARD}." in text
    assert "https://board.example.org/plan" in text and PCC not in text


@pytest.mark.django_db
def test_the_pdf_itself_says_it(partnership, bodies):
    after = _strategy(partnership, dt.date(2029, 4, 1), "after")
    text = squash(pdf_text(render_strategy_pdf(published_version(after)).content))
    assert f"issued by the {BOARD}" in text


@pytest.mark.django_db
def test_with_no_body_recorded_the_document_says_the_local_policing_body(partnership):
    text = _html(_strategy(partnership, dt.date(2026, 4, 1), "none"))
    assert "police and crime plan for the area, issued by the local policing body." in text


@pytest.mark.django_db
def test_the_public_strategy_page_names_the_body_of_its_period(client, partnership, bodies):
    for start, slug, named, other in ((dt.date(2025, 4, 1), "before", PCC, BOARD),
                                      (dt.date(2028, 6, 1), "after", BOARD, PCC)):
        strategy = _strategy(partnership, start, slug)
        page = client.get(reverse("strategy:public_detail", args=[strategy.slug]))
        html = page.content.decode()
        assert page.status_code == 200
        assert f"The police and crime plan of the {named}" in html
        assert other not in html


@pytest.mark.django_db
def test_the_strategy_form_help_names_the_body_in_force(partnership, bodies):
    before = _strategy(partnership, dt.date(2025, 4, 1), "before")
    after = _strategy(partnership, dt.date(2028, 6, 1), "after")
    help_before = StrategyForm(instance=before, partnership=partnership).fields[
        "pcc_plan_reference"].help_text
    assert f"police and crime plan of the {PCC}" in help_before
    assert "“Townshire Police and Crime Plan”" in help_before
    help_after = StrategyForm(instance=after, partnership=partnership).fields[
        "pcc_alignment"].help_text
    assert f"police and crime plan of the {BOARD}" in help_after


FORBIDDEN = re.compile(r"\bPCC\b|Police and Crime Commissioner|Crime Commissioner", re.I)


def test_no_template_names_a_commissioner_where_the_body_belongs():
    root = Path(settings.BASE_DIR) / "templates"
    found = []
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt", ".xml"}:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            # An anchor name in the PDF (id="pcc") is not a name the reader sees.
            visible = re.sub(r'(id|href|class)="[^"]*"', "", line)
            if FORBIDDEN.search(visible):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()[:100]}")
    assert found == []


# Where the words may stand in code: the kind of a body or organisation, a
# definition, or the default of the column PolicingBody superseded.
ALLOWED_IN_CODE = {
    ("partnerships/models.py", 'default="Police and Crime Commissioner",'),
    ("partnerships/models.py", 'PCC = "pcc", "Police and Crime Commissioner"'),
    ("documents/rendering.py", '"body (a Police and Crime Commissioner, or the mayor or board'),
}
SKIPPED = {".venv", "tests", "migrations", "node_modules", "static", "media"}
IN_A_STRING = re.compile(r"""["'][^"']*(\bPCC\b|Police and Crime Commissioner)""")


def test_no_code_names_a_commissioner_where_the_body_belongs():
    root = Path(settings.BASE_DIR)
    found = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if SKIPPED & set(relative.parts[:-1]) or path.name == "demo.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if not IN_A_STRING.search(line):
                continue
            if any(str(relative) == file and text in line for file, text in ALLOWED_IN_CODE):
                continue
            found.append(f"{relative}:{number}: {line.strip()[:100]}")
    assert found == []
