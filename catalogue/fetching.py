"""Fetch a catalogue source's answer without letting a source address reach inside.

A source's address is typed by a merchant: the portal must not become a way to read the
town hall's own network (the cloud's metadata service at 169.254.169.254, a database on
10.x, an admin page on localhost). So:

- http and https only, GET only;
- the host is resolved once and every address it resolves to is checked: one that is not
  a public unicast address (private, loopback, link-local, shared 100.64/10, multicast,
  reserved, unspecified, or such an address wrapped in IPv6: ::ffff:a.b.c.d, 6to4, NAT64)
  refuses the request before any connection is made;
- the connection goes to the address that was checked (no second look-up that a DNS
  server could answer differently: DNS rebinding); https is verified against the host name;
- each redirect (5 at most) is checked the same way;
- proxy environment variables are ignored (http.client does not read them);
- a time-out for connecting and for each read, and a deadline for the whole fetch;
- the body is read in chunks and refused as soon as it passes the size limit, after gzip
  decoding too (a small gzip bomb does not get through).

`PORTAL_FETCH_ALLOW_LOOPBACK` opens 127.0.0.0/8 and ::1 (and only them) for the tests, the
demo's local server and a till bridge on the same machine.
"""

import http.client
import ipaddress
import math
import socket
import ssl
import threading
import time
import zlib
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.http import parse_http_date_safe
from django.utils.translation import gettext_lazy as _

from .items import Response

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
MAX_REDIRECTS = 5
# The whole fetch, redirects included, ends after this many times the time-out: a server
# that sends one byte just before each read would time out otherwise never.
DEADLINE_FACTOR = 4
CHUNK_SIZE = 64 * 1024

# IPv6 forms that carry an IPv4 address a router may deliver to: NAT64's well-known prefix
# and the deprecated IPv4-compatible addresses (::a.b.c.d).
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class FetchError(Exception):
    """A fetch that failed; its str is a short message for the merchant."""

    retryable = False
    default_message = _("The site could not be reached.")

    def __init__(self, message=None, *, retry_after=None, **params):
        self.message = message or self.default_message
        super().__init__(self.message)
        self.params = params
        self.retry_after = retry_after

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


class AddressRefused(FetchError):
    """Not an http(s) address, or one that leads to a private or local network."""


class TooLarge(FetchError):
    """The answer is larger than the limit (announced, read, or once decoded)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        super().__init__(_("The answer is larger than %(size)s; the portal does not read it."))

    def __str__(self):  # the size in the language the message is shown in
        return str(self.message) % {"size": filesizeformat(self.max_bytes)}


class TooManyRedirects(FetchError):
    """More than MAX_REDIRECTS redirects: a loop, most likely."""


class TimedOut(FetchError):
    retryable = True
    default_message = _("The site took too long to answer.")


class ConnectionFailed(FetchError):
    """The name did not resolve, or the connection or TLS failed."""

    retryable = True


class BrokenAnswer(ConnectionFailed):
    """The connection was cut mid-answer, or the answer is not HTTP or gzip as it says."""

    default_message = _("The site's answer could not be read.")


class HTTPStatusError(FetchError):
    def __init__(self, status, *, retry_after=None):
        self.status = status
        self.retryable = status == 429 or status >= 500
        super().__init__(_status_message(status), retry_after=retry_after, status=status)


def _status_message(status):
    if status == 429:
        return _("The site asks the portal to slow down (HTTP 429); it will try again later.")
    if status >= 500:
        return _(
            "The site has a problem of its own (HTTP %(status)s); the portal will try again later."
        )
    if status in (404, 410):
        return _("Nothing was found at this address (HTTP %(status)s): check the address.")
    if status in (401, 403):
        return _("The site refuses access to this address (HTTP %(status)s).")
    return _("The site answered with an error (HTTP %(status)s).")


def resolve(host, port):
    """The addresses `host` resolves to, in the resolver's order, each once."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def is_refused(address):
    """True when `address` (a string) is not a public unicast address the portal may fetch."""
    ip = ipaddress.ip_address(address)
    if settings.PORTAL_FETCH_ALLOW_LOOPBACK and ip.is_loopback:
        return False  # only the plain forms: ::ffff:127.0.0.1 is checked below, and refused
    if ip.version == 6:
        embedded = ip.ipv4_mapped or ip.sixtofour
        if (
            embedded is None
            and (ip in NAT64 or ip in IPV4_COMPATIBLE)
            and ip.packed[-4:] != bytes(4)
        ):
            embedded = ipaddress.IPv4Address(ip.packed[-4:])
        if embedded is not None:
            return embedded.is_loopback or is_refused(str(embedded))
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved
    # and unspecified addresses; Python 3.11 still calls multicast ones global.
    return not ip.is_global or ip.is_multicast or ip.is_reserved


