from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Site


class Command(BaseCommand):
    help = (
        "Give the default site the public address of the portal (default: "
        "WAGTAILADMIN_BASE_URL), so that canonical links, Open Graph cards, share links, "
        "sitemap.xml, feeds and e-mails name it; a fresh database says http://localhost. "
        "make run and make serve run it with the address they serve."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="e.g. https://commerces.example.be")

    def handle(self, *args, url=None, **options):
        url = url or settings.WAGTAILADMIN_BASE_URL
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme not in ("http", "https") or not parts.hostname or port == -1:
            raise CommandError(f"Not an http(s) address: {url!r}.")
        if parts.path.strip("/"):
            raise CommandError(f"The site is served at the root of its host, not {parts.path}.")
        port = port or (443 if parts.scheme == "https" else 80)
        if (parts.scheme == "https") != (port == 443):
            # Wagtail writes https:// for port 443 only, and http:// for every other port.
            raise CommandError(f"Wagtail cannot give a site {url}: https goes with port 443.")
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise CommandError("There is no default site: run the migrations first.")
        if (site.hostname, site.port) != (parts.hostname, port):
            site.hostname, site.port = parts.hostname, port
            site.save()  # clears Wagtail's cache of the sites' root paths
        self.stdout.write(f"The default site is {site.root_url}")
