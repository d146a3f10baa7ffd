"""The Welsh catalogue is complete, and the compiled file is the one the
.po says (CI machines need no gettext: the .mo is committed)."""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO = Path(settings.BASE_DIR) / "locale" / "cy" / "LC_MESSAGES" / "django.po"


def _entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        msgid = "".join(re.findall(r'^msgid (".*"(?:\n".*")*)', block, re.M))
        yield block, msgid


def test_no_message_of_the_welsh_catalogue_is_untranslated_or_fuzzy():
    for block, _msgid in _entries():
        assert "#, fuzzy" not in block, block
        for value in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', block, re.M):
            assert value.strip() != '""', block


def test_the_compiled_catalogue_matches_the_po():
    for block, _ in _entries():
        if "msgid_plural" in block or "msgctxt" in block:
            continue
        msgid = _unquote(re.search(r'^msgid ((?:".*"\n?)+)', block, re.M).group(1))
        msgstr = _unquote(re.search(r'^msgstr ((?:".*"\n?)+)', block, re.M).group(1))
        with translation.override("cy"):
            assert translation.gettext(msgid) == msgstr, msgid


def test_dates_are_in_welsh():
    import datetime as dt

    from django.utils.formats import date_format

    with translation.override("cy"):
        assert "Mawrth" in date_format(dt.date(2027, 3, 1), "j F Y")


def _unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")
