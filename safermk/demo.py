"""Loads the SaferMK demo: each app loads its own part, in dependency order."""

from __future__ import annotations

from django.db import transaction

from consultation import demo as consultation_demo
from documents import demo as documents_demo
from milestones import demo as milestones_demo
from partnerships import demo as partnerships_demo
from reminders import demo as reminders_demo
from strategy import demo as strategy_demo


@transaction.atomic
def load_all() -> None:
    partnership = partnerships_demo.load()
    strategies = strategy_demo.load(partnership)
    # The 2021-22 consultation ran on the draft before the boards signed the
    # final draft off, so it loads before the governance record.
    consultation_demo.load(strategies["strategy_2022"])
    milestones_demo.load(strategies["strategy_2022"])
    documents_demo.load(strategies)
    reminders_demo.load(partnership)
