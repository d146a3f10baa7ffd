"""Downloads are file serves from storage; the public gets the published
version only."""

from unittest.mock import patch

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from documents import rendering, services
from documents.models import RenderedDocument
from documents.services import document_request, published_version
from strategy import services as strategy_services
from strategy.models import StrategyVersion
from tests import factories
from tests.conftest import client_for
from tests.documents.factories import published_strategy
from tests.factories import StrategyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(partnership):
    return published_strategy(partnership, priorities=1, measures=1, slug="town-strategy-2022-2025")


@pytest.fixture
def rendered(strategy, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_request(version=published_version(strategy))
    document.refresh_from_db()
    assert document.is_ready
    return document


def _public_url(strategy):
    return reverse("documents:public_strategy_pdf", kwargs={"strategy": strategy.slug})


def _spy():
    return patch.object(
        services.rendering, "render_strategy_pdf", wraps=rendering.render_strategy_pdf
    )


def test_the_public_download_is_a_file_serve_of_the_published_version(client, strategy, rendered):
    with _spy() as render:
        response = client.get(_public_url(strategy))
        body = b"".join(response.streaming_content)
    assert render.call_count == 0
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="town-strategy-2022-2025-v2.pdf"'
    )
    assert response["ETag"] == f'"{rendered.version.content_hash}-v2"'
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert body == rendered.file.open("rb").read()
    assert int(response["Content-Length"]) == len(body)


def test_a_cached_copy_is_confirmed_with_304(client, strategy, rendered):
    response = client.get(_public_url(strategy), HTTP_IF_NONE_MATCH=rendered.etag)
    assert response.status_code == 304
    assert response["ETag"] == rendered.etag


def test_before_it_is_rendered_the_public_download_starts_it_and_asks_to_retry(
    client, strategy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = client.get(_public_url(strategy))
        second = client.get(_public_url(strategy))
    assert first.status_code == second.status_code == 503
    assert first["Retry-After"] == "60"
    assert "being prepared" in first.content.decode()
    assert RenderedDocument.objects.filter(version__strategy=strategy).count() == 1
    assert len(callbacks) == 1
    callbacks[0]()
    assert client.get(_public_url(strategy)).status_code == 200


def test_a_draft_version_cannot_be_downloaded_publicly(client, partnership):
    strategy = StrategyFactory(partnership=partnership)
    strategy_services.strategy_transition(strategy=strategy, to_status="drafting")
    version = strategy_services.version_create(
        strategy=strategy, reason=StrategyVersion.Reason.MANUAL
    )
    RenderedDocument.objects.create(version=version, status="ready", file="x.pdf", size=1)
    assert client.get(_public_url(strategy)).status_code == 404
    assert not RenderedDocument.objects.exclude(version=version).exists()


def test_a_strategy_sent_for_sign_off_but_not_published_has_no_public_download(
    client, partnership
):
    strategy = StrategyFactory(partnership=partnership)
    factories.move_through(strategy, ("drafting", "sign_off", "adopted"))
    assert strategy.versions.count() == 1
    assert client.get(_public_url(strategy)).status_code == 404


def test_a_superseded_strategy_still_offers_its_published_version(client, partnership, strategy):
    published_strategy(partnership, priorities=1, measures=1)
    strategy.refresh_from_db()
    assert strategy.status == "superseded"
    response = client.get(_public_url(strategy))
    assert response.status_code == 503
    requested = RenderedDocument.objects.get(version__strategy=strategy)
    assert requested.version == published_version(strategy)


def test_officers_download_any_version_with_an_immutable_cache(officer, strategy, rendered):
    url = reverse(
        "documents:version_pdf", kwargs={"strategy": strategy.slug, "number": 2}
    )
    with _spy() as render:
        response = client_for(officer).get(url)
        b"".join(response.streaming_content)
    assert render.call_count == 0
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "town-strategy-2022-2025-v2.pdf" in response["Content-Disposition"]


def test_a_version_not_yet_prepared_sends_the_officer_to_the_documents_page(officer, strategy):
    url = reverse("documents:version_pdf", kwargs={"strategy": strategy.slug, "number": 1})
    response = client_for(officer).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "documents:strategy_documents", kwargs={"strategy": strategy.slug}
    )


def test_the_prepare_button_requests_the_pdf_once(
    officer, strategy, django_capture_on_commit_callbacks
):
    url = reverse("documents:version_prepare", kwargs={"strategy": strategy.slug, "number": 1})
    client = client_for(officer)
    with _spy() as render, django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
        assert client.post(url).status_code == 302
    assert render.call_count == 1
    page = client.get(reverse("documents:strategy_documents", kwargs={"strategy": strategy.slug}))
    assert "Download PDF" in page.content.decode()


def test_the_documents_page_says_being_prepared_and_refreshes(
    officer, strategy, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        document_request(version=published_version(strategy))
    html = client_for(officer).get(
        reverse("documents:strategy_documents", kwargs={"strategy": strategy.slug})
    ).content.decode()
    assert "Being prepared" in html
    assert '<meta http-equiv="refresh" content="10">' in html


def test_a_file_gone_from_storage_is_prepared_again(
    client, strategy, rendered, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    default_storage.delete(rendered.file.name)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(_public_url(strategy))
    assert response.status_code == 503
    rendered.refresh_from_db()
    assert rendered.status == RenderedDocument.Status.PENDING
    assert len(callbacks) == 1
    callbacks[0]()
    assert client.get(_public_url(strategy)).status_code == 200


def _strategy_page(client, strategy) -> str:
    response = client.get(reverse("strategy:public_detail", kwargs={"strategy": strategy.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_public_strategy_page_links_to_the_pdf_with_its_size_and_pages(
    client, strategy, rendered
):
    page = _strategy_page(client, strategy)
    assert (
        f'<a class="govuk-link" href="{_public_url(strategy)}">Download the strategy (PDF)</a>'
        in page
    )
    size = filesizeformat(rendered.size).replace("\xa0", " ")
    assert f'<span class="govuk-body-s">{size}, {rendered.pages} pages</span>' in page


def test_before_it_is_rendered_the_link_says_only_that_it_is_a_pdf(client, strategy):
    page = _strategy_page(client, strategy)
    assert f'href="{_public_url(strategy)}">Download the strategy (PDF)</a></li>' in page
    assert " pages</span>" not in page
