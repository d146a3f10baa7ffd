"""Documents beside the draft: officers add, edit and remove them; anyone
downloads those of a consultation that is no longer a draft.

Officers of the consultation's partnership only (partnerships.access):
another partnership's consultation is a 404, a partner officer or board
member of the same partnership a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from consultation import attachments
from consultation.document_forms import DocumentEditForm, DocumentForm
from consultation.models import Consultation, Document
from consultation.views.officers import _errors_to_form, _get_consultation_for_user


def _get_document_for_user(request, slug: str, pk: int) -> Document:
    consultation = _get_consultation_for_user(request, slug)
    document = get_object_or_404(Document, consultation=consultation, pk=pk)
    document.consultation = consultation
    return document


@login_required
@require_http_methods(["GET", "POST"])
def documents(request, consultation):
    consultation = _get_consultation_for_user(request, consultation)
    form = DocumentForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            attachments.document_add(
                consultation=consultation, title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                upload=form.cleaned_data["file"], by=request.user,
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Document added.")
            return redirect("consultation:documents", consultation.slug)
    return render(request, "consultation/officers/documents.html", {
        "consultation": consultation,
        "documents": list(consultation.documents.all()),
        "form": form,
    })


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, consultation, consultation_document):
    document = _get_document_for_user(request, consultation, consultation_document)
    consultation = document.consultation
    form = DocumentEditForm(
        request.POST if request.method == "POST" else None,
        initial={"title": document.title, "description": document.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            attachments.document_update(document=document, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Document saved.")
            return redirect("consultation:documents", consultation.slug)
    return render(request, "consultation/officers/document_form.html", {
        "consultation": consultation, "document": document, "form": form,
    })


@login_required
@require_POST
def document_remove(request, consultation, consultation_document):
    document = _get_document_for_user(request, consultation, consultation_document)
    attachments.document_remove(document=document, by=request.user)
    messages.success(request, "Document removed.")
    return redirect("consultation:documents", document.consultation.slug)


@require_GET
def document_file(request, consultation, consultation_document):
    """The file, for anyone once the consultation is scheduled; before that,
    for the partnership's officers only (anyone else: not found)."""
    document = get_object_or_404(
        Document.objects.select_related("consultation"),
        consultation__slug=consultation, pk=consultation_document,
    )
    draft = document.consultation.status == Consultation.Status.DRAFT
    if draft and not request.access.is_officer(document.consultation.partnership_id):
        raise Http404("No such document.")
    try:
        stored = default_storage.open(document.file.name, "rb")
    except FileNotFoundError:
        raise Http404("No such document.") from None
    response = FileResponse(
        stored, content_type=document.content_type,
        as_attachment=not document.is_image, filename=document.download_name,
    )
    if document.is_image:
        response["Content-Disposition"] = f'inline; filename="{document.download_name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store" if draft else "public, max-age=300"
    return response
