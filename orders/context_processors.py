from .request_list import RequestList


def request_list(request):
    """The number of articles in the resident's request list, for the header (no query)."""
    if not hasattr(request, "session"):
        return {}
    return {"request_list_count": RequestList(request.session).count}
