"""What every page of the portal does on each visit, in fewer queries than Wagtail's defaults
and by the same rules."""

from django.db.models import Q
from wagtail.models import PageViewRestriction


class ViewRestrictionsInOneQuery:
    """Wagtail checks a page's view restrictions on every visit by reading its ancestors, then
    their restrictions: here one query asks for both. The ancestors' paths are the prefixes of
    the page's own; an alias among them (or the page itself) is restricted as its source page
    is, as in Wagtail."""

    def get_view_restrictions(self):
        paths = [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]
        return PageViewRestriction.objects.filter(
            Q(page__path__in=paths, page__alias_of__isnull=True) | Q(page__aliases__path__in=paths)
        ).distinct()


def routed_ancestors(page):
    """The pages above `page` that routing read on the way to it, from the site's root page
    down (Wagtail's `route` leaves each parent on its child, where `get_parent()` finds it),
    or None if the chain does not reach a site's root page (a page at depth 2)."""
    ancestors = []
    while (parent := page.__dict__.get("_cached_parent_obj")) is not None:
        ancestors.insert(0, parent)
        page = parent
    if page.depth != 2:
        return None
    return ancestors
