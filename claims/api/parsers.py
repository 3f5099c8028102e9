"""Request body parsing with limits: DRF streams JSON bodies past Django's own size limit,
and Python's json module recurses once per nesting level."""
import io

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import RequestTooLarge

# No request body of ours nests deeper than an object holding a list; 32 leaves room for
# any future resource while keeping every walk over the parsed data cheap and shallow.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(data, limit):
    """True when `data` (parsed JSON) nests lists and objects deeper than `limit`.

    Iterative, so that it can look at any parsed value without recursing itself.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class LimitedJSONParser(JSONParser):
    """JSON parser that refuses bodies over settings.API_MAX_BODY_BYTES (413) and bodies
    nested deeper than MAX_JSON_DEPTH (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        # Read one byte past the limit: a lying or absent Content-Length cannot get by.
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        too_deep = ParseError(f"JSON parse error - values are nested more than "
                              f"{MAX_JSON_DEPTH} levels deep.")
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            # `[[[[…` a thousand deep exhausts the parser's recursion before we can look.
            raise too_deep from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise too_deep
        return data
