"""One error shape for the whole API: RFC 7807 problem details, as JSON.

Every error body is ``{"type", "title", "status", "detail"}``, plus ``errors`` (field name
to messages) for invalid input and ``rule`` for a change a domain rule refused
(factcheck.rules.RuleBroken, which the apps' rule errors subclass).
"""
import logging
import math

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from factcheck.rules import NotPermitted, RuleBroken

logger = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: "Invalid request",
    401: "Authentication required",
    403: "Permission denied",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    413: "Request body too large",
    415: "Unsupported media type",
    428: "Precondition required",
    429: "Too many requests",
    500: "Server error",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Someone changed this object since you read it: fetch it again and retry."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the object's ETag in an If-Match header, so a concurrent edit is never "
        "overwritten."
    )
    default_code = "precondition_required"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the object."
    default_code = "conflict"


def problem(status_code, detail, *, errors=None, rule=None):
    """The problem document for `status_code`."""
    body = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    if rule:
        body["rule"] = rule
    return body


def _messages(detail):
    """DRF error details as plain strings, keeping their nesting."""
    if isinstance(detail, dict):
        return {key: _messages(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_messages(item) for item in detail]
    return str(detail)


def _validation_problem(detail):
    if isinstance(detail, dict):
        errors = _messages(detail)
        general = errors.pop("non_field_errors", None)
        message = "; ".join(general) if general else "Some fields are invalid: see errors."
        return problem(400, message, errors=errors or None)
    messages = _messages(detail if isinstance(detail, list) else [detail])
    return problem(400, " ".join(str(m) for m in messages))


def exception_handler(exc, context):
    """DRF's exception handler, answering every error as problem+json (never HTML)."""
    # Imported here: rest_framework.views loads the parser classes of the settings, and
    # ours (api.parsers) import this module.
    from rest_framework.views import set_rollback

    headers = {}
    if isinstance(exc, RuleBroken):
        code = 403 if isinstance(exc, NotPermitted) else 409
        body = problem(code, exc.message, rule=exc.rule)
    elif isinstance(exc, Http404):
        body = problem(404, "Not found.")
    elif isinstance(exc, PermissionDenied):
        body = problem(403, "You do not have permission to perform this action.")
    elif isinstance(exc, DjangoValidationError):
        body = _validation_problem(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    elif isinstance(exc, IntegrityError):
        # A constraint the serializers could not see in advance (a concurrent insert).
        body = problem(409, "This change conflicts with existing data; reload and retry.")
    elif isinstance(exc, exceptions.ValidationError):
        body = _validation_problem(exc.detail)
    elif isinstance(exc, exceptions.APIException):
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            # Whole seconds, rounded up: "0" would invite an immediate retry.
            headers["Retry-After"] = str(math.ceil(exc.wait))
        body = problem(exc.status_code, str(exc.detail))
    else:
        logger.exception("Unhandled error in the API", exc_info=exc)
        body = problem(500, "Something went wrong on our side; the error has been logged.")
    set_rollback()
    return Response(
        body, status=body["status"], headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


@csrf_exempt
def not_found(request, *args, **kwargs):
    """JSON 404 for any URL under the API that matches no endpoint, whatever the method.

    Exempt from CSRF: nothing here is ever written, and without the exemption a write to
    an unknown address would get Django's HTML CSRF page (403) instead of this answer.
    """
    return JsonResponse(
        problem(404, "There is no API endpoint at this address."),
        status=404, content_type=PROBLEM_CONTENT_TYPE,
    )
