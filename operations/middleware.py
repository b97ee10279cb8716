"""One log line per request, for the operator: `method=GET path=/commerces/ status=200
duration_ms=41.7` (logfmt), on the logger portal.requests. The path only: a query string
can hold what a resident typed."""

import json
import logging
import time

logger = logging.getLogger("portal.requests")


def logfmt(**fields):
    """key=value pairs; a value with a space, a quote, an equals sign, a control character
    or nothing at all is a JSON string (quoted, escaped)."""
    pairs = []
    for key, value in fields.items():
        text = str(value)
        if not text or any(char in text for char in ' "=\\') or not text.isprintable():
            text = json.dumps(text, ensure_ascii=False)
        pairs.append(f"{key}={text}")
    return " ".join(pairs)


class RequestLogMiddleware:
    """First of the middleware, so its duration covers all the others (and an answer of
    the security middleware, whitenoise or an exception turned into a 500 is logged too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        logger.info(
            logfmt(
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=f"{duration_ms:.1f}",
            )
        )
        return response
