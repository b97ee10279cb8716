"""Serve the demo town's catalogue sources (dev only; `make run` starts it)."""

from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.catalogue_server import Handler


class Command(BaseCommand):
    help = "Serve the demo shops' catalogue sources on PORTAL_DEMO_CATALOGUES_URL (loopback)."

    def handle(self, *args, **options):
        address = urlsplit(settings.PORTAL_DEMO_CATALOGUES_URL)
        server = ThreadingHTTPServer((address.hostname, address.port or 80), Handler)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
