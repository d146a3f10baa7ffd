"""Documents beside the draft: checking an upload, keeping it, removing it.

The type of a file is read from its content (its first bytes and, for a
Word document, the parts inside it), never from its name or the type the
browser gave. Pictures are re-encoded, as the partnership logo is, so only
the picture is kept (no location or camera details, nothing hidden).
"""

from __future__ import annotations

import io
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from audit.models import Action as AuditAction
from audit.services import audit_record
from consultation.models import Consultation, Document

# Checked from the image's header before its pixels are decoded.
IMAGE_MAX_PIXELS = 40_000_000

ACCEPTED = "a PDF, a Word document (.docx), or a PNG or JPEG image"


def max_bytes() -> int:
    return settings.CONSULTATION_DOCUMENT_MAX_BYTES


def max_size_label() -> str:
    size = max_bytes()
    if size >= 1_000_000:
        return f"{size / 1_000_000:g} MB"
    return f"{size / 1000:g} KB"


def _too_big() -> ValidationError:
    return ValidationError(
        {"file": f"The file is too big: choose one of {max_size_label()} or smaller"}
    )


def _wrong_type() -> ValidationError:
    return ValidationError({"file": f"The file must be {ACCEPTED}"})


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return False
    # A document with macros (a .docm renamed) holds word/vbaProject.bin.
    return ("word/document.xml" in names and "[Content_Types].xml" in names
            and not any(name.lower().endswith("vbaproject.bin") for name in names))


def kind_of(data: bytes) -> str | None:
    """The kind of document the bytes are, by their content, or None."""
    if data.startswith(b"%PDF-"):
        return Document.Kind.PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Document.Kind.PNG
    if data.startswith(b"\xff\xd8\xff"):
        return Document.Kind.JPEG
    if data.startswith(b"PK\x03\x04") and _is_docx(data):
        return Document.Kind.DOCX
    return None


def _clean_image(data: bytes, kind: str) -> bytes:
    """The picture alone, re-encoded in its own format."""
    from PIL import Image, UnidentifiedImageError

    fmt = "PNG" if kind == Document.Kind.PNG else "JPEG"
    try:
        with Image.open(io.BytesIO(data)) as checked:
            if checked.format != fmt:
                raise _wrong_type()
            width, height = checked.size
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError({"file": f"The image is {width} × {height} pixels: "
                                               "choose a smaller one"})
            checked.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            if fmt == "PNG":
                mode = "RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB"
            else:
                mode = "L" if image.mode == "L" else "RGB"
            picture = image.convert(mode)
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError({"file": "The image is too large: choose a smaller one"}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _wrong_type() from None
    out = io.BytesIO()
    if fmt == "PNG":
        picture.save(out, format="PNG", optimize=True)
    else:
        picture.save(out, format="JPEG", quality=90, optimize=True)
    return out.getvalue()


def checked_upload(upload) -> tuple[str, bytes]:
    """(kind, bytes to keep) for an uploaded file, or a ValidationError on
    the field "file" that says what to do."""
    limit = max_bytes()
    size = getattr(upload, "size", None) or 0
    if size > limit:
        raise _too_big()
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _too_big()
    if not data:
        raise ValidationError({"file": f"The file is empty: choose {ACCEPTED}"})
    kind = kind_of(data)
    if kind is None:
        raise _wrong_type()
    if kind in (Document.Kind.PNG, Document.Kind.JPEG):
        data = _clean_image(data, kind)
    return kind, data


def _storage_name(consultation: Consultation, kind: str) -> str:
    token = secrets.token_urlsafe(18)
    return (f"consultation-documents/{consultation.partnership_id}/{consultation.pk}/"
            f"{token}.{Document.EXTENSIONS[kind]}")


def document_add(*, consultation: Consultation, title: str, description: str, upload,
                 by=None) -> Document:
    kind, data = checked_upload(upload)
    document = Document(consultation=consultation, title=title, description=description,
                        kind=kind, size=len(data), added_by=by)
    document.file.name = "pending"
    document.full_clean(exclude=["file"])
    name = default_storage.save(_storage_name(consultation, kind), ContentFile(data))
    try:
        with transaction.atomic():
            document.file.name = name
            document.save()
            audit_record(
                action=AuditAction.DOCUMENT,
                summary=f"Added the document “{title}” to {consultation.title}",
                partnership=consultation.partnership_id, actor=by, target=document,
                detail={"consultation": consultation.pk, "kind": kind, "size": len(data),
                        "change": "added"},
            )
    except Exception:
        default_storage.delete(name)
        raise
    return document


def document_update(*, document: Document, title: str, description: str) -> Document:
    document.title = title
    document.description = description
    document.full_clean()
    document.save(update_fields=["title", "description"])
    return document


def document_remove(*, document: Document, by=None) -> None:
    consultation = document.consultation
    name = document.file.name
    with transaction.atomic():
        audit_record(
            action=AuditAction.DOCUMENT,
            summary=f"Removed the document “{document.title}” from {consultation.title}",
            partnership=consultation.partnership_id, actor=by, target=document,
            detail={"consultation": consultation.pk, "kind": document.kind,
                    "change": "removed"},
        )
        document.delete()
        transaction.on_commit(lambda: default_storage.delete(name))
