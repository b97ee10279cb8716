"""The digest's sections (digest.py) and what the city's residents'-data page exports and erases."""

from wagtail import hooks

from . import privacy, sections
from .digest import HOOK

hooks.register(HOOK, sections.new_products, order=10)
hooks.register(HOOK, sections.back_in_stock, order=20)
hooks.register(HOOK, sections.shop_news, order=30)
hooks.register(HOOK, sections.coming_events, order=40)
hooks.register("export_resident_data", privacy.export)
hooks.register("erase_resident_data", privacy.erase)
