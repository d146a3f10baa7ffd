"""What the automated tests prove about accessibility: the figures every
partnership's accessibility statement gives.

Each figure is asserted by the test named beside it, so a statement can never
claim more (or other) than the tests check: a new checker version with more
rules fails those tests until the figure here is brought up to date.
"""

from __future__ import annotations

# axe-core, run in headless Chromium on the pages of each journey
# (tests/browser/conftest.py). Asserted against the vendored script and the
# tags it is run with by tests/safermk/test_accessibility_statement.py.
AXE_VERSION = "4.14.1"
AXE_STANDARDS = "WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices"

# PDF/UA checkers, run on every kind of PDF the product makes: the demo's
# strategy and partnership reports and a strategy of over 40 pages
# (tests/documents/test_pdf_accessibility.py asserts each figure).
PDF_UA_PART = 1
PAGE_VALIDATION_RULES = 104
OUTLOUD_RULES = 91
SYNTHETIC_STRATEGY_MIN_PAGES = 40
