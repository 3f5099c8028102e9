"""Reading the archive storage's files as they are sent, without holding them whole.

On disk, `storage.open` already reads as it goes. On S3, django-storages' file downloads
the whole object into a memory buffer before the first byte can be read (a 12 MB WARC
cost 26 to 34 MB in the web process, and seconds before the download started): a file
readers download, or an evidence pack copies, is read from the object's HTTP body
instead, a chunk at a time.
"""
import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import storages
from django.http import FileResponse, Http404
from storages.utils import clean_name

logger = logging.getLogger(__name__)

# What a failing archive storage raises: a disk says OSError (full, too large, I/O), S3
# says it through botocore (a refused or failed request, an endpoint out of reach).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def storage_error_reason(error: BaseException) -> str:
    """A short reason for a storage failure, as a fact-checker reads it on the source."""
    return getattr(error, "strerror", None) or str(error)


def open_streaming(name: str):
    """An open binary file-like object (read, close) of `name` in the archive storage,
    read as it is consumed. Raises FileNotFoundError when there is no such file."""
    storage = storages["archives"]
    bucket = getattr(storage, "bucket", None)
    if bucket is None:  # a filesystem storage reads as it goes
        return storage.open(name, "rb")
    try:
        # The key as the storage names it (its location prefix included).
        return bucket.Object(storage._normalize_name(clean_name(name))).get()["Body"]
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            raise FileNotFoundError(name) from exc
        raise OSError(f"The archive storage did not give {name}: {exc}") from exc
    except BotoCoreError as exc:  # the endpoint out of reach, a broken connection
        raise OSError(f"The archive storage did not answer for {name}: {exc}") from exc


def download(name: str, *, filename: str, content_type: str, size: int) -> FileResponse:
    """A download (attachment) of `name` in the archive storage, streamed as it is sent.
    Its length is the recorded `size` (a stream from S3 cannot say it), when known.
    Raises Http404, the reason logged, when the storage cannot give the file."""
    try:
        stored = open_streaming(name)
    except OSError:
        logger.exception("%s cannot be read from the archive storage.", name)
        raise Http404("This file is missing from the archive.") from None
    response = FileResponse(stored, as_attachment=True, filename=filename,
                            content_type=content_type)
    if size:
        response["Content-Length"] = str(size)
    return response
