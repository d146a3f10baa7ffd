"""Every model of the product is either in a partnership's archive or left
out on purpose, with the reason in archive/kinds.py: a new model cannot be
forgotten silently."""

from django.apps import apps

from archive.kinds import KIND_BY_MODEL, LEFT_OUT, RESPONSIBILITY_MODEL

PRODUCT_APPS = {
    "accessibility", "archive", "audit", "consultation", "dashboard", "documents",
    "milestones", "partnerships", "reminders", "reviews", "strategy", "subscriptions",
    "safermk", "crimedata",
}


def test_every_model_is_archived_or_left_out_on_purpose():
    undecided = []
    for model in apps.get_models():
        if model._meta.app_label not in PRODUCT_APPS or model.__name__.startswith("Historical"):
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        if model in KIND_BY_MODEL or label in LEFT_OUT or model is RESPONSIBILITY_MODEL:
            continue
        undecided.append(label)
    assert not undecided, f"Add to archive.kinds.KINDS or LEFT_OUT: {undecided}"


def test_nothing_is_both_archived_and_left_out():
    archived = {f"{m._meta.app_label}.{m.__name__}" for m in KIND_BY_MODEL}
    assert not archived & LEFT_OUT
    for label in LEFT_OUT:
        apps.get_model(label)  # a name that no longer exists fails here
