from home.admin_forms import PortalModelForm
from merchants.ownership import managed_shop_ids, shops_for_user


class ProductForm(PortalModelForm):
    """The shop of a product is the merchant's, decided on the server.

    A merchant of one shop is not asked (a posted `shop` is ignored); a merchant of several
    chooses among its own shops only. City editors choose any shop."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if "shop" not in self.fields or for_user is None:
            return
        own = managed_shop_ids(for_user)
        if own is None:
            return
        if len(own) == 1 and (self.instance.shop_id is None or self.instance.shop_id in own):
            del self.fields["shop"]
            self.instance.shop_id = next(iter(own))
        else:
            self.fields["shop"].queryset = shops_for_user(for_user).order_by("title")
