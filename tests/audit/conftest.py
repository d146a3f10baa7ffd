import pytest

from tests import factories


@pytest.fixture
def administrator(partnership):
    return factories.AdministratorFactory(partnership=partnership).user


@pytest.fixture
def other_administrator(other_partnership):
    return factories.AdministratorFactory(partnership=other_partnership).user


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_superuser=True, is_staff=True)
