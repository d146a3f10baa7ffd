"""Which names may appear in a partnership archive, for the writer and for
the import, which refuses anything else before it reads a byte of data."""

from __future__ import annotations

import re

_FILE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\-]*)*$")
_MEMBER = re.compile(r"^(README\.txt|manifest\.json|data/[a-z_]+\.json|csv/[a-z_]+\.csv)$")


def safe_file_name(name: str) -> bool:
    """A stored file's name that is relative, has no `..` and no odd characters."""
    return (
        bool(name) and len(name) <= 300 and _FILE.match(name) is not None
        and ".." not in name.split("/")
    )


def allowed_member(name: str) -> bool:
    if _MEMBER.match(name):
        return True
    return name.startswith("files/") and safe_file_name(name.removeprefix("files/"))
