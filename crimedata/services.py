"""Writes of police recorded crime: the partnership's area, imports of
street-level files (counts only) and the measures that follow a series."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from crimedata.models import (
    ALL_CRIME,
    CRIME_TYPES,
    CrimeArea,
    CrimeCount,
    CrimeImport,
    CrimeSeriesLink,
)
from crimedata.streetfile import StreetFile
from partnerships.models import Partnership
from strategy import services as strategy_services
from strategy.models import Measure, Measurement

SOURCE = "police.uk street-level crime"


def _user(by):
    return by if by is not None and by.is_authenticated else None


# The area -------------------------------------------------------------------


def parse_lsoa_codes(text: str) -> list[str]:
    """Codes pasted one a line or separated by commas, spaces or
    semicolons, upper-cased, in the order given, without repeats."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        code = part.strip().strip("\"'").upper()
        if code:
            seen.setdefault(code, None)
    return list(seen)


@transaction.atomic
def crime_area_save(
    *, partnership: Partnership, lsoa_codes: list[str], population: int | None, by=None
) -> CrimeArea:
    area = CrimeArea.objects.select_for_update().filter(partnership=partnership).first()
    if area is None:
        area = CrimeArea(partnership=partnership)
    area.lsoa_codes = list(lsoa_codes)
    area.population = population
    area.updated_by = _user(by)
    area.full_clean()
    area.save()
    return area


# Imports --------------------------------------------------------------------


@dataclass
class ImportResult:
    imports: list[CrimeImport] = field(default_factory=list)
    measurements: MeasurementsResult | None = None


@transaction.atomic
def crime_import_save(*, partnership: Partnership, files: list[StreetFile], by=None
                      ) -> ImportResult:
    """Keep the counts of each file's month for the partnership, replacing
    what an earlier import of the same month kept, then bring the measures
    that follow a crime series up to date. All of it, or nothing."""
    # One import of a partnership at a time: a second waits here.
    area = CrimeArea.objects.select_for_update().filter(partnership=partnership).first()
    if area is None:
        raise ValidationError("Record the partnership's area before importing crime files.")
    months = [f.month for f in files]
    if len(set(months)) != len(months):
        raise ValidationError("Two of the files are for the same month: upload each month once.")
    result = ImportResult()
    for street in files:
        existing = CrimeCount.objects.filter(partnership=partnership, month=street.month)
        replaced = CrimeImport.objects.filter(partnership=partnership,
                                              month=street.month).exists()
        existing.delete()
        for crime_type, count in sorted(street.counts.items()):
            row = CrimeCount(partnership=partnership, month=street.month,
                             crime_type=crime_type, count=count)
            row.full_clean(validate_unique=False)
            row.save()
        log = CrimeImport(
            partnership=partnership, month=street.month, file_name=(street.name or "")[:200],
            rows_read=street.rows_read, rows_in_area=street.rows_in_area,
            replaced=replaced, imported_by=_user(by),
        )
        log.full_clean()
        log.save()
        result.imports.append(log)
    result.measurements = crime_measurements_update(partnership=partnership, by=by)
    return result


# Measures that follow a series ----------------------------------------------


@transaction.atomic
def crime_link_save(
    *, measure: Measure, crime_type: str, per_thousand: bool, by=None
) -> CrimeSeriesLink:
    link = CrimeSeriesLink.objects.filter(measure=measure).first() or CrimeSeriesLink(
        measure=measure, created_by=_user(by)
    )
    link.crime_type = crime_type
    link.per_thousand = per_thousand
    link.full_clean()
    link.save()
    return link


@transaction.atomic
def crime_link_remove(*, link: CrimeSeriesLink) -> None:
    """The measure stops following the series; the measurements written
    from it stay, as any recorded figure does."""
    link.delete()


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def period_months(frequency: str, month: dt.date) -> list[dt.date]:
    """The months of the period of `frequency` that `month` falls in:
    calendar quarters, and financial years (April to March) for annual
    measures, as strategy.performance counts periods."""
    if frequency == Measure.Frequency.MONTHLY:
        return [month]
    if frequency == Measure.Frequency.QUARTERLY:
        first = month.replace(month=3 * ((month.month - 1) // 3) + 1)
        return [add_months(first, i) for i in range(3)]
    first = dt.date(month.year if month.month >= 4 else month.year - 1, 4, 1)
    return [add_months(first, i) for i in range(12)]


def complete_periods(frequency: str, imported: set[dt.date]) -> list[list[dt.date]]:
    """Each period of `frequency` whose every month has been imported."""
    periods = {tuple(period_months(frequency, m)) for m in imported}
    return sorted(list(p) for p in periods if set(p) <= imported)


def months_label(months: list[dt.date]) -> str:
    first, last = months[0], months[-1]
    if first == last:
        return f"{first:%B %Y}"
    if first.year == last.year:
        return f"{first:%B} to {last:%B %Y}"
    return f"{first:%B %Y} to {last:%B %Y}"


@dataclass
class MeasurementsResult:
    written: int = 0
    unchanged: int = 0
    # Measures shown per 1,000 people while the area has no population.
    need_population: list[Measure] = field(default_factory=list)


def series_value(link: CrimeSeriesLink, months: list[dt.date],
                 counts: dict[tuple[dt.date, str], int], population: int | None
                 ) -> Decimal | None:
    types = CRIME_TYPES if link.crime_type == ALL_CRIME else [link.crime_type]
    total = sum(counts.get((m, t), 0) for m in months for t in types)
    if not link.per_thousand:
        return Decimal(total)
    if not population:
        return None
    return (Decimal(total) * 1000 / Decimal(population)).quantize(Decimal("0.01"))


@transaction.atomic
def crime_measurements_update(*, partnership: Partnership, by=None) -> MeasurementsResult:
    """Write the measurements of every measure of the partnership that
    follows a crime series, for each complete period on or after the
    measure's baseline date, through the strategy's measurement services
    (so each change is in the measurement's history like a typed figure)."""
    result = MeasurementsResult()
    links = list(
        CrimeSeriesLink.objects.filter(
            measure__objective__priority__strategy__partnership=partnership
        ).select_related("measure")
    )
    if not links:
        return result
    imported = CrimeImport.objects.months_for(partnership)
    counts = {
        (month, crime_type): n
        for month, crime_type, n in CrimeCount.objects.filter(partnership=partnership)
        .values_list("month", "crime_type", "count")
    }
    area = CrimeArea.objects.filter(partnership=partnership).first()
    population = area.population if area else None
    existing = {
        (m.measure_id, m.period_end): m
        for m in Measurement.objects.filter(measure__in=[link.measure for link in links])
    }
    for link in links:
        measure = link.measure
        if link.per_thousand and not population:
            result.need_population.append(measure)
            continue
        for months in complete_periods(measure.frequency, imported):
            period_end = month_end(months[-1])
            if period_end < measure.baseline_date:
                continue
            value = series_value(link, months, counts, population)
            note = f"From {SOURCE}: {link.series_label}, {months_label(months)}."
            found = existing.get((measure.pk, period_end))
            if found is None:
                strategy_services.measurement_create(
                    measure=measure, period_end=period_end, value=value, note=note, by=by
                )
                result.written += 1
            elif found.value != value or found.note != note:
                strategy_services.measurement_update(
                    measurement=found, period_end=period_end, value=value, note=note, by=by
                )
                result.written += 1
            else:
                result.unchanged += 1
    return result