def fetch(url, *, max_bytes=None, timeout=None, accept="*/*"):
    """GET `url` safely and return the whole answer (2xx) as a catalogue.items.Response.

    Raises a FetchError subclass otherwise: see the module's docstring."""
    max_bytes = settings.PORTAL_FETCH_MAX_BYTES if max_bytes is None else max_bytes
    timeout = settings.PORTAL_FETCH_TIMEOUT if timeout is None else timeout
    deadline = time.monotonic() + timeout * DEADLINE_FACTOR
    for _hop in range(MAX_REDIRECTS + 1):
        target = _Target(url)
        answer = target.get(accept=accept, max_bytes=max_bytes, timeout=timeout, deadline=deadline)
        if isinstance(answer, Response):
            return answer
        url = answer  # the next address
    raise TooManyRedirects(_("The address redirects too many times."))


class _Target:
    """One checked address: scheme, host, port, the request's target, the IP addresses."""

    def __init__(self, url):
        parts = urlsplit(url.strip())
        if parts.scheme.lower() not in ("http", "https"):
            raise AddressRefused(_("Only http:// and https:// addresses can be fetched."))
        try:
            port = parts.port
            host = (parts.hostname or "").encode("idna").decode("ascii")
        except (ValueError, UnicodeError):
            host = ""
        if not host:
            raise AddressRefused(_("This web address is not valid."))
        self.url = url.strip()
        self.https = parts.scheme.lower() == "https"
        self.host = host
        self.port = port or (443 if self.https else 80)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        # What a browser sends for an address typed with spaces or accents.
        self.path = quote(path, safe="/?&=%:@!$'()*+,;~")
        try:
            self.addresses = resolve(host, self.port)
        except (OSError, UnicodeError) as error:
            raise ConnectionFailed(
                _("The site's name could not be found: check the address.")
            ) from error
        if not self.addresses or any(is_refused(address) for address in self.addresses):
            raise AddressRefused(
                _("This address leads to a private or local network; the portal does not fetch it.")
            )

    def get(self, *, accept, max_bytes, timeout, deadline):
        """The Response of a 2xx answer, or the absolute address a redirect points to."""
        sock = self._connect(timeout, deadline)
        # The deadline cuts the connection whatever the server does: it cannot keep it
        # open by dripping bytes just within each read's time-out.
        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, (sock,))
        watchdog.daemon = True
        watchdog.start()
        connection = _Connection(self.host, self.port, sock, timeout, self.https)
        answer = None
        try:
            connection.request("GET", self.path, headers=self._headers(accept))
            answer = connection.getresponse()  # it owns the socket from here on
            return self._read(answer, max_bytes, deadline)
        except FetchError:
            raise
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            if time.monotonic() >= deadline or isinstance(error, TimeoutError):
                raise TimedOut() from error
            raise BrokenAnswer() from error
        finally:
            watchdog.cancel()
            if answer is not None:
                answer.close()
            connection.close()

    def _connect(self, timeout, deadline):
        """A socket connected to one of the checked addresses (the first that answers)."""
        error = None
        for address in self.addresses:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            family = (
                socket.AF_INET6 if ipaddress.ip_address(address).version == 6 else socket.AF_INET
            )
            sock = socket.socket(family, socket.SOCK_STREAM)
            sock.settimeout(min(timeout, remaining))
            try:
                sock.connect((address, self.port))
                if self.https:
                    context = ssl.create_default_context()
                    sock = context.wrap_socket(sock, server_hostname=self.host)
                return sock
            except OSError as failure:
                sock.close()
                error = failure
        if error is None or isinstance(error, TimeoutError):
            raise TimedOut() from error
        if isinstance(error, ssl.SSLError):
            raise ConnectionFailed(
                _("The site's security certificate could not be verified (https).")
            ) from error
        raise ConnectionFailed() from error

    def _headers(self, accept):
        return {
            "User-Agent": f"PortailDesCommerces/1.0 (+{settings.WAGTAILADMIN_BASE_URL})",
            "Accept": accept,
            "Accept-Encoding": "gzip",
            "Connection": "close",
        }

    def _read(self, answer, max_bytes, deadline):
        status = answer.status
        if status in REDIRECT_STATUSES and answer.getheader("Location"):
            return urljoin(self.url, answer.getheader("Location").strip())
        if not 200 <= status < 300:
            retry_after = None
            if status in (429, 503):
                retry_after = parse_retry_after(answer.getheader("Retry-After"))
            raise HTTPStatusError(status, retry_after=retry_after)
        headers = {}
        for name, value in answer.getheaders():
            name = name.lower()
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        try:
            announced = int(headers.get("content-length", ""))
        except ValueError:
            announced = None
        if announced is not None and announced > max_bytes:
            raise TooLarge(max_bytes)
        body = _Body(headers.pop("content-encoding", "identity"), max_bytes)
        while chunk := answer.read1(CHUNK_SIZE):
            body.add(chunk)
        if time.monotonic() >= deadline:  # the watchdog cut the connection: not whole
            raise TimedOut()
        if answer.length:  # fewer bytes than Content-Length announced, then closed
            raise BrokenAnswer()
        if body.decoded:
            headers.pop("content-length", None)
        return Response(url=self.url, status=status, headers=headers, body=body.finish())


