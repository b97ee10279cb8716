"""The one-click unsubscribe of the newsletter's e-mails (RFC 8058)."""

from django.db.models import F
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from subscriptions import lifecycle
from subscriptions.models import Subscription

from .links import read_link_token, read_unsubscribe_token
from .models import LinkClick, Newsletter


# A mail client posts "List-Unsubscribe=One-Click" to the address of the e-mail's header,
# with no session and no CSRF token (RFC 8058): the signed token is the proof, and it only
# ever stops the town's news. Links in the e-mail lead to the manage page instead (GET).
@csrf_exempt
@never_cache
@require_POST
def unsubscribe(request, token):
    key = read_unsubscribe_token(token)
    if key is None:
        return HttpResponseBadRequest(_("This link is not valid."), content_type="text/plain")
    lifecycle.end(
        Subscription.objects.filter(subscriber__key=key, kind=Subscription.Kind.TOWN_NEWS)
    )
    # The same answer when it was already stopped: nothing to learn from it.
    return HttpResponse(
        _("You will get no more of the town's newsletter."), content_type="text/plain"
    )


@never_cache
def link(request, token):
    """A link of a sent newsletter: counted, then followed. Only to a link the newsletter
    contains (never an open redirect); nothing of who clicked is stored."""
    found = read_link_token(token)
    if found is None:
        raise Http404
    pk, position = found
    newsletter = get_object_or_404(Newsletter, pk=pk)
    if position >= len(newsletter.links):
        raise Http404
    LinkClick.objects.filter(newsletter=newsletter, position=position).update(
        clicks=F("clicks") + 1
    )
    return HttpResponseRedirect(newsletter.links[position])
