"""`manage.py render_strategy_pdf` writes a version's PDF to a file."""

import pytest
from django.core.management import CommandError, call_command

from documents.models import RenderedDocument
from strategy.models import StrategyVersion
from tests.documents.conftest import pdf_text, reader, squash
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


def test_the_command_renders_the_published_version(demo, tmp_path):
    out = tmp_path / "strategy.pdf"
    before = RenderedDocument.objects.count()
    call_command("render_strategy_pdf", "safermk-strategy-2018-2021", "-o", str(out))
    pdf = reader(out.read_bytes())
    assert pdf.metadata.title == "SaferMK Community Safety Strategy 2018–2021"
    published = StrategyVersion.objects.filter(
        strategy__slug="safermk-strategy-2018-2021", reason="publication"
    ).latest("number")
    assert f"Version {published.number} (published" in squash(pdf_text(out.read_bytes()))
    assert RenderedDocument.objects.count() == before


def test_the_command_renders_a_chosen_version(demo, tmp_path):
    out = tmp_path / "v1.pdf"
    call_command("render_strategy_pdf", "safermk-strategy-2018-2021", "--version", "1",
                 "-o", str(out))
    first = StrategyVersion.objects.get(strategy__slug="safermk-strategy-2018-2021", number=1)
    label = f"Version 1 ({first.get_reason_display().lower()}"
    assert label in squash(pdf_text(out.read_bytes()))


@pytest.mark.parametrize(
    "args, message",
    [
        (["no-such-strategy"], "There is no strategy called 'no-such-strategy'."),
        (["safermk-strategy-2018-2021", "--version", "9"], "has no version 9."),
        (["never-frozen"], "has no frozen version yet"),
    ],
)
def test_the_command_explains_what_is_missing(demo, tmp_path, args, message):
    StrategyFactory(partnership=demo, slug="never-frozen")
    with pytest.raises(CommandError, match=message):
        call_command("render_strategy_pdf", *args, "-o", str(tmp_path / "x.pdf"))
