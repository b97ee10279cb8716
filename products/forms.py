from merchants.forms import OwnShopForm


class ProductForm(OwnShopForm):
    """A product's shop is the merchant's, decided on the server (OwnShopForm)."""
