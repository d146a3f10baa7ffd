"""Builds many milestones quickly, for the scale test and the benchmark."""

from __future__ import annotations

import datetime as dt
import random

from milestones.models import Milestone


def make_milestones(*, partnership, owner, count: int, today: dt.date, seed: int = 1) -> int:
    """`count` milestones over ten years around `today`, nine in ten done,
    plus none due in the scan window. Returns how many are open and in the
    window (-28 to +14 days), i.e. what the scan must read."""
    rng = random.Random(seed)
    rows = []
    in_window = 0
    for i in range(count):
        due = today + dt.timedelta(days=rng.randint(-1825, 1825))
        done = rng.random() < 0.9
        if not done and -28 <= (due - today).days <= 14:
            in_window += 1
        rows.append(
            Milestone(
                partnership=partnership,
                owner=owner,
                title=f"Milestone {i}",
                kind=Milestone.Kind.DISCUSSION,
                due_date=due,
                status=Milestone.Status.DONE if done else Milestone.Status.PLANNED,
            )
        )
    Milestone.objects.bulk_create(rows, batch_size=2000)
    return in_window
