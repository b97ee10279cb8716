from wagtail import hooks

from .panels import add_feeds_panels

hooks.register("construct_homepage_panels", add_feeds_panels)
