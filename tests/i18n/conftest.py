import pytest

from tests import factories
from tests.consultation.factories import open_consultation


@pytest.fixture
def welsh_partnership(db):
    return factories.PartnershipFactory(public_languages=["en-gb", "cy"])


@pytest.fixture
def english_partnership(db):
    return factories.PartnershipFactory()


@pytest.fixture
def welsh_consultation(welsh_partnership):
    return open_consultation(welsh_partnership, title="Have your say")


@pytest.fixture
def english_consultation(english_partnership):
    return open_consultation(english_partnership, title="Tell us")
