"""Admin pieces shared by the apps: lists that stay fast with millions of rows."""

from django.contrib.admin import helpers
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.html import format_html

COUNT_LIMIT = 10_000


class CappedCountPaginator(Paginator):
    """Counts matching rows only up to `COUNT_LIMIT` + 1.

    An exact count of a million rows costs more than the whole page; beyond
    the limit, staff narrow the list with search, filters or dates.
    """

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_LIMIT


class LargeListMixin:
    """For the admin of a table that grows without bound (people, posts, comments)."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    list_per_page = 25

    def action_checkbox(self, obj):
        # Django's own renders a form widget's template for every row, a third of the list's cost.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )
