from datetime import timedelta

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import BooleanField, Case, When
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from home import page_cache
from home.admin_forms import PortalPageForm
from home.pages import ViewRestrictionsInOneQuery

from .shops import MerchantPage


class MerchantIndexPage(ViewRestrictionsInOneQuery, Page):
    base_form_class = PortalPageForm
    intro = models.TextField(_("introduction"), max_length=500, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["home.HomePage"]
    subpage_types = ["merchants.MerchantPage"]
    max_count = 1

    class Meta:
        verbose_name = _("shop index")

    def listed_shops(self, stale_before):
        """The shops under this index: those updated since `stale_before` first, then the
        stale ones, each group by name."""
        return (
            MerchantPage.objects.live()
            .public()
            .descendant_of(self)
            .with_last_update()
            .annotate(
                is_stale=Case(
                    When(last_update__gte=stale_before, then=False),
                    default=True,
                    output_field=BooleanField(),
                )
            )
            .order_by("is_stale", "title")
        )

    def get_context(self, request, *args, **kwargs):
        from ..filters import ShopFilter

        context = super().get_context(request, *args, **kwargs)
        stale_before = timezone.now() - timedelta(days=settings.PORTAL_STALE_AFTER_DAYS)

        shop_filter = SimpleLazyObject(
            lambda: ShopFilter(
                request.GET or None, queryset=self.listed_shops(stale_before), request=request
            )
        )

        def page_of_shops():
            # An invalid value (an old link to a renamed category) is reported next to its
            # field; the filters that are valid still apply.
            listed = shop_filter.qs
            # The next shop to go stale sinks with the stale ones: what the page shows of
            # the list is kept no longer than that. Read with the count of shops.
            count, going_stale = listed.count_and_next_going_stale(stale_before)
            page_cache.expires_at(going_stale)
            paginator = Paginator(listed.for_cards(), settings.PORTAL_SHOPS_PER_PAGE)
            paginator.count = count  # instead of its own query (a cached property)
            return paginator.get_page(request.GET.get("page"))

        # Built (the filter, its choices, the count, the shops) only when the template shows
        # them: a shared page keeps what it shows of them until the next purge
        # ({% shared_fragment %}), and then builds none of them.
        context.update(filter=shop_filter, shops=SimpleLazyObject(page_of_shops))
        return context
