"""Pagination: page numbers with a total `count` for the small lists; a cursor for actions, which grow without bound."""

from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


class ActionCursorPagination(CursorPagination):
    """Newest first by default, one page after another through `next` and `previous` links (an opaque `cursor`).

    No total count and no offset: a page costs the same at ten million actions as at ten. The campaign's
    totals endpoint gives the counts, from the tallies.
    """

    ordering = ("-created", "-id")
    page_size_query_param = "page_size"
    max_page_size = 100
