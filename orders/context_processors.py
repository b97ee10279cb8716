from home import page_cache

from .request_list import RequestList


def request_list(request):
    """The number of articles in the resident's request list, for the header (no query). A
    page shared by every visitor has none: orders.views.visitor gives each their own."""
    if not hasattr(request, "session") or page_cache.is_shared(request):
        return {}
    return {"request_list_count": RequestList(request.session).count}
