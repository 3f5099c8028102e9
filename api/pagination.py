"""Pagination: cursors for lists that grow while they are read (the claim list), numbered
pages elsewhere."""
import math
from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as RequestInvalid
from rest_framework.pagination import CursorPagination, PageNumberPagination

from .datetimes import to_utc


class StrictPageSize:
    """`?page_size=` must be a whole number from 1 to max_page_size: anything else is a 400
    (DRF would quietly use the default, hiding the client's mistake), as the schema says."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise RequestInvalid({self.page_size_query_param: [
                f"A whole number from 1 to {self.max_page_size}."]})
        return size

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class RecentCursorPagination(StrictPageSize, CursorPagination):
    """Cursor pages, most recently updated first (stable while rows are added);
    `?page_size=` up to 200.

    A view may order otherwise with `list_ordering(request, queryset)` (the claim list
    pages a ranked search by rank).
    """

    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        ordering = view.list_ordering(request, queryset) if hasattr(view, "list_ordering") else None
        return ordering or super().get_ordering(request, queryset, view)

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # A cursor is a client's string like any other: its position goes into a query, so
        # one that PostgreSQL would choke on (a date-time at +20:00, a priority of "x") is
        # an invalid cursor (404, as DRF answers any other), never a 500.
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            position = self.checked_position(cursor.position)
        except (TypeError, ValueError, ValidationError):
            raise NotFound(self.invalid_cursor_message) from None
        return cursor._replace(position=position)

    def checked_position(self, position):
        """The cursor's `position` as the value of the first ordering field, normalised
        (date-times in UTC); raises ValueError or ValidationError if it is not one."""
        name = self.ordering[0].lstrip("-")
        if name == "rank":
            value = float(position)
            if not math.isfinite(value):
                raise ValueError(position)
            return repr(value)
        value = self.model._meta.get_field(name).to_python(position)
        if isinstance(value, datetime):
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return to_utc(value).isoformat()
        return str(value)


class PagePagination(StrictPageSize, PageNumberPagination):
    """Numbered pages of 50 (`?page_size=` up to 200) for every other list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
