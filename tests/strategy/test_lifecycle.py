"""The lifecycle: every allowed move works and is recorded; every other move
is refused; signing off and publishing freeze versions; publishing supersedes."""

import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from strategy import lifecycle, services
from strategy.models import Strategy, StrategyTransition, StrategyVersion
from tests import factories
from tests.conftest import client_for
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db

S = Strategy.Status
ALLOWED = [(a, b) for a, targets in lifecycle.ALLOWED.items() for b in targets]
REFUSED = [
    (a, b) for a, b in itertools.product(S.values, S.values) if (a, b) not in ALLOWED
]


def _strategy_at(status, *, approved=False):
    strategy = factories.StrategyFactory()
    if approved:
        # Adoption and publication need a board's approval of this content.
        factories.approve_for_adoption(strategy)
    # Put the row at the starting status directly: the test is about the next move.
    Strategy.objects.filter(pk=strategy.pk).update(status=status)
    strategy.refresh_from_db()
    return strategy


@pytest.mark.parametrize("from_status, to_status", ALLOWED)
def test_each_allowed_transition_moves_the_strategy_and_records_who_and_when(
    from_status, to_status
):
    user = factories.UserFactory()
    strategy = _strategy_at(from_status, approved=to_status in lifecycle.GOVERNED)
    transition = services.strategy_transition(
        strategy=strategy, to_status=to_status, by=user, note="Minute 12/21"
    )
    strategy.refresh_from_db()
    assert strategy.status == to_status
    assert (transition.from_status, transition.to_status) == (from_status, to_status)
    assert transition.by == user and transition.at is not None
    assert transition.note == "Minute 12/21"


@pytest.mark.parametrize("from_status, to_status", REFUSED)
def test_each_other_transition_is_refused_and_changes_nothing(from_status, to_status):
    strategy = _strategy_at(from_status)
    with pytest.raises(ValidationError):
        services.strategy_transition(strategy=strategy, to_status=to_status)
    strategy.refresh_from_db()
    assert strategy.status == from_status
    assert not StrategyTransition.objects.filter(strategy=strategy).exists()


def test_sending_for_sign_off_and_publishing_freeze_a_version_each():
    strategy = factories.StrategyFactory()
    factories.PriorityFactory(strategy=strategy, title="Safer streets")
    publish(strategy)
    reasons = list(strategy.versions.order_by("number").values_list("reason", flat=True))
    assert reasons == [StrategyVersion.Reason.SIGN_OFF, StrategyVersion.Reason.PUBLICATION]
    assert strategy.versions.get(number=2).content["priorities"][0]["title"] == "Safer streets"


def test_starting_a_consultation_freezes_what_is_consulted_on_once():
    strategy = factories.StrategyFactory()
    services.strategy_transition(strategy=strategy, to_status="drafting")
    # Opening a consultation may freeze the version first; the step then reuses it.
    opened = services.version_create(strategy=strategy,
                                     reason=StrategyVersion.Reason.CONSULTATION)
    services.strategy_transition(strategy=strategy, to_status="consultation")
    assert list(strategy.versions.all()) == [opened]
    # Back to drafting, changed, and out to consultation again: a new version.
    services.strategy_transition(strategy=strategy, to_status="drafting")
    factories.PriorityFactory(strategy=strategy)
    services.strategy_transition(strategy=strategy, to_status="consultation")
    assert list(strategy.versions.values_list("reason", flat=True)) == [
        StrategyVersion.Reason.CONSULTATION, StrategyVersion.Reason.CONSULTATION
    ]


def test_publishing_a_new_strategy_supersedes_the_partnerships_previous_one(partnership):
    old = publish(factories.StrategyFactory(partnership=partnership))
    elsewhere = publish(factories.StrategyFactory())
    new = publish(factories.StrategyFactory(partnership=partnership))
    old.refresh_from_db()
    elsewhere.refresh_from_db()
    assert new.status == S.PUBLISHED
    assert old.status == S.SUPERSEDED
    assert old.transitions.last().note == f"Superseded by {new.title}."
    assert elsewhere.status == S.PUBLISHED


def test_the_lifecycle_panel_offers_only_the_allowed_next_steps(world):
    html = client_for(world.officer).get(world.strategy.get_absolute_url()).content.decode()
    for status, label in lifecycle.next_steps(S.DRAFTING):
        assert f'value="{status}"' in html and label in html
    assert 'value="published"' not in html


def test_an_officer_moves_the_strategy_with_a_note_from_its_page(world):
    client = client_for(world.officer)
    url = reverse("strategy:transition", args=[world.strategy.slug])
    response = client.post(url, {"to_status": "consultation", "note": "Agreed by Risk Board"})
    assert response.status_code == 302
    world.strategy.refresh_from_db()
    assert world.strategy.status == S.CONSULTATION
    last = world.strategy.transitions.last()
    assert last.by == world.officer and last.note == "Agreed by Risk Board"
    page = client.get(world.strategy.get_absolute_url()).content.decode()
    assert "Agreed by Risk Board" in page


def test_a_step_not_open_now_is_refused_from_the_page(world):
    client = client_for(world.officer)
    url = reverse("strategy:transition", args=[world.strategy.slug])
    response = client.post(url, {"to_status": "published"}, follow=True)
    world.strategy.refresh_from_db()
    assert world.strategy.status == S.DRAFTING
    assert "That step is not open to this strategy now." in response.content.decode()


def test_a_published_strategys_content_can_no_longer_change(published):
    priority = published.priorities.first()
    with pytest.raises(ValidationError):
        services.priority_update(priority=priority, title="Rewritten after publication")
    with pytest.raises(ValidationError):
        services.priority_create(strategy=published, title="Late addition")
    priority.refresh_from_db()
    assert priority.title != "Rewritten after publication"


def test_the_officer_is_sent_back_from_editing_a_published_strategy(published, officer):
    response = client_for(officer).get(reverse("strategy:edit", args=[published.slug]))
    assert response.status_code == 302
    assert response["Location"] == published.get_absolute_url()
