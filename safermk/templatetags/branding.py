"""Whose brand a page wears: the partnership the page is about, or the
installation's when it is about none (the home page, lists across partnerships,
sign-in)."""

from __future__ import annotations

import re

from django import template

from partnerships.models import Partnership

register = template.Library()

# Context names that carry the page's partnership, directly or as an attribute.
_CARRIERS = ("partnership", "strategy", "consultation", "assessment", "board", "report")
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def _partnership_of(value) -> Partnership | None:
    if isinstance(value, Partnership):
        return value
    # Only what the view already loaded: a page never pays a query for its brand.
    cached = getattr(getattr(value, "_state", None), "fields_cache", {})
    found = cached.get("partnership")
    return found if isinstance(found, Partnership) else None


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
    return value if isinstance(value, str) and _HEX.match(value) else fallback
