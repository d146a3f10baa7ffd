"""Links for the rows of a long list, without a reverse() per row."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_MARKER = "slug-goes-here"


def slug_link(name: str) -> Callable[[str], str]:
    """The address of the URL `name`, which takes one slug, for any slug:
    reversed once, then filled in. A slug (letters, digits, hyphens and
    underscores) needs no quoting in a path."""
    head, tail = reverse(name, args=[_MARKER]).split(_MARKER)
    return lambda slug: f"{head}{slug}{tail}"
