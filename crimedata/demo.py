"""The demo partnership's police recorded crime: an illustrative area and
two years of generated monthly counts (not real figures), so the counts page
and the strategic assessment's evidence have something to show. No measure
follows a series, so the demo's performance figures stay as loaded."""

from __future__ import annotations

import datetime as dt
import random

from crimedata import services
from crimedata.models import CrimeImport, CrimeType
from crimedata.streetfile import StreetFile
from partnerships.models import Partnership

MONTHS = 24
# Typical monthly counts for a town of about 290,000 people.
TYPICAL = {
    CrimeType.ANTI_SOCIAL_BEHAVIOUR: 420, CrimeType.BICYCLE_THEFT: 45, CrimeType.BURGLARY: 140,
    CrimeType.CRIMINAL_DAMAGE_AND_ARSON: 190, CrimeType.DRUGS: 60, CrimeType.OTHER_CRIME: 40,
    CrimeType.OTHER_THEFT: 230, CrimeType.POSSESSION_OF_WEAPONS: 25,
    CrimeType.PUBLIC_ORDER: 210, CrimeType.ROBBERY: 30, CrimeType.SHOPLIFTING: 260,
    CrimeType.THEFT_FROM_THE_PERSON: 20, CrimeType.VEHICLE_CRIME: 170,
    CrimeType.VIOLENCE_AND_SEXUAL_OFFENCES: 920,
}


def load(partnership: Partnership, today: dt.date) -> None:
    """The 24 months to the one before last (police.uk publishes a month's
    file some weeks after it ends). Safe to repeat: months already there
    are left as they are."""
    latest = services.add_months(today.replace(day=1), -2)
    months = [services.add_months(latest, -i) for i in range(MONTHS - 1, -1, -1)]
    if not partnership.crime_imports.exists():
        services.crime_area_save(
            partnership=partnership,
            lsoa_codes=[f"E0101{n:04d}" for n in range(6700, 6866)],
            population=287_000,
        )
    have = CrimeImport.objects.months_for(partnership)
    files = []
    for month in months:
        if month in have:
            continue
        generator = random.Random(month.toordinal())
        counts = {str(t): max(0, round(n * generator.uniform(0.85, 1.15)))
                  for t, n in TYPICAL.items()}
        in_area = sum(counts.values())
        files.append(StreetFile(
            name=f"{month:%Y-%m}-demo-street.csv", month=month, rows_read=in_area * 6,
            rows_in_area=in_area, falls_within="Demo Police", counts=counts,
        ))
    if files:
        services.crime_import_save(partnership=partnership, files=files)
