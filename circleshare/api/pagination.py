"""Keyset pagination on a unique ordering, for every list of the API.

DRF's CursorPagination positions on the first ordering field only and falls
back to offsets for ties; here the cursor holds the last row's values of the
whole ordering (which ends in the primary key), so a page deep in a list
costs what the first page costs and rows with equal timestamps are never
skipped or repeated.
"""

import base64
import json
from urllib.parse import urlencode

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

INVALID_CURSOR = "This page link is not valid."


class KeysetPagination(BasePagination):
    """Pages of 20 by default (`?page_size=` up to 100), ordered by the view's `ordering`."""

    page_size = 20
    max_page_size = 100
    default_ordering = ("-created_at", "-pk")

    def paginate_queryset(self, queryset, request, view=None):
        """One page of `queryset`, or of `view.fetch_page(position, backwards, limit)` where a view has it.

        A view fetches its own page when a plain query cannot be fast (the
        home timeline merges one index walk per circle); it returns rows in
        the page's order, whose `ordering` fields make the cursor.
        """
        self.request = request
        self.ordering = tuple(getattr(view, "ordering", None) or self.default_ordering)
        size = self.get_page_size(request)
        position, backwards = self.decode_cursor(request)

        try:
            rows = self.fetch(queryset, view, position=position, backwards=backwards, limit=size + 1)
        except (ValueError, TypeError, OverflowError, DjangoValidationError):
            if position is None:
                raise
            # A cursor that decodes but holds values of the wrong kind.
            raise NotFound(INVALID_CURSOR) from None
        has_more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()

        self.next_position = self.previous_position = None
        if rows:
            if has_more if not backwards else position is not None:
                self.next_position = self.position_of(rows[-1])
            if has_more if backwards else position is not None:
                self.previous_position = self.position_of(rows[0])
        return rows

    def fetch(self, queryset, view, *, position, backwards, limit):
        fetch_page = getattr(view, "fetch_page", None)
        if fetch_page is not None:
            return fetch_page(position=position, backwards=backwards, limit=limit)
        ordering = _reversed(self.ordering) if backwards else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(_after(ordering, position))
        return list(queryset[:limit])

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self.link(self.next_position, backwards=False),
                "previous": self.link(self.previous_position, backwards=True),
                "results": data,
            }
        )

    def get_page_size(self, request):
        try:
            size = int(request.query_params.get("page_size", self.page_size))
        except (TypeError, ValueError):
            return self.page_size
        return max(1, min(size, self.max_page_size))

    def position_of(self, row) -> list:
        values = []
        for field in self.ordering:
            value = getattr(row, field.lstrip("-"))
            values.append(value.isoformat() if hasattr(value, "isoformat") else value)
        return values

    def decode_cursor(self, request):
        encoded = request.query_params.get("cursor")
        if not encoded:
            return None, False
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded.encode()).decode())
            position, backwards = payload["p"], bool(payload.get("b"))
            if not isinstance(position, list) or len(position) != len(self.ordering):
                raise ValueError
            for value in position:
                if isinstance(value, bool) or not isinstance(value, str | int):
                    raise ValueError
                if isinstance(value, int) and not -(2**63) <= value < 2**63:
                    raise ValueError
        except (ValueError, TypeError, KeyError, UnicodeError):
            raise NotFound(INVALID_CURSOR) from None
        return position, backwards

    def link(self, position, *, backwards):
        if position is None:
            return None
        payload = {"p": position, **({"b": 1} if backwards else {})}
        cursor = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()
        params = self.request.query_params.copy()
        params["cursor"] = cursor
        return self.request.build_absolute_uri(f"{self.request.path}?{urlencode(params, doseq=True)}")

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The page to show, from a `next` or `previous` link.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results per page ({self.page_size} by default, at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


def _reversed(ordering):
    return tuple(field[1:] if field.startswith("-") else f"-{field}" for field in ordering)


def _after(ordering, position) -> Q:
    """Rows that come after `position` in `ordering`: (a, b, c) > (x, y, z), field by field.

    The leading bound (a >= x) is redundant logically but lets the database
    start its index scan at the position instead of filtering every row before it.
    """
    condition = Q()
    for index in reversed(range(len(ordering))):
        field = ordering[index].lstrip("-")
        lookup = "lt" if ordering[index].startswith("-") else "gt"
        step = Q(**{f"{field}__{lookup}": position[index]})
        if index < len(ordering) - 1:
            step |= Q(**{field: position[index]}) & condition
        condition = step
    first = ordering[0].lstrip("-")
    bound = "lte" if ordering[0].startswith("-") else "gte"
    return Q(**{f"{first}__{bound}": position[0]}) & condition
