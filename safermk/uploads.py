"""Uploads larger than the site takes are not kept, but still answered with
a page that says so.

The first upload handler counts every file's bytes. Past UPLOAD_MAX_BYTES
it passes no more of the file on, so nothing beyond the limit reaches memory
or disk, and it hands the form an empty stand-in that carries the real size:
the form's own check then says "the file is too big" next to the field,
instead of the server refusing the request.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(InMemoryUploadedFile):
    """A file that was too big: no content, its real size."""


class SizeCapUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            return None  # the later handlers keep nothing more of this file
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.UPLOAD_MAX_BYTES:
            return None  # the next handler gives the file
        return OversizedUpload(
            io.BytesIO(b""), self.field_name, self.file_name, self.content_type,
            self.received, self.charset, self.content_type_extra,
        )
