"""Publishing a strategy starts the render of its PDF once the publication
has committed, through strategy's own signal (strategy never imports
documents)."""

from unittest.mock import patch

import pytest

from documents import rendering, services
from documents.models import RenderedDocument
from strategy import services as strategy_services
from strategy.models import Strategy, StrategyVersion
from strategy.signals import version_published
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(partnership):
    strategy = factories.StrategyFactory(partnership=partnership)
    objective = factories.ObjectiveFactory(priority=factories.PriorityFactory(strategy=strategy))
    factories.MeasureFactory(objective=objective)
    factories.move_through(strategy, ("drafting", "sign_off", "adopted"))
    return strategy


def _spy():
    return patch.object(
        services.rendering, "render_strategy_pdf", wraps=rendering.render_strategy_pdf
    )


def _publish(strategy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        strategy_services.strategy_transition(
            strategy=strategy, to_status=Strategy.Status.PUBLISHED
        )
    return callbacks


def test_publishing_a_strategy_renders_its_publication_version_once_after_commit(
    adopted, django_capture_on_commit_callbacks
):
    with _spy() as render:
        _publish(adopted, django_capture_on_commit_callbacks)
    version = adopted.versions.get(reason=StrategyVersion.Reason.PUBLICATION)
    document = RenderedDocument.objects.get()
    assert document.version == version
    assert document.status == RenderedDocument.Status.READY
    assert render.call_count == 1
    assert render.call_args.args == (version,)


def test_nothing_is_requested_before_the_publication_commits(
    adopted, django_capture_on_commit_callbacks
):
    with _spy() as render:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            strategy_services.strategy_transition(
                strategy=adopted, to_status=Strategy.Status.PUBLISHED
            )
        assert not RenderedDocument.objects.exists()
        assert render.call_count == 0
        # The publication's callback sends the signal; the receiver's own
        # request then queues the render after its commit.
        with django_capture_on_commit_callbacks(execute=True):
            for callback in callbacks:
                callback()
    assert RenderedDocument.objects.count() == 1
    assert render.call_count == 1


def test_the_signal_sent_again_and_a_later_request_still_render_once(
    adopted, django_capture_on_commit_callbacks
):
    with _spy() as render:
        _publish(adopted, django_capture_on_commit_callbacks)
        version = adopted.versions.get(reason=StrategyVersion.Reason.PUBLICATION)
        with django_capture_on_commit_callbacks(execute=True):
            version_published.send(sender=StrategyVersion, version=version)
        with django_capture_on_commit_callbacks(execute=True):
            services.document_request(version=version)
    assert RenderedDocument.objects.filter(version=version).count() == 1
    assert render.call_count == 1


def test_moves_that_do_not_publish_request_no_document(
    partnership, django_capture_on_commit_callbacks
):
    strategy = factories.StrategyFactory(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        factories.move_through(strategy, ("drafting", "consultation", "sign_off", "adopted"))
    assert strategy.versions.count() == 2
    assert not RenderedDocument.objects.exists()


def test_a_failing_render_does_not_undo_the_publication(
    adopted, django_capture_on_commit_callbacks
):
    with patch.object(services.rendering, "render_strategy_pdf", side_effect=OSError("disk full")):
        _publish(adopted, django_capture_on_commit_callbacks)
    adopted.refresh_from_db()
    assert adopted.status == Strategy.Status.PUBLISHED
    document = RenderedDocument.objects.get()
    assert document.status == RenderedDocument.Status.FAILED
    assert "disk full" in document.error


def test_strategy_never_imports_documents():
    import ast
    from pathlib import Path

    import strategy

    imported = set()
    for path in Path(strategy.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
    assert "strategy" in imported
    assert "documents" not in imported
