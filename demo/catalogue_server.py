"""The demo town's catalogue sources: a small HTTP server beside the portal (dev only).

It serves the files of demo/catalogues/ the way the real services answer: a Shopify
shop's public `products.json` (paginated by `page`) and a till's Google product feed, plus
the photos they name, drawn on the fly. `make run` starts it on PORTAL_DEMO_CATALOGUES_URL's
port; seed_demo gives two demo shops a source on it and runs their first sync.
"""

import hashlib
import io
import json
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from urllib.parse import parse_qs, urlsplit

from PIL import Image, ImageDraw

FILES = Path(__file__).resolve().parent / "catalogues"
# Path on the server → (file, content type); {{base}} in a file is the server's address.
CATALOGUES = {
    "/products.json": ("shopify-products.json", "application/json; charset=utf-8"),
    "/fleuriste/feed.xml": ("google-feed.xml", "application/rss+xml; charset=utf-8"),
}


def photo(name):
    """A plain JPEG whose colour and stripe follow the name: the same name, the same file."""
    digest = hashlib.sha256(name.encode()).digest()
    picture = Image.new("RGB", (480, 480), tuple(64 + byte // 2 for byte in digest[:3]))
    ImageDraw.Draw(picture).rectangle((0, 300, 480, 360), fill=tuple(digest[3:6]))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    server_version = "DemoCatalogues/1.0"

    def do_GET(self):
        address = urlsplit(self.path)
        if address.path in CATALOGUES:
            name, content_type = CATALOGUES[address.path]
            page = parse_qs(address.query).get("page", ["1"])[0]
            if name.endswith(".json") and page != "1":
                body = json.dumps({"products": []}).encode()
            else:
                base = f"http://{self.headers.get('Host', '127.0.0.1')}"
                body = (FILES / name).read_text().replace("{{base}}", base).encode()
            return self.answer(200, content_type, body)
        if address.path.startswith("/images/") and address.path.endswith(".jpg"):
            return self.answer(200, "image/jpeg", photo(address.path))
        return self.answer(404, "text/plain", b"Not found")

    def answer(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass  # quiet beside runserver's own log


def start(host="127.0.0.1", port=0):
    """Serve in a thread; returns the server (its address: server.server_address)."""
    server = ThreadingHTTPServer((host, port), partial(Handler))
    Thread(target=server.serve_forever, daemon=True).start()
    return server
