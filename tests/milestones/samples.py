"""Sample URL arguments from the demo partnership, for tests/urlwalk.py."""

from __future__ import annotations

from milestones.models import Milestone, SignOffRequest
from milestones.services import calendar_token_get_or_create
from strategy.models import Strategy


def sample(arg: str, partnership):
    if arg == "strategy":
        # A published strategy, so that its public approvals page opens.
        return Strategy.objects.public().filter(partnership=partnership).first().slug
    if arg == "milestone":
        return Milestone.objects.filter(partnership=partnership).first().pk
    if arg == "signoff":
        return SignOffRequest.objects.pending().filter(partnership=partnership).first().pk
    if arg == "feed_token":
        from django.contrib.auth import get_user_model

        officer = get_user_model().objects.get(username="officer")
        return calendar_token_get_or_create(user=officer).token
    if arg == "plan_template":
        # The partnership's own template, so that its edit pages open.
        return _own_template(partnership).pk
    if arg == "step":
        return _own_template(partnership).steps.order_by("order", "pk").first().pk
    raise KeyError(arg)


def _own_template(partnership):
    from milestones.models import MilestoneTemplate

    return MilestoneTemplate.objects.filter(partnership=partnership).order_by("pk").first()
