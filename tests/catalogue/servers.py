"""A real HTTP server on 127.0.0.1 that answers what a test tells it to: a catalogue source.

    server.route("/products.json", body=b"...", headers={"Content-Type": "application/json"})
    server.route("/slow", body=b"late", delay=1.0)
    server.route("/feed", body=chunks())  # an iterable body is sent as it comes, no length
    server.route("/products", handler=lambda request: (200, {}, page(request.query["page"])))
    fetch(server.url("/products.json"))
    server.requests  # what it received: path (with the query) and headers, in order

Unrouted paths answer 404. Each request is served in a thread of its own.

`CatalogueServer(tls=True)` speaks https with a certificate for "shop.test" signed by the
tests' own authority (tls/ca.pem: trust it with the SSL_CERT_FILE environment variable);
a fake resolver sends shop.test to 127.0.0.1. `server.tls_names` lists the names clients
asked for (SNI).
"""

import ssl
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

TLS_DIR = Path(__file__).parent / "tls"
TLS_AUTHORITY = TLS_DIR / "ca.pem"
TLS_HOST = "shop.test"


@dataclass
class Request:
    path: str  # with the query string
    headers: Message  # case-insensitive: request.headers["user-agent"]
    query: dict[str, str] = field(default_factory=dict)  # the last value of each name


@dataclass
class _Route:
    status: int
    headers: dict
    body: object
    delay: float
    handler: object


class CatalogueServer:
    def __init__(self, tls=False):
        self.routes = {}
        self.requests = []
        self.tls_names = []
        self.tls = tls
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS_DIR / "shop-test.pem")
            context.sni_callback = lambda sock, name, context: self.tls_names.append(name)
            self._httpd.socket = context.wrap_socket(self._httpd.socket, server_side=True)
        self._httpd.catalogue = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def port(self):
        return self._httpd.server_address[1]

    def url(self, path="/"):
        if self.tls:
            return f"https://{TLS_HOST}:{self.port}{path}"
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path, body=b"", status=200, headers=None, delay=0.0, handler=None):
        """Answer `path` (the query string is not part of the match) with this."""
        self.routes[path] = _Route(status, dict(headers or {}), body, delay, handler)

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a client that hung up mid-request: the test says what it expected


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.0: one request per connection, and a body without Content-Length ends when
    # the connection closes.
    protocol_version = "HTTP/1.0"

    def do_GET(self):
        server = self.server.catalogue
        parts = urlsplit(self.path)
        request = Request(self.path, self.headers, dict(parse_qsl(parts.query)))
        server.requests.append(request)
        route = server.routes.get(parts.path)
        if route is None:
            status, headers, body = 404, {}, b"Not found"
        elif route.handler is not None:
            status, headers, body = route.handler(request)
        else:
            status, headers, body = route.status, route.headers, route.body
        if route is not None and route.delay:
            time.sleep(route.delay)
        if isinstance(body, str):
            body = body.encode()
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if isinstance(body, bytes):
                if not any(name.lower() == "content-length" for name in headers):
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.end_headers()
                for chunk in body:
                    self.wfile.write(chunk)
                    self.wfile.flush()
        except OSError:
            pass  # the client stopped reading (too large, too slow): what the test wanted

    def log_message(self, format, *args):
        pass
