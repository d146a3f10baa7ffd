"""Whose brand a page wears: the partnership the page is about, or the
installation's when it is about none (the home page, lists across partnerships,
sign-in)."""

from __future__ import annotations

from django import forms, template

from partnerships.models import Partnership, hex_colour

register = template.Library()

# Context names that carry the page's partnership, directly, as an attribute,
# or through related objects the view already loaded (a sign-off's strategy, a
# measurement's measure's objective's priority's strategy...).
_CARRIERS = (
    "partnership", "strategy", "consultation", "assessment", "board", "report",
    "signoff", "milestone", "plan", "measure", "measurement", "priority", "objective",
    "section", "question", "theme", "line", "invitation", "form",
)
_DEPTH = 6


def _partnership_of(value, depth: int = _DEPTH) -> Partnership | None:
    if isinstance(value, Partnership):
        # One being added (not saved yet) has no pages to wear its brand.
        return value if value.pk is not None else None
    if depth == 0 or value is None:
        return None
    if isinstance(value, forms.BaseForm):
        # A form made for one partnership says so, or its instance does.
        own = getattr(value, "partnership", None)
        if isinstance(own, Partnership):
            return own
        return _partnership_of(getattr(value, "instance", None), depth - 1)
    # Only what the view already loaded: a page never pays a query for its brand.
    cached = getattr(getattr(value, "_state", None), "fields_cache", None)
    if not cached:
        return None
    found = cached.get("partnership")
    if isinstance(found, Partnership) and found.pk is not None:
        return found
    for related in cached.values():
        if related is not None and not isinstance(related, (list, tuple)):
            found = _partnership_of(related, depth - 1)
            if found is not None:
                return found
    return None


@register.simple_tag(takes_context=True)
def page_partnership(context) -> Partnership | None:
    for name in _CARRIERS:
        found = _partnership_of(context.get(name))
        if found is not None:
            return found
    return None


@register.filter
def safe_colour(value, fallback: str = "#1d5c63") -> str:
    """A colour fit to put inside a style element: #rrggbb or the fallback."""
    return value if isinstance(value, str) and hex_colour.regex.fullmatch(value) else fallback
