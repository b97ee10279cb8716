"""The digest's sections (digest.py: shop news and events register theirs the same way)
and what the city's residents'-data page exports and erases."""

from wagtail import hooks

from . import privacy, sections
from .digest import HOOK

hooks.register(HOOK, sections.new_products, order=10)
hooks.register(HOOK, sections.back_in_stock, order=20)
hooks.register("export_resident_data", privacy.export)
hooks.register("erase_resident_data", privacy.erase)
