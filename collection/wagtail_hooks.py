from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import checkout, pickups
from .views import CollectionPointViewSet

register_snippet(CollectionPointViewSet)

hooks.register("extend_checkout_form", checkout.extend_checkout_form)
hooks.register("clean_checkout_form", checkout.clean_checkout_form)
hooks.register("checkout_placed", checkout.checkout_placed)
hooks.register("order_status_changed", pickups.on_status_changed)
