"""Page-number pagination: `page` and `page_size` (at most 100), with a total `count`."""

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100
