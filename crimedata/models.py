"""Police recorded crime for a partnership's area, from the monthly
street-level files police.uk publishes.

Only counts are kept: for each partnership, month and crime type, how many
of the file's rows fell in the partnership's area (its list of LSOAs). The
rows themselves (locations, crime IDs, outcomes) are read once and never
stored. Writes go through crimedata.services.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from partnerships.models import Partnership
from strategy.models import Measure

# An LSOA (2011 or 2021 census) in England (E01) or Wales (W01).
LSOA_PATTERN = re.compile(r"^[EW]01\d{6}$")


class CrimeType(models.TextChoices):
    """The crime types police.uk uses in its street-level files."""

    ANTI_SOCIAL_BEHAVIOUR = "Anti-social behaviour", "Anti-social behaviour"
    BICYCLE_THEFT = "Bicycle theft", "Bicycle theft"
    BURGLARY = "Burglary", "Burglary"
    CRIMINAL_DAMAGE_AND_ARSON = "Criminal damage and arson", "Criminal damage and arson"
    DRUGS = "Drugs", "Drugs"
    OTHER_CRIME = "Other crime", "Other crime"
    OTHER_THEFT = "Other theft", "Other theft"
    POSSESSION_OF_WEAPONS = "Possession of weapons", "Possession of weapons"
    PUBLIC_ORDER = "Public order", "Public order"
    ROBBERY = "Robbery", "Robbery"
    SHOPLIFTING = "Shoplifting", "Shoplifting"
    THEFT_FROM_THE_PERSON = "Theft from the person", "Theft from the person"
    VEHICLE_CRIME = "Vehicle crime", "Vehicle crime"
    VIOLENCE_AND_SEXUAL_OFFENCES = "Violence and sexual offences", "Violence and sexual offences"


# Anti-social behaviour is recorded as incidents, not crimes: "all crime"
# here is every other type, as police recorded crime statistics count it.
CRIME_TYPES = [t for t in CrimeType if t != CrimeType.ANTI_SOCIAL_BEHAVIOUR]
ALL_CRIME = "all"
ALL_CRIME_LABEL = "All crime (every type except anti-social behaviour)"


def lsoa_problems(codes: list[str]) -> list[str]:
    return [c for c in codes if not LSOA_PATTERN.match(c)]


class CrimeArea(models.Model):
    """The partnership's area as police.uk locates crimes: a list of LSOAs."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="crime_area"
    )
    lsoa_codes = models.JSONField(default=list)
    population = models.PositiveIntegerField(
        null=True, blank=True,
        help_text="The area's resident population, for rates per 1,000 people.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.partnership}: {len(self.lsoa_codes)} LSOAs"

    def clean(self) -> None:
        if not isinstance(self.lsoa_codes, list) or not self.lsoa_codes:
            raise ValidationError({"lsoa_codes": "Enter at least one LSOA code"})
        bad = lsoa_problems([str(c) for c in self.lsoa_codes])
        if bad:
            raise ValidationError({"lsoa_codes": bad_codes_message(bad)})
        if self.population == 0:
            raise ValidationError({"population": "The population must be 1 or more"})


def bad_codes_message(bad: list[str]) -> str:
    shown = ", ".join(f"“{c[:20]}”" for c in bad[:10])
    more = f" and {len(bad) - 10:,} more" if len(bad) > 10 else ""
    return (f"These are not LSOA codes: {shown}{more}. An LSOA code is E01 or W01 followed "
            "by 6 digits, like E01016932")


class CrimeCountQuerySet(models.QuerySet):
    def for_months(self, months: list[dt.date]):
        return self.filter(month__in=months)


class CrimeCount(models.Model):
    """How many crimes of one type police.uk located in the partnership's
    area in one month."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="crime_counts"
    )
    month = models.DateField(help_text="The first day of the month.")
    crime_type = models.CharField(max_length=60, choices=CrimeType.choices)
    count = models.PositiveIntegerField()

    objects = CrimeCountQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "month", "crime_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "month", "crime_type"], name="crime_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.crime_type} {self.month:%Y-%m} = {self.count}"


class CrimeImportQuerySet(models.QuerySet):
    def months_for(self, partnership: Partnership) -> set[dt.date]:
        """The months the partnership has imported (whatever their counts)."""
        return set(self.filter(partnership=partnership).values_list("month", flat=True))


class CrimeImport(models.Model):
    """The log of imports: who imported which month, from which file, when."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="crime_imports"
    )
    month = models.DateField(help_text="The first day of the month the file covers.")
    file_name = models.CharField(max_length=200)
    rows_read = models.PositiveIntegerField()
    rows_in_area = models.PositiveIntegerField()
    replaced = models.BooleanField(
        default=False, help_text="The month had been imported before and was replaced."
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    objects = CrimeImportQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.month:%Y-%m} from {self.file_name}"

    @property
    def rows_outside(self) -> int:
        return self.rows_read - self.rows_in_area


class CrimeSeriesLink(models.Model):
    """A performance measure that follows a crime series: its measurements
    are worked out from the imported counts, for each period of the
    measure's frequency whose months have all been imported."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="crime_series")
    crime_type = models.CharField(
        max_length=60,
        choices=[(ALL_CRIME, ALL_CRIME_LABEL), *CrimeType.choices],
    )
    per_thousand = models.BooleanField(
        "per 1,000 people", default=False,
        help_text="Divide the count by the area's population and multiply by 1,000.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure"]

    def __str__(self) -> str:
        return f"{self.measure} follows {self.series_label}"

    @property
    def series_label(self) -> str:
        label = self.get_crime_type_display()
        return f"{label}, per 1,000 people" if self.per_thousand else label
