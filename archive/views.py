"""A partnership's data out, for its administrators: ask for an archive,
follow it being made, download it while it is kept.

Every view asks partnerships.access: someone outside the partnership gets
404, someone in it who is not one of its administrators 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from archive import services
from archive.models import PartnershipArchive
from partnerships.access import get_partnership_for_user

SHOWN = 20


def _get_archive_for_user(request, slug: str, pk: int) -> PartnershipArchive:
    partnership = get_partnership_for_user(request, slug, administrator=True)
    return get_object_or_404(
        PartnershipArchive.objects.select_related("partnership", "requested_by"),
        pk=pk, partnership=partnership,
    )


@login_required
@require_GET
def archive_list(request, partnership):
    partnership = get_partnership_for_user(request, partnership, administrator=True)
    archives = list(
        PartnershipArchive.objects.for_partnership(partnership)
        .select_related("requested_by")[:SHOWN]
    )
    return render(request, "archive/list.html", {
        "partnership": partnership,
        "archives": archives,
        "keep_days": settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS,
    })


@login_required
@require_POST
def archive_start(request, partnership):
    partnership = get_partnership_for_user(request, partnership, administrator=True)
    archive = services.archive_request(partnership=partnership, by=request.user, request=request)
    return redirect("archive:detail", partnership.slug, archive.pk)


@login_required
@require_GET
def archive_detail(request, partnership, archive):
    archive = _get_archive_for_user(request, partnership, archive)
    return render(request, "archive/detail.html", {
        "partnership": archive.partnership,
        "archive": archive,
        "keep_days": settings.PARTNERSHIP_ARCHIVE_KEEP_DAYS,
        "back_url": None,
    })


@login_required
@require_GET
def archive_download(request, partnership, archive):
    archive = _get_archive_for_user(request, partnership, archive)
    if not archive.is_ready:
        raise Http404("This archive is not ready or has been deleted.")
    try:
        handle = default_storage.open(archive.file.name, "rb")
    except FileNotFoundError as exc:
        raise Http404("This archive's file has been deleted.") from exc
    services.archive_download_record(archive=archive, by=request.user, request=request)
    response = FileResponse(handle, as_attachment=True,
                            filename=services.archive_filename(archive),
                            content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
