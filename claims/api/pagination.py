"""Pagination: a cursor for the claim list (stable while claims are added), pages elsewhere."""
from rest_framework.pagination import CursorPagination, PageNumberPagination


class ClaimCursorPagination(CursorPagination):
    """Cursor pages of claims, most recently updated first; `?page_size=` up to 200.

    A ranked search (`?q=`) is paged by rank instead.
    """

    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        ordering = view.list_ordering(request, queryset) if hasattr(view, "list_ordering") else None
        return ordering or super().get_ordering(request, queryset, view)


class PagePagination(PageNumberPagination):
    """Numbered pages of 50 (`?page_size=` up to 200) for every other list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
