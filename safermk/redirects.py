"""Where to send someone back to after a form: only a page of this site."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, target: str) -> str:
    """`target` when it is a path on this site, else "". A relative name
    ("dashboard") would be taken for a view name by redirect(), and
    "/\\evil.example" is another site to a browser. Control and formatting
    characters are never part of a link of ours."""
    if target.startswith("/") and target.isprintable() and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return ""
