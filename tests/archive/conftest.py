import pytest

# The backup drill's scratch PostgreSQL database: the installation an
# archive is imported into.
from tests.safermk.test_backup_restore import scratch_database  # noqa: F401


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Archives and PDFs are written under a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def administrator(partnership):
    from tests import factories

    return factories.AdministratorFactory(partnership=partnership).user


@pytest.fixture
def other_administrator(other_partnership):
    from tests import factories

    return factories.AdministratorFactory(partnership=other_partnership).user
