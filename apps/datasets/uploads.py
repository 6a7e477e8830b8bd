"""An upload handler that stops reading a request once it passes the size cap.

Django would otherwise read (and store) the whole body before the view could refuse it.
"""

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler

TOO_LARGE_ATTRIBUTE = "upload_too_large"


def upload_too_large_message(max_bytes: int | None = None) -> str:
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    return f"The file is larger than the {limit / 1024**2:,.0f} MB upload limit."


class SizeLimitedUploadHandler(TemporaryFileUploadHandler):
    """Stream uploads to a temporary file; abort the request past UPLOAD_MAX_BYTES."""

    def __init__(self, request: object = None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: ANN001, ANN201, N803
        # A declared length far above the cap is refused before a single byte is read.
        if content_length and content_length > settings.UPLOAD_MAX_BYTES + 64 * 1024:
            self._refuse()
        return

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        return super().receive_data_chunk(raw_data, start)

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE_ATTRIBUTE, True)
        raise StopUpload(connection_reset=True)
