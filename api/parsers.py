"""Request body parsing with limits: DRF streams JSON bodies past Django's own size limit,
Python's json module recurses once per nesting level, and takes half a UTF-16 pair."""
import io
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .errors import RequestTooLarge

# No request body of ours nests deeper than an object holding a list; 32 leaves room for
# any future resource while keeping every walk over the parsed data cheap and shallow.
MAX_JSON_DEPTH = 32


# A JSON string may spell half a UTF-16 pair ("\ud800"): Python keeps it as a lone
# surrogate, which no UTF-8 text (PostgreSQL, our own JSON answers) can hold.
_SURROGATE = re.compile("[\ud800-\udfff]")


def json_problem(data, max_depth):
    """Why the parsed JSON `data` cannot be taken, or None: nested deeper than
    `max_depth`, or a string (key or value) holding a lone surrogate.

    Iterative, so that it can look at any parsed value without recursing itself.
    """
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _SURROGATE.search(value):
                return "a string holds an unpaired UTF-16 surrogate (such as \\ud800)"
            continue
        if isinstance(value, dict):
            children = [*value.keys(), *value.values()]
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > max_depth:
            return f"values are nested more than {max_depth} levels deep"
        stack.extend((child, depth + 1) for child in children)
    return None


class LimitedJSONParser(JSONParser):
    """JSON parser that refuses bodies over settings.API_MAX_BODY_BYTES (413), and bodies
    nested deeper than MAX_JSON_DEPTH or holding a lone surrogate (400)."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        # Read one byte past the limit: a lying or absent Content-Length cannot get by.
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise RequestTooLarge(f"The request body is larger than {limit} bytes.")
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            # `[[[[…` a thousand deep exhausts the parser's recursion before we can look.
            data, problem = None, f"values are nested more than {MAX_JSON_DEPTH} levels deep"
        else:
            problem = json_problem(data, MAX_JSON_DEPTH)
        if problem:
            raise ParseError(f"JSON parse error - {problem}.")
        return data
