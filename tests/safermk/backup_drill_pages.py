"""What every page of the demo answers, for the backup and restore drill.

Run in a process of its own against the database in DATABASE_URL:

    python -m tests.safermk.backup_drill_pages --samples
    python -m tests.safermk.backup_drill_pages OUT.json [BODIES_FOLDER]

It writes {"<user> <url>": [status, sha256 of the body]} for every URL of
tests/urlwalk.py, fetched by someone not signed in and by each demo user
named in USERS. CSRF tokens and CSP nonces change with every request, so
they are blanked before hashing; everything else must be byte for byte the
same after a restore.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

# Their samples make a new row in every process (the invitation's token is
# known only when it is made), or a new signed link whose signature carries
# the time it was made (following by e-mail, answers saved for later), so
# the page has a new address each time and could never answer as before.
# Those pages have their own tests.
SKIP_ARGS = {
    "invitation", "invitation_token", "confirm_token", "unsubscribe_token", "saved_token",
}
USERS = [None, "officer", "chair", "manager"]

_VOLATILE = [
    (re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*'), rb"\1"),
    (re.compile(rb'(name="csrf-token" content=")[^"]*'), rb"\1"),
    (re.compile(rb'(nonce=")[^"]*'), rb"\1"),
    # A form's one-time token against submitting twice.
    (re.compile(rb'(name="token" value=")[^"]*'), rb"\1"),
    # The idle sign-out countdown, and the moment a calendar feed was made.
    (re.compile(rb'(data-remaining-seconds=")[^"]*'), rb"\1"),
    (re.compile(rb'("remaining": )\d+'), rb"\1"),
    (re.compile(rb"DTSTAMP:\d{8}T\d{6}Z"), rb"DTSTAMP:"),
    # Consultation charts take a random id on each render.
    (re.compile(rb"chart-[0-9a-f]{10}(?![0-9a-f])"), rb"chart-"),
    # The audit log lists the drill's own page views, stamped to the second.
    (re.compile(rb"\d{1,2} \w{3} \d{4}, \d{2}:\d{2}:\d{2}"), rb"(time)"),
]


def body_hash(content: bytes, content_type: str = "") -> str:
    if "spreadsheetml" in content_type:
        return _workbook_hash(content)
    for pattern, replacement in _VOLATILE:
        content = pattern.sub(replacement, content)
    return hashlib.sha256(content).hexdigest()


def _workbook_hash(content: bytes) -> str:
    """A spreadsheet's cells: the file itself carries the moment it was made."""
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    cells = [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]
    return hashlib.sha256(repr(cells).encode()).hexdigest()


def record(bodies: Path | None = None) -> dict[str, list]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from partnerships.models import Partnership
    from tests.urlwalk import _walk, get_resolver

    demo = Partnership.objects.get(slug="safermk")
    skipped = {
        name for name, pattern in _walk(get_resolver())
        if SKIP_ARGS & set(pattern.pattern.converters)
    }
    urls = [url for _name, url in _urls_without(demo, skipped)]
    answers: dict[str, list] = {}
    for username in USERS:
        client = Client()
        if username:
            client.force_login(get_user_model().objects.get(username=username))
        for url in urls:
            response = client.get(url)
            content = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            key = f"{username or 'anonymous'} {url}"
            if bodies is not None:
                # Kept to compare by eye when the drill finds a difference.
                name = hashlib.sha256(key.encode()).hexdigest()[:16]
                (bodies / name).write_bytes(key.encode() + b"\n" + content)
            answers[key] = [
                response.status_code, body_hash(content, response.get("Content-Type", "")),
            ]
    return answers


def _urls_without(partnership, skipped: set[str]) -> list[tuple[str, str]]:
    from tests import urlwalk

    kept = {}
    original = urlwalk.SAMPLE_ARGS
    # Placeholders for the skipped patterns' arguments: their URLs are dropped.
    urlwalk.SAMPLE_ARGS = {**original, **{arg: (lambda p: 1) for arg in SKIP_ARGS}}
    try:
        for name, url in urlwalk.all_urls(partnership):
            if name not in skipped:
                kept[name] = url
    finally:
        urlwalk.SAMPLE_ARGS = original
    return sorted(kept.items())


def make_samples() -> None:
    """Make the rows that pages and URL samples make on first use (each
    user's calendar token, a request for another format): run before the
    backup, so they are in it."""
    from django.contrib.auth import get_user_model

    from milestones.services import calendar_token_get_or_create
    from partnerships.models import Partnership

    _urls_without(Partnership.objects.get(slug="safermk"), set())
    for user in get_user_model().objects.filter(username__in=USERS):
        calendar_token_get_or_create(user=user)


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safermk.settings")
    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, mail kept in memory
    if sys.argv[1] == "--samples":
        make_samples()
        sys.exit()
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
    Path(sys.argv[1]).write_text(json.dumps(record(folder), indent=1, sort_keys=True))
