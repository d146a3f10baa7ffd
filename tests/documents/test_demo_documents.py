"""The demo has the two SaferMK reports and the current strategy's PDF."""

from unittest.mock import patch

import pytest

from documents import rendering, services
from documents.models import PartnershipReport, RenderedDocument
from safermk.demo import load_all

pytestmark = pytest.mark.django_db


def test_the_demo_reproduces_both_seed_reports(demo):
    reports = {r.title: r for r in PartnershipReport.objects.filter(partnership=demo)}
    assert set(reports) == {
        "SaferMK Strategy Development 2018/21",
        "Development of a Community Safety Strategy for 2022",
    }
    seed_2017 = reports["SaferMK Strategy Development 2018/21"]
    assert seed_2017.strategy.slug == "safermk-strategy-2018-2021"
    assert seed_2017.purpose == "decision"
    assert {r.code for r in seed_2017.responsibilities.all()} == {"pcc", "s17"}
    assert not seed_2017.priorities.exists()
    seed_2021 = reports["Development of a Community Safety Strategy for 2022"]
    assert seed_2021.strategy.slug == "safermk-strategy-2022"
    assert seed_2021.purpose == "information" and seed_2021.include_milestones


def test_each_published_demo_strategy_has_its_pdf_and_reloading_renders_nothing(
    db, django_capture_on_commit_callbacks
):
    load_all()  # with the PDFs, as `make run` loads it
    documents = RenderedDocument.objects.filter(version__strategy__partnership__slug="safermk")
    # 2018, 2022, the community safety strategy in force and the serious violence one.
    assert documents.count() == 4
    assert all(d.is_ready and d.version.reason == "publication" for d in documents)
    from documents.tasks import render_document

    with patch.object(
        services.rendering, "render_strategy_pdf", wraps=rendering.render_strategy_pdf
    ) as render, patch.object(render_document, "delay") as enqueue, (
        django_capture_on_commit_callbacks(execute=True)
    ):
        load_all()
    assert render.call_count == 0
    assert enqueue.call_count == 0
    assert PartnershipReport.objects.count() == 2
