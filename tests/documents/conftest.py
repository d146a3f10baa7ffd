import shutil
import subprocess
from io import BytesIO

import pytest


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    """Generated files go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    """The PDF's text as pdftotext (poppler-utils) extracts it; pages are
    separated by form feeds."""
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is required (apt-get install poppler-utils)")
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + ["-", "-"]
    return subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()


def squash(text: str) -> str:
    return " ".join(text.split())


def reader(content: bytes):
    from pypdf import PdfReader

    return PdfReader(BytesIO(content))
