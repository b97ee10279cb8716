import json
import re

from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse, HttpResponseBadRequest, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .counting import count, first_click, should_count
from .models import INTENTS

# "event=directions&shop=12&product=34" is 34 bytes; room for a multipart FormData too.
MAX_BEACON_BYTES = 1024
_ID = re.compile(r"[0-9]{1,10}")
_ID_MAX = 2**31 - 1


def _id(value):
    """A positive database id from a form value or a JSON number, or None."""
    if isinstance(value, str) and _ID.fullmatch(value):
        value = int(value)
    if type(value) is int and 0 < value <= _ID_MAX:
        return value
    return None


def _beacon_data(request):
    if request.content_type == "application/json":
        if not request.body.lstrip().startswith(b"{"):
            raise ValueError("not an object")  # nor a nesting deep enough to overflow
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        return data
    return request.POST


@csrf_exempt  # sent by navigator.sendBeacon, which carries no token; it changes no one's data
@require_POST
def beacon(request):
    """A click on a shop's phone number, directions, website, social or share link.

    The shop and product ids are those the page shows anyway; nothing else is kept. A click
    counts once per visitor, kind and page in a window (see counting.first_click). Counted
    or not (a bot, a signed-in editor, a repeat, counting off): 204; malformed: 400.
    """
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        return HttpResponseBadRequest()
    if length > MAX_BEACON_BYTES:
        return HttpResponseBadRequest()
    try:
        data = _beacon_data(request)
    except (
        ValueError,
        RecursionError,
        SuspiciousOperation,
        MultiPartParserError,
        UnreadablePostError,
    ):
        return HttpResponseBadRequest()

    event = data.get("event")
    shop_id = _id(data.get("shop"))
    product = data.get("product")
    product_id = None if product in (None, "") else _id(product)
    if event not in INTENTS or shop_id is None or (product not in (None, "") and not product_id):
        return HttpResponseBadRequest()

    if should_count(request) and first_click(request, event, shop_id, product_id):
        count(event, shop_id, product_id)
    return HttpResponse(status=204)
