"""Request body parsing with a size limit: DRF streams JSON bodies past Django's own."""
import io

from django.conf import settings
from rest_framework.parsers import JSONParser

from .errors import RequestTooLarge


class LimitedJSONParser(JSONParser):
    """JSON parser that refuses bodies over settings.API_MAX_BODY_BYTES with a 413."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        # Read one byte past the limit: a lying or absent Content-Length cannot get by.
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        return super().parse(io.BytesIO(body), media_type, parser_context)
