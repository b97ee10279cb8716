import json

from django import forms
from django.conf import settings
from django.utils.translation import gettext

from home import tiles

from . import maps


class CoordinateInput(forms.NumberInput):
    """A shop's latitude or longitude: a plain number input, which latlng-picker.js pairs
    with the other one of the form and a small map under both. A click on the map fills
    the two inputs; typed coordinates move its marker. Not django-leaflet's form widgets:
    they need GDAL, and store a geometry where the shop has two numbers."""

    def __init__(self, axis, attrs=None):
        super().__init__({"data-coordinate": axis, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if settings.PORTAL_MAPS_ENABLED and self.attrs["data-coordinate"] == "lat":
            picker = {
                "tiles": tiles.tile_layer(),
                # The shop's own position is in the inputs; this is for a shop not placed yet.
                "centre": None if value not in (None, "") else maps.placed_shops_centre(),
                "label": gettext("Map: click to place the shop"),
                "hint": gettext("Click the map where the shop is, or type its coordinates."),
            }
            context["widget"]["attrs"]["data-picker"] = json.dumps(picker)
        return context

    @property
    def media(self):
        if not settings.PORTAL_MAPS_ENABLED:
            return forms.Media()
        return forms.Media(
            css={"all": ["leaflet/leaflet.css"]},
            js=["leaflet/leaflet.js", "js/latlng-picker.js"],
        )
