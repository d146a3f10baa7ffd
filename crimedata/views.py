"""Pages of police recorded crime, for the partnership's officers only:
the area, imports of police.uk street-level files, the counts (as a page
and a CSV file) and the measures that follow a crime series.

Another partnership's people are told the pages do not exist (404); the
partnership's partner officers and board members are refused (403).
"""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from crimedata import services, tables
from crimedata.forms import AreaForm, LinkForm, UploadForm
from crimedata.models import CrimeArea, CrimeCount, CrimeImport, CrimeSeriesLink
from partnerships.access import get_partnership_for_user
from partnerships.forms import show_service_errors
from partnerships.models import Partnership

IMPORT_LOG_ROWS = 24


def _posted(request):
    return request.POST if request.method == "POST" else None


def _get_partnership_for_user(request, slug: str) -> Partnership:
    return get_partnership_for_user(request, slug, officer=True)


def _get_link_for_user(request, partnership: Partnership, pk) -> CrimeSeriesLink:
    return get_object_or_404(
        CrimeSeriesLink, measure_id=pk,
        measure__objective__priority__strategy__partnership=partnership,
    )


def _links(partnership: Partnership) -> list[CrimeSeriesLink]:
    return list(
        CrimeSeriesLink.objects.filter(
            measure__objective__priority__strategy__partnership=partnership
        ).select_related("measure__objective__priority__strategy")
        .order_by("measure__objective__priority__strategy__title", "measure__title", "pk")
    )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _measurements_message(request, result: services.MeasurementsResult | None) -> None:
    if result is None:
        return
    if result.written:
        messages.success(request, f"{_plural(result.written, 'measurement')} of the measures "
                                  "that follow a crime series written or updated.")
    for measure in result.need_population:
        messages.warning(request, f"“{measure.title}” is per 1,000 people: record the "
                                  "area's population to work it out.")


@login_required
@require_GET
def counts(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    area = CrimeArea.objects.filter(partnership=partnership).first()
    imported = tables.imported_months(partnership)
    window = tables.latest_window(imported)
    shown = [m for m in window if m in set(imported)]
    return render(request, "crimedata/counts.html", {
        "partnership": partnership,
        "area": area,
        "months": shown,
        "missing": [m for m in window if m not in set(imported)],
        "rows": tables.counts_table(partnership, shown) if shown else [],
        "imports": list(CrimeImport.objects.filter(partnership=partnership)
                        .select_related("imported_by")[:IMPORT_LOG_ROWS]),
        "links": _links(partnership),
    })


@login_required
def area(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    current = CrimeArea.objects.filter(partnership=partnership).first()
    form = AreaForm(_posted(request), initial=AreaForm.initial_for(current))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.crime_area_save(
                partnership=partnership, lsoa_codes=form.cleaned_data["lsoa_codes"],
                population=form.cleaned_data["population"], by=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"The area is saved: {_plural(len(saved.lsoa_codes), 'LSOA')}"
                                      ". Files imported from now on are counted for it.")
            return redirect("crimedata:counts", partnership.slug)
    return render(request, "crimedata/area.html", {
        "partnership": partnership, "form": form, "area": current,
    })


@login_required
def upload(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    current = CrimeArea.objects.filter(partnership=partnership).first()
    if current is None:
        messages.info(request, "Record the partnership's area first: imports count the rows "
                               "in its LSOAs.")
        return redirect("crimedata:area", partnership.slug)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None,
                      area=current)
    if posted and form.is_valid():
        try:
            result = services.crime_import_save(partnership=partnership,
                                                files=form.street_files, by=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            for log in result.imports:
                outside = log.rows_outside
                messages.success(
                    request,
                    f"{log.month:%B %Y} {'replaced' if log.replaced else 'imported'} from "
                    f"{log.file_name}: {_plural(log.rows_in_area, 'row')} in your area counted, "
                    f"{_plural(outside, 'row')} outside it ignored.",
                )
            _measurements_message(request, result.measurements)
            return redirect("crimedata:counts", partnership.slug)
    return render(request, "crimedata/upload.html", {
        "partnership": partnership, "form": form, "area": current,
    })


@login_required
@require_GET
def counts_csv(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Month", "Crime type", "Count"])
    for month, crime_type, n in (
        CrimeCount.objects.filter(partnership=partnership)
        .order_by("month", "crime_type").values_list("month", "crime_type", "count")
    ):
        writer.writerow([f"{month:%Y-%m}", crime_type, n])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{partnership.slug}-police-recorded-crime.csv"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def links(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    form = LinkForm(_posted(request), partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.crime_link_save(
                measure=form.cleaned_data["measure"], crime_type=form.cleaned_data["crime_type"],
                per_thousand=form.cleaned_data["per_thousand"], by=request.user,
            )
            result = services.crime_measurements_update(partnership=partnership,
                                                        by=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"“{link.measure.title}” now follows "
                                      f"{link.series_label}.")
            _measurements_message(request, result)
            return redirect("crimedata:links", partnership.slug)
    return render(request, "crimedata/links.html", {
        "partnership": partnership, "form": form, "links": _links(partnership),
        "area": CrimeArea.objects.filter(partnership=partnership).first(),
    })


@login_required
@require_POST
def link_remove(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    measure = request.POST.get("measure", "")
    if not measure.isdigit() or len(measure) > 18:
        messages.error(request, "Choose a measure that follows a crime series.")
        return redirect("crimedata:links", partnership.slug)
    link = _get_link_for_user(request, partnership, int(measure))
    title = link.measure.title
    services.crime_link_remove(link=link)
    messages.success(request, f"“{title}” no longer follows a crime series. Its measurements "
                              "so far are kept.")
    return redirect("crimedata:links", partnership.slug)


@login_required
@require_POST
def measurements_update(request, partnership):
    partnership = _get_partnership_for_user(request, partnership)
    result = services.crime_measurements_update(partnership=partnership, by=request.user)
    if not result.written and not result.need_population:
        messages.info(request, "The measures that follow a crime series are up to date.")
    _measurements_message(request, result)
    return redirect("crimedata:links", partnership.slug)
