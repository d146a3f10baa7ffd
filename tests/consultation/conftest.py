import pytest

from tests.browser.conftest import browser  # noqa: F401 - the browser journeys' fixture


@pytest.fixture
def superuser(db):
    from tests import factories

    return factories.UserFactory(is_superuser=True, is_staff=True)
