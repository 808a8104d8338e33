from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """Cursor pages of 20 by default; clients may ask for up to 100."""

    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-created_at"
