import pytest

from crimedata import services
from tests.crimedata.files import OURS, THEIRS


@pytest.fixture
def area(partnership, officer):
    return services.crime_area_save(partnership=partnership, lsoa_codes=OURS,
                                    population=20_000, by=officer)


@pytest.fixture
def other_area(other_partnership, other_officer):
    return services.crime_area_save(partnership=other_partnership, lsoa_codes=THEIRS,
                                    population=None, by=other_officer)