class _Connection(http.client.HTTPConnection):
    """http.client on a socket already connected to a checked address; sends Host itself."""

    def __init__(self, host, port, sock, timeout, https):
        super().__init__(host, port, timeout=timeout)
        self.default_port = 443 if https else 80  # Host: names the port only when not it
        self.sock = sock

    def connect(self):
        raise http.client.NotConnected  # never a second connection, nor a look-up


def _cut(sock):
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the plain socket's, under TLS too
    except OSError:
        pass


class _Body:
    """The body as it is read: refused as soon as it, or its gzip decoding, passes the limit."""

    def __init__(self, encoding, max_bytes):
        encoding = encoding.strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip"):
            raise BrokenAnswer()
        self.decoder = zlib.decompressobj(16 + zlib.MAX_WBITS) if "gzip" in encoding else None
        self.decoded = self.decoder is not None
        self.max_bytes = max_bytes
        self.received = 0
        self.parts = []
        self.size = 0

    def add(self, chunk):
        self.received += len(chunk)
        if self.received > self.max_bytes:
            raise TooLarge(self.max_bytes)
        if self.decoder is None:
            self._keep(chunk)
            return
        try:
            while chunk and not self.decoder.eof:
                # Never more than one byte past the limit is decoded.
                self._keep(self.decoder.decompress(chunk, self.max_bytes - self.size + 1))
                chunk = self.decoder.unconsumed_tail
        except zlib.error as error:
            raise BrokenAnswer() from error

    def _keep(self, data):
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(self.max_bytes)
        self.parts.append(data)

    def finish(self):
        if self.decoder is not None:
            if not self.decoder.eof:
                raise BrokenAnswer()
        return b"".join(self.parts)


def parse_retry_after(value):
    """Seconds to wait from a Retry-After header (seconds or an HTTP date), or None."""
    value = (value or "").strip()
    if value.isdigit():
        return int(value)
    moment = parse_http_date_safe(value)
    if moment is None:
        return None
    return max(0, math.ceil(moment - time.time()))
