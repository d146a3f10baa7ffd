"""Documents beside the draft: officers of the partnership add, change and
remove them; what is kept was checked by its content; anyone downloads those
of a consultation that is no longer a draft, with safe headers."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import Action, AuditEvent
from consultation import attachments, services
from consultation.models import Audience, Document
from safermk.uploads import OversizedUpload
from tests import factories
from tests.conftest import client_for
from tests.consultation.factories import open_consultation, schedule

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _docx(macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        if macros:
            archive.writestr("word/vbaProject.bin", b"macros")
    return out.getvalue()


def _image(fmt: str, exif: bool = False) -> bytes:
    image = Image.new("RGB", (40, 30), (10, 120, 200))
    out = io.BytesIO()
    save = {}
    if exif:
        data = Image.Exif()
        data[0x010E] = "Taken at 12 Secret Lane"
        save["exif"] = data.tobytes()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _draft(partnership):
    strategy = factories.StrategyFactory(partnership=partnership)
    factories.PriorityFactory(strategy=strategy)
    import datetime as dt

    from django.utils import timezone

    return services.consultation_create(
        strategy=strategy, title="Our draft plan", slug=f"draft-{strategy.pk}",
        summary="Tell us.", background="", opens_at=timezone.now() + dt.timedelta(days=2),
        closes_at=None, audiences=[Audience.PUBLIC],
    )


def _add(client, consultation, content, name="easy-read.pdf", title="Easy read version",
         description="The draft in short sentences with pictures.",
         content_type="application/pdf"):
    data = {"title": title, "description": description}
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("consultation:documents", args=[consultation.slug]), data)


@pytest.mark.parametrize("content,name,kind,content_type", ids=["pdf", "docx", "png", "jpeg"],
                         argvalues=[
    (PDF, "easy-read.pdf", "pdf", "application/pdf"),
    (_docx(), "large-print.docx", "docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (_image("PNG"), "map.png", "png", "image/png"),
    (_image("JPEG"), "map.jpg", "jpeg", "image/jpeg"),
])
def test_an_officer_adds_each_kind_of_document(content, name, kind, content_type,
                                               partnership, officer):
    consultation = open_consultation(partnership)
    response = _add(client_for(officer), consultation, content, name=name)

    assert response.status_code == 302
    document = Document.objects.get(consultation=consultation)
    assert document.kind == kind and document.content_type == content_type
    assert document.file.name.startswith(
        f"consultation-documents/{partnership.pk}/{consultation.pk}/")
    assert name.split(".")[0] not in document.file.name  # a random name, not the upload's
    assert default_storage.exists(document.file.name)
    assert document.size == default_storage.size(document.file.name)
    event = AuditEvent.objects.get(action=Action.DOCUMENT)
    assert event.partnership_id == partnership.pk and event.actor_id == officer.pk
    assert "Easy read version" in event.summary


def test_a_photo_loses_its_metadata(partnership, officer):
    consultation = open_consultation(partnership)
    sent = _image("JPEG", exif=True)
    assert Image.open(io.BytesIO(sent)).getexif()
    _add(client_for(officer), consultation, sent, name="photo.jpg", content_type="image/jpeg")

    document = Document.objects.get(consultation=consultation)
    with default_storage.open(document.file.name, "rb") as stored:
        kept = stored.read()
    assert b"Secret Lane" not in kept
    image = Image.open(io.BytesIO(kept))
    assert image.format == "JPEG" and image.size == (40, 30) and not image.getexif()


@pytest.mark.parametrize("content,name,content_type,message",
                         ids=["html-named-pdf", "not-a-zip", "macros", "broken-png", "empty"],
                         argvalues=[
    (b"<html><script>alert(1)</script></html>", "easy-read.pdf", "application/pdf",
     "The file must be a PDF, a Word document (.docx), or a PNG or JPEG image"),
    (b"PK\x03\x04not really a zip", "plan.docx", "application/octet-stream",
     "The file must be a PDF, a Word document (.docx), or a PNG or JPEG image"),
    (_docx(macros=True), "plan.docx", Document.CONTENT_TYPES["docx"],
     "The file must be a PDF, a Word document (.docx), or a PNG or JPEG image"),
    (b"\x89PNG\r\n\x1a\nbroken", "map.png", "image/png",
     "The file must be a PDF, a Word document (.docx), or a PNG or JPEG image"),
    (b"", "empty.pdf", "application/pdf", "The file is empty"),
])
def test_a_wrong_or_empty_file_is_refused_next_to_the_field(content, name, content_type,
                                                            message, partnership, officer):
    consultation = open_consultation(partnership)
    response = _add(client_for(officer), consultation, content, name=name,
                    content_type=content_type)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors["file"]
    assert "There is a problem" in response.content.decode()
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.DOCUMENT).exists()


def test_an_oversized_upload_gets_a_clear_page_and_nothing_is_kept(settings, monkeypatch,
                                                                   partnership, officer):
    settings.CONSULTATION_DOCUMENT_MAX_BYTES = 1_000
    settings.UPLOAD_MAX_BYTES = 1_000
    consultation = open_consultation(partnership)
    big = PDF + b"0" * 100_000
    checked = []
    original = attachments.checked_upload
    monkeypatch.setattr(attachments, "checked_upload",
                        lambda upload: checked.append(upload) or original(upload))
    response = _add(client_for(officer), consultation, big)

    assert response.status_code == 200
    assert "The file is too big: choose one of 1 KB or smaller" in response.content.decode()
    # Past the cap the upload handler kept nothing of the file, only its size.
    [sent] = checked
    assert isinstance(sent, OversizedUpload) and sent.size == len(big)
    assert not Document.objects.exists()
    assert not default_storage.exists(f"consultation-documents/{partnership.pk}")


def test_a_file_between_the_upload_cap_and_the_document_limit_is_still_too_big(
    settings, partnership, officer
):
    settings.CONSULTATION_DOCUMENT_MAX_BYTES = 1_000
    consultation = open_consultation(partnership)
    response = _add(client_for(officer), consultation, PDF + b"0" * 5_000)

    assert "The file is too big" in response.content.decode()
    assert not Document.objects.exists()


def test_title_and_description_are_required(partnership, officer):
    consultation = open_consultation(partnership)
    response = _add(client_for(officer), consultation, PDF, title="", description="  ")

    page = response.content.decode()
    assert "Enter a title for the document" in page
    assert "Enter a description of the document" in page
    assert not Document.objects.exists()


def test_no_file_chosen(partnership, officer):
    consultation = open_consultation(partnership)
    response = _add(client_for(officer), consultation, None)
    assert "Choose a file to upload" in response.content.decode()


def _document(consultation, content=PDF, name="easy-read.pdf", title="Easy read version",
              by=None):
    return attachments.document_add(
        consultation=consultation, title=title, description="The draft in short sentences.",
        upload=SimpleUploadedFile(name, content), by=by,
    )


def test_download_headers_of_a_pdf(partnership, client):
    consultation = open_consultation(partnership)
    document = _document(consultation, title='Easy "read" <version>/../x')
    response = client.get(reverse("consultation:document_file",
                                  args=[consultation.slug, document.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="easy-read-versionx.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_download_headers_of_a_docx_and_an_image(partnership, client):
    consultation = open_consultation(partnership)
    docx = _document(consultation, _docx(), "a.docx", title="Large print")
    png = _document(consultation, _image("PNG"), "a.png", title="Map of the areas")

    word = client.get(reverse("consultation:document_file", args=[consultation.slug, docx.pk]))
    assert word["Content-Type"] == Document.CONTENT_TYPES["docx"]
    assert word["Content-Disposition"] == 'attachment; filename="large-print.docx"'
    assert word["X-Content-Type-Options"] == "nosniff"
    picture = client.get(reverse("consultation:document_file", args=[consultation.slug, png.pk]))
    assert picture["Content-Type"] == "image/png"
    assert picture["Content-Disposition"] == 'inline; filename="map-of-the-areas.png"'
    assert picture["X-Content-Type-Options"] == "nosniff"


def test_documents_of_a_draft_are_not_public_until_it_is_scheduled(partnership, officer,
                                                                     other_officer, client):
    consultation = _draft(partnership)
    document = _document(consultation)
    address = reverse("consultation:document_file", args=[consultation.slug, document.pk])

    assert client.get(address).status_code == 404
    assert client_for(other_officer).get(address).status_code == 404
    assert client_for(officer).get(address).status_code == 200
    assert client_for(officer).get(address)["Cache-Control"] == "no-store"

    schedule(consultation)
    assert client.get(address).status_code == 200
    page = client.get(reverse("consultation:detail", args=[consultation.slug]))
    assert "Easy read version" in page.content.decode()


def test_a_document_is_downloaded_only_at_its_own_consultation(partnership, other_partnership,
                                                               client):
    mine = open_consultation(partnership)
    theirs = open_consultation(other_partnership)
    document = _document(theirs)
    address = reverse("consultation:document_file", args=[mine.slug, document.pk])
    assert client.get(address).status_code == 404


def test_the_public_page_lists_the_documents_of_a_second_partnership(
    partnership, other_partnership, client
):
    ours = open_consultation(partnership, title="Ours")
    theirs = open_consultation(other_partnership, title="Theirs")
    _document(ours, title="Our easy read version")
    _document(theirs, _image("PNG"), "map.png", title="Map of their wards")

    page = client.get(reverse("consultation:detail", args=[theirs.slug])).content.decode()
    assert "Map of their wards" in page
    assert "PNG image" in page
    assert "The draft in short sentences." in page
    document = theirs.documents.get()
    assert reverse("consultation:document_file", args=[theirs.slug, document.pk]) in page
    assert "Our easy read version" not in page
    assert other_partnership.name in page


DOCUMENT_PAGES = ["documents", "document_edit", "document_remove"]


@pytest.mark.parametrize("name", DOCUMENT_PAGES)
def test_officer_pages_follow_the_permission_matrix(name, partnership, officer, partner_officer,
                                                   board_member, other_officer, client):
    consultation = open_consultation(partnership)
    document = _document(consultation)
    args = [consultation.slug] if name == "documents" else [consultation.slug, document.pk]
    address = reverse(f"consultation:{name}", args=args)
    send = (lambda c: c.post(address)) if name == "document_remove" else (lambda c: c.get(address))

    anonymous = send(client)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/sign-in/")
    assert send(client_for(other_officer)).status_code == 404
    assert send(client_for(partner_officer)).status_code == 403
    assert send(client_for(board_member)).status_code == 403
    assert Document.objects.filter(pk=document.pk).exists()
    assert send(client_for(officer)).status_code in (200, 302)


@pytest.mark.parametrize("who", ["anonymous", "partner_officer", "board_member", "other_officer"])
def test_only_the_partnerships_officers_can_upload(who, request, partnership, client):
    consultation = open_consultation(partnership)
    user = None if who == "anonymous" else request.getfixturevalue(who)
    _add(client_for(user) if user else client, consultation, PDF)
    assert not Document.objects.exists()
    assert not default_storage.exists("consultation-documents")


def test_an_officer_changes_the_title_and_description(partnership, officer):
    consultation = open_consultation(partnership)
    document = _document(consultation)
    address = reverse("consultation:document_edit", args=[consultation.slug, document.pk])

    refused = client_for(officer).post(address, {"title": "", "description": ""})
    assert "Enter a title for the document" in refused.content.decode()
    response = client_for(officer).post(
        address, {"title": "Map of the wards", "description": "Shows the 19 wards and the "
                  "areas where most incidents were reported."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.title == "Map of the wards" and "19 wards" in document.description


def test_an_officer_removes_a_document_and_its_file_goes(partnership, officer,
                                                         django_capture_on_commit_callbacks):
    consultation = open_consultation(partnership)
    document = _document(consultation, by=officer)
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer).post(
            reverse("consultation:document_remove", args=[consultation.slug, document.pk]))

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(action=Action.DOCUMENT, summary__startswith="Removed"
                                     ).count() == 1
    page = client_for(officer).get(reverse("consultation:documents", args=[consultation.slug]))
    assert "No documents yet." in page.content.decode()
