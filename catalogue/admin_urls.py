"""The names of the catalogue sources' admin URLs, for whoever links to them (the views, the
sync's e-mail) without importing the views."""

URLS = "wagtailsnippets_catalogue_cataloguesource"
REPORT = f"{URLS}:report"
