"""Project-wide request guards."""
from django.http import JsonResponse
from django.views.defaults import bad_request

from api.errors import PROBLEM_CONTENT_TYPE, problem

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_DETAIL = "The query string may not contain NUL characters."


def _has_nul(querydict):
    return any(NUL in key or any(NUL in value for value in values)
               for key, values in querydict.lists())


class RejectNulMiddleware:
    """Answer 400 to a request whose path, query string or form fields hold a NUL.

    PostgreSQL can neither store nor compare text holding NUL: every filter, search box
    and autocomplete handed one would otherwise fail in the database with a 500. Refusing
    it here, once, covers the public pages, the admin and whatever comes next. API paths
    get the API's problem+json shape (api/errors.py) instead of an HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info or _has_nul(request.GET):
            return self._refuse(request, NUL_DETAIL)
        # Only forms are parsed here: the API reads its JSON bodies itself (and refuses NUL
        # in them field by field), and reading a multipart stream here would consume it.
        if (not self._is_api(request) and request.method == "POST"
                and request.content_type in FORM_TYPES and _has_nul(request.POST)):
            return self._refuse(request, "Form fields may not contain NUL characters.")
        return self.get_response(request)

    @staticmethod
    def _is_api(request):
        return request.path_info.startswith("/api/")

    def _refuse(self, request, detail):
        if self._is_api(request):
            # The API's own error shape (its views never see these requests).
            return JsonResponse(problem(400, detail), status=400,
                                content_type=PROBLEM_CONTENT_TYPE)
        return bad_request(request, exception=None)
