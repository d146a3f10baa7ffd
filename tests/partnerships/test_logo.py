"""A partnership's administrator uploads its logo; the partnership's pages
show it beside its name. What is stored is a PNG we made from the picture,
whatever was sent, and anything that is not a small raster image is refused
with a message next to the field."""

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from partnerships.models import Partnership
from partnerships.services import partnership_logo_set
from tests import factories
from tests.conftest import client_for
from tests.strategy.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _image(fmt="PNG", size=(120, 60), colour=(200, 30, 30, 255), **save) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP", "GIF") else "RGB"
    image = Image.new(mode, size, colour if mode == "RGBA" else colour[:3])
    out = io.BytesIO()
    image.save(out, format=fmt, **save)
    return out.getvalue()


def _upload(content: bytes, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _post(client, partnership, content, name="logo.png"):
    return client.post(reverse("partnerships:logo", args=[partnership.slug]),
                       {"logo": _upload(content, name)})


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_an_administrator_uploads_a_logo_and_a_clean_png_is_kept(fmt, partnership,
                                                                 administrator):
    response = _post(client_for(administrator), partnership, _image(fmt), f"logo.{fmt.lower()}")

    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.logo.name.startswith(f"partnership-logos/{partnership.pk}-")
    with default_storage.open(partnership.logo.name, "rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
        assert image.format == "PNG" and image.size == (120, 60)


def test_a_large_picture_is_kept_at_most_800_by_200_pixels(partnership):
    partnership_logo_set(partnership=partnership,
                         upload=_upload(_image(size=(2000, 1000))))
    with default_storage.open(partnership.logo.name, "rb") as stored:
        assert Image.open(stored).size == (400, 200)


def test_the_metadata_of_the_uploaded_file_is_not_kept(partnership):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script> taken at 12 Home Street")
    partnership_logo_set(partnership=partnership, upload=_upload(_image(pnginfo=info)))
    with default_storage.open(partnership.logo.name, "rb") as stored:
        assert b"Home Street" not in stored.read()


def _huge_png_header(width: int, height: int) -> bytes:
    """A tiny file that says it is an enormous image (a decompression bomb)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 64)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


@pytest.mark.parametrize("content, name, message", [
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "logo.svg",
     "The file must be a PNG, JPEG, GIF or WebP image"),
    (b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF", "logo.png",
     "The file must be a PNG, JPEG, GIF or WebP image"),
    (b"MZ\x90\x00 an executable named like a picture", "logo.png",
     "The file must be a PNG, JPEG, GIF or WebP image"),
    (_image("BMP"), "logo.bmp", "The file must be a PNG, JPEG, GIF or WebP image"),
    (_image()[:60], "logo.png", "The file must be a PNG, JPEG, GIF or WebP image"),
    (_huge_png_header(100_000, 100_000), "logo.png", "choose one of at most"),
    (b"\x89PNG" + b"\0" * 1_000_001, "logo.png", "choose an image of 1 MB or smaller"),
    (b"", "logo.png", "The file is empty"),
])
def test_what_is_not_a_small_raster_image_is_refused_next_to_the_field(
    content, name, message, partnership, administrator
):
    response = _post(client_for(administrator), partnership, content, name)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="govuk-error-summary' in html and 'govuk-file-upload--error' in html
    partnership.refresh_from_db()
    assert not partnership.logo


def test_a_truncated_picture_is_refused_even_where_weasyprint_lets_pillow_load_one(
    partnership, administrator
):
    import weasyprint.images  # noqa: F401  (sets ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    response = _post(client_for(administrator), partnership, _image()[:60])
    assert "The file must be a PNG, JPEG, GIF or WebP image" in response.content.decode()
    partnership.refresh_from_db()
    assert not partnership.logo


def test_posting_no_file_asks_for_one(partnership, administrator):
    response = client_for(administrator).post(reverse("partnerships:logo",
                                                      args=[partnership.slug]), {})
    assert "Choose an image to upload" in response.content.decode()


def test_the_partnerships_pages_show_its_logo_and_others_do_not(partnership):
    partnership_logo_set(partnership=partnership, upload=_upload(_image()))
    other = factories.PartnershipFactory()
    mine = publish(factories.StrategyFactory(partnership=partnership))
    theirs = publish(factories.StrategyFactory(partnership=other))
    logo_url = reverse("partnerships:logo_file",
                       args=[partnership.slug, partnership.logo_digest])

    client = Client()
    assert logo_url in client.get(mine.get_public_url()).content.decode()
    assert "smk-header__logo" not in client.get(theirs.get_public_url()).content.decode()
    assert "smk-header__logo" not in client.get("/").content.decode()

    response = client.get(logo_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_a_new_logo_gets_a_new_address_and_the_old_file_goes(partnership,
                                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partnership_logo_set(partnership=partnership, upload=_upload(_image()))
    first = partnership.logo.name
    first_url = reverse("partnerships:logo_file", args=[partnership.slug,
                                                        partnership.logo_digest])
    with django_capture_on_commit_callbacks(execute=True):
        partnership_logo_set(partnership=partnership,
                             upload=_upload(_image(colour=(0, 0, 255, 255))))
    assert partnership.logo.name != first
    assert not default_storage.exists(first)
    assert Client().get(first_url).status_code == 404


def test_the_same_picture_twice_keeps_its_address(partnership,
                                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        partnership_logo_set(partnership=partnership, upload=_upload(_image()))
        first = partnership.logo.name
        partnership_logo_set(partnership=partnership, upload=_upload(_image()))
    assert partnership.logo.name == first
    assert default_storage.exists(first)


def test_removing_the_logo(partnership, administrator, django_capture_on_commit_callbacks):
    partnership_logo_set(partnership=partnership, upload=_upload(_image()))
    name = partnership.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(administrator).post(
            reverse("partnerships:logo", args=[partnership.slug]), {"action": "remove"})
    assert response.status_code == 302
    assert not Partnership.objects.get(pk=partnership.pk).logo
    assert not default_storage.exists(name)


def test_only_the_partnerships_administrators_may_change_its_logo(partnership, officer,
                                                                  other_administrator):
    url = reverse("partnerships:logo", args=[partnership.slug])
    assert client_for(officer).get(url).status_code == 403
    assert client_for(other_administrator).get(url).status_code == 404
    assert client_for(other_administrator).post(
        url, {"logo": _upload(_image())}).status_code == 404
    assert Client().get(url).status_code == 302
    partnership.refresh_from_db()
    assert not partnership.logo


def test_a_wrong_or_missing_logo_address_is_not_found(partnership):
    url = reverse("partnerships:logo_file", args=[partnership.slug, "0123456789abcdef"])
    assert Client().get(url).status_code == 404
    partnership_logo_set(partnership=partnership, upload=_upload(_image()))
    assert Client().get(url).status_code == 404
    default_storage.delete(partnership.logo.name)
    right = reverse("partnerships:logo_file", args=[partnership.slug, partnership.logo_digest])
    assert Client().get(right).status_code == 404
