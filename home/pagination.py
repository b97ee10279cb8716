"""A page of a list and the list's length in one query."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Window


class CountedWithRowsPaginator(Paginator):
    """Django's Paginator over a queryset, whose `get_page` reads the page's rows each with
    the length of the whole list (`COUNT(*) OVER ()`, computed before LIMIT and OFFSET):
    one query where Paginator makes a COUNT first. A page out of range (an old link) gets
    Paginator's own answer: the last page."""

    def get_page(self, number):
        try:
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number < 1:
            return super().get_page(number)
        bottom = (number - 1) * self.per_page
        rows = list(
            self.object_list.annotate(list_length=Window(Count("pk")))[
                bottom : bottom + self.per_page
            ]
        )
        if not rows or self.orphans:
            return super().get_page(number)
        self.count = rows[0].list_length  # instead of its own query (a cached property)
        try:
            self.validate_number(number)
        except InvalidPage:  # cannot happen with rows found, but keep Paginator's rule
            return super().get_page(number)
        return self._get_page(rows, number, self)
