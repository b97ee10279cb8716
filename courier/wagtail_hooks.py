from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .checkout import CourierMode
from .views import CourierViewSet

register_snippet(CourierViewSet)
hooks.register("checkout_modes", CourierMode())
