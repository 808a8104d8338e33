"""Admin pieces shared by the apps: lists that stay fast with millions of rows."""

import datetime
import re

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.html import format_html
from django.utils.text import smart_split
from django.utils.timezone import localtime, make_aware

COUNT_LIMIT = 1_000


class AdminSite(admin.AdminSite):
    site_header = "CircleShare administration"
    site_title = "CircleShare admin"
    index_title = "Moderation and accounts"
    # The sidebar repeats the whole app list on every page; the header links to it once.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        # Built when read: every page's context asks for it, for the sidebar that is off.
        build = super().get_app_list
        return SimpleLazyObject(lambda: build(request, app_label))


DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CAPPED_SELECTION = "Nothing was done: narrow the list to at most {} rows with search or filters to act on all of them."


class CappedCountPaginator(Paginator):
    """Counts matching rows only up to `COUNT_LIMIT` + 1.

    An exact count of a million rows costs more than the whole page, and even
    counting to the limit costs in proportion to it; beyond the limit, staff
    narrow the list with search and filters.
    """

    @cached_property
    def count(self):
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def is_capped(self) -> bool:
        return self.count > COUNT_LIMIT


class LargeChangeList(ChangeList):
    def url_for_result(self, result):
        # Relative to the list's own address, instead of a reverse() for every row.
        return f"{quote(result.pk)}/change/"


def day_bounds(word):
    """The start and end, in the current time zone, of the day that `word` names (2026-11-26), else None."""
    if not DAY.fullmatch(word):
        return None
    try:
        day = datetime.datetime.fromisoformat(word)
    except ValueError:
        return None
    return make_aware(day), make_aware(day + datetime.timedelta(days=1))


class LargeListMixin:
    """For the admin of a table that grows without bound (people, posts, comments)."""

    paginator = CappedCountPaginator
    show_full_result_count = False
    # "Show counts" would count every row for every choice of every filter.
    show_facets = admin.ShowFacets.NEVER
    # A screenful; each row costs about as much to draw as a query.
    list_per_page = 20
    # Django's own, set here: otherwise every cell looks it up through an AttributeError.
    empty_value_display = "-"
    # A datetime field: a search word such as 2026-11-26 then keeps the rows of that day.
    search_day_field = None

    def get_changelist(self, request, **kwargs):
        return LargeChangeList

    def response_action(self, request, queryset):
        # "Select all" past the capped count would act on every matching row, perhaps
        # millions, under a number that is not their count; the list no longer offers it.
        if request.POST.get("select_across") == "1" and self.paginator(queryset, self.list_per_page).is_capped:
            self.message_user(request, CAPPED_SELECTION.format(COUNT_LIMIT), messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def get_search_results(self, request, queryset, search_term):
        if self.search_day_field:
            words = []
            for word in smart_split(search_term):
                if bounds := day_bounds(word):
                    # A range, not __date, so that an index on the field serves it.
                    field = self.search_day_field
                    queryset = queryset.filter(**{f"{field}__gte": bounds[0], f"{field}__lt": bounds[1]})
                else:
                    words.append(word)
            search_term = " ".join(words)
        return super().get_search_results(request, queryset, search_term)

    def action_checkbox(self, obj):
        # Django's own renders a form widget's template for every row, a third of the list's cost.
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="Select this object for an action - {}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            obj,
        )

    @admin.display(description="created at", ordering="created_at")
    def created(self, obj):
        # Formatted here: Django's localized date format cost a third of the row.
        return localtime(obj.created_at).strftime("%Y-%m-%d %H:%M")
