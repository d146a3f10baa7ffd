"""Measurements by the file: download the measures a person may update as a
spreadsheet, upload it filled in, check every row and save them all on
confirmation (strategy/perfdata.py does the work)."""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from strategy import perfdata
from strategy.forms import GovForm
from strategy.views import _get_strategy_for_user

# How long an uploaded file waits for confirmation.
PREVIEW_SECONDS = 60 * 60


class UploadForm(GovForm, forms.Form):
    file = forms.FileField(
        label="Upload the filled-in spreadsheet",
        help_text="The XLSX or CSV file you downloaded, 2 MB or smaller, with a period end "
        "date and a value in each row you fill in. Rows left blank are ignored.",
        error_messages={
            "required": "Choose the spreadsheet to upload",
            "empty": "The file is empty: choose the spreadsheet you filled in",
            "invalid": "Choose the spreadsheet to upload",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > perfdata.MAX_BYTES:
            raise forms.ValidationError("The file must be 2 MB or smaller")
        try:
            self.rows = perfdata.read_upload(upload.read(perfdata.MAX_BYTES + 1))
        except perfdata.UploadError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


def _strategy_for_upload(request, slug: str):
    """The strategy, for someone who may update at least one of its measures:
    another partnership's people are told it does not exist (404), the
    partnership's people who may update none are refused (403)."""
    strategy = _get_strategy_for_user(request, slug)
    measures = perfdata.updatable_measures(request.access, strategy)
    if not measures:
        raise PermissionDenied("You cannot update any measure of this strategy.")
    return strategy, measures


def _key(request, strategy) -> str:
    return f"strategy:perf-upload:{request.user.pk}:{strategy.pk}"


@login_required
def perf_upload(request, strategy: str):
    strategy, measures = _strategy_for_upload(request, strategy)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        cache.set(_key(request, strategy),
                  {"token": secrets.token_urlsafe(16), "rows": form.rows,
                   "name": form.cleaned_data["file"].name[:200]},
                  PREVIEW_SECONDS)
        return redirect("strategy:perf_check", strategy.slug)
    return render(request, "strategy/perf_upload.html", {
        "strategy": strategy, "form": form, "measure_count": len(measures),
    })


def _download(request, slug: str, extension: str) -> HttpResponse:
    strategy, measures = _strategy_for_upload(request, slug)
    rows = perfdata.sheet_rows(measures)
    if extension == "xlsx":
        body = perfdata.as_xlsx(rows, f"{strategy.title} – measurements")
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = perfdata.as_csv(rows)
        kind = "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="{perfdata.file_name(strategy, extension)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def perf_download_xlsx(request, strategy: str):
    return _download(request, strategy, "xlsx")


@login_required
def perf_download_csv(request, strategy: str):
    return _download(request, strategy, "csv")


@login_required
def perf_check(request, strategy: str):
    strategy, _ = _strategy_for_upload(request, strategy)
    key = _key(request, strategy)
    upload_url = reverse("strategy:perf_upload", args=[strategy.slug])
    stored = cache.get(key)
    if request.method == "POST":
        token = request.POST.get("token", "")
        # Only the first confirmation of an upload goes on: the stored upload
        # is taken away before saving, so a second click finds nothing.
        if not stored or not secrets.compare_digest(stored["token"].encode(), token.encode()) \
                or not cache.delete(key):
            messages.info(request, "That upload has already been saved or has expired: "
                          "check the figures, and upload the file again if needed.")
            return redirect(strategy.get_absolute_url())
        try:
            counts = perfdata.apply_rows(stored["rows"], access=request.access,
                                         strategy=strategy, by=request.user)
        except perfdata.RowsChanged:
            messages.error(request, "Nothing was saved: the figures changed since the file "
                           "was checked. Upload it again to see what is wrong.")
            return redirect(upload_url)
        saved = counts[perfdata.NEW] + counts[perfdata.CHANGED]
        messages.success(request, f"{saved} measurement{'s' if saved != 1 else ''} saved "
                         f"({counts[perfdata.NEW]} new, {counts[perfdata.CHANGED]} changed).")
        return redirect(strategy.get_absolute_url())
    if not stored:
        messages.info(request, "Upload a filled-in spreadsheet to check it.")
        return redirect(upload_url)
    rows = perfdata.check_rows(stored["rows"], access=request.access, strategy=strategy)
    counts = perfdata.summary(rows)
    return render(request, "strategy/perf_check.html", {
        "strategy": strategy, "rows": rows, "counts": counts, "token": stored["token"],
        "file_name": stored["name"], "upload_url": upload_url,
        "can_save": not counts[perfdata.WRONG] and (counts[perfdata.NEW]
                                                   or counts[perfdata.CHANGED]),
    })
