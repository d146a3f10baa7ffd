"""Versions: frozen snapshots with a stable hash; saved by officers; listed,
shown and compared."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from strategy import services
from strategy.models import StrategyVersion
from strategy.snapshot import content_hash, strategy_content
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_a_published_version_cannot_be_changed_or_deleted_and_its_hash_is_stable(published):
    version = published.versions.get(reason=StrategyVersion.Reason.PUBLICATION)
    original_hash = version.content_hash
    assert content_hash(version.content) == original_hash

    version.content["priorities"][0]["title"] = "Quietly rewritten"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()

    stored = StrategyVersion.objects.get(pk=version.pk)
    assert stored.content["priorities"][0]["title"] != "Quietly rewritten"
    assert stored.content_hash == original_hash == content_hash(stored.content)


def test_a_signed_off_version_keeps_its_content_when_the_draft_changes(world):
    services.strategy_transition(strategy=world.strategy, to_status="sign_off")
    signed = world.strategy.versions.get(reason=StrategyVersion.Reason.SIGN_OFF)
    before = signed.content_hash
    # Sign-off can send the draft back for changes; the signed version stays as it was.
    services.strategy_transition(strategy=world.strategy, to_status="drafting")
    services.priority_update(priority=world.priority, title="Changed after the board met")
    signed.refresh_from_db()
    assert signed.content_hash == before
    assert signed.content["priorities"][0]["title"] != "Changed after the board met"
    assert content_hash(strategy_content(world.strategy)) != before


def test_the_same_content_gives_the_same_hash_and_any_change_a_new_one(world):
    first = content_hash(strategy_content(world.strategy))
    assert content_hash(strategy_content(world.strategy)) == first
    services.measure_update(measure=world.measure, target_value=75)
    assert content_hash(strategy_content(world.strategy)) != first


def test_an_officer_saves_a_version_with_a_note(world):
    client = client_for(world.officer)
    response = client.post(reverse("strategy:version_save", args=[world.strategy.slug]),
                           {"note": "Before the workshop"})
    assert response.status_code == 302
    version = world.strategy.versions.order_by("-number").first()
    assert version.number == 2
    assert version.reason == StrategyVersion.Reason.MANUAL
    assert version.note == "Before the workshop" and version.created_by == world.officer
    page = client.get(reverse("strategy:version_list", args=[world.strategy.slug])).content
    assert b"Before the workshop" in page and version.short_hash.encode() in page


def test_a_version_page_shows_the_frozen_content_and_its_full_hash(world):
    services.priority_update(priority=world.priority, title="Renamed since")
    html = client_for(world.board_member).get(
        reverse("strategy:version_detail", args=[world.strategy.slug, 1])
    ).content.decode()
    assert world.version.content["priorities"][0]["title"] in html
    assert "Renamed since" not in html
    assert world.version.content_hash in html


def test_the_compare_page_shows_what_changed_between_two_versions(world):
    services.priority_update(priority=world.priority, title="Tackling knife crime")
    services.priority_create(strategy=world.strategy, title="Violence against women and girls")
    services.measure_delete(measure=world.other_measure)
    services.version_create(strategy=world.strategy, reason=StrategyVersion.Reason.MANUAL)
    url = reverse("strategy:version_compare", args=[world.strategy.slug]) + "?a=1&b=2"
    html = client_for(world.partner).get(url).content.decode()
    assert '<ins class="smk-ins">Violence against women and girls</ins>' in html
    assert '<ins class="smk-ins">Tackling</ins>' in html  # the renamed priority, word by word
    assert f'<del class="smk-del">{world.other_measure.title}</del>' in html
    assert "Changed: Tackling knife crime" in html


def test_comparing_a_version_that_does_not_exist_says_what_to_fix(world):
    url = reverse("strategy:version_compare", args=[world.strategy.slug]) + "?a=1&b=9"
    html = client_for(world.officer).get(url).content.decode()
    assert "<title>Error: " in html
    assert "Choose two versions of this strategy to compare" in html


def test_versions_are_numbered_per_strategy():
    a, b = factories.StrategyFactory(), factories.StrategyFactory()
    for strategy in (a, b, a):
        services.version_create(strategy=strategy, reason=StrategyVersion.Reason.MANUAL)
    assert list(a.versions.values_list("number", flat=True)) == [1, 2]
    assert list(b.versions.values_list("number", flat=True)) == [1]
