import pytest
from django.core.cache import cache

from tests.browser.conftest import browser  # noqa: F401 - the browser journeys' fixture


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
