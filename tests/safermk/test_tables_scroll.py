"""Every table on a page sits in its own labelled, focusable scroll region
(`.smk-table-scroll`), so a wide table scrolls by itself at 320 px instead of
the whole page scrolling sideways (WCAG 1.4.10 reflow). The PDFs' tables
(paged media, no scrolling) and the admin's are left as they are."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NOT_PAGES = {
    "documents/strategy_pdf.html",  # the strategy PDF
    "documents/includes/report_body.html",  # the partnership report PDF
    "documents/performance_report_pdf.html",  # the quarterly performance report PDF
    "documents/includes/status_counts.html",  # its counts tables
    "bench/rows.html",  # a benchmark floor, never shown to people
    "simple_history/object_history_list.html",  # the admin's
}


def test_every_table_of_a_page_is_in_a_labelled_scroll_region():
    unwrapped = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_PAGES:
            continue
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            before = text[: match.start()].rstrip().splitlines()[-1]
            if not re.search(r'class="smk-table-scroll" role="region" aria-label', before):
                unwrapped.append(f"{name}: line {text[: match.start()].count(chr(10)) + 1}")
    assert not unwrapped, "Tables outside a scroll region: " + ", ".join(unwrapped)
