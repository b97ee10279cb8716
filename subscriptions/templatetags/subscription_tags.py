from django import template

from ..forms import FollowForm, consent_text
from ..models import Subscription

register = template.Library()


@register.inclusion_tag("subscriptions/follow_form.html", takes_context=True)
def follow_form(context, kind, target=None):
    """The follow form of a page: an e-mail field and the wording consented to. On a cached
    page its CSRF token comes from visitor.js (components/csrf_token.html)."""
    prefix = f"{kind}-{target.pk if target is not None else 'town'}"
    return {
        "form": FollowForm(
            initial={"kind": kind, "target": target.pk if target is not None else None},
            auto_id=f"id_{prefix}_%s",
        ),
        "kind": kind,
        "target": target,
        "consent_text": consent_text(kind, target),
        "is_alert": kind == Subscription.Kind.BACK_IN_STOCK,
        "shared_page": context.get("shared_page"),
        "request": context.get("request"),
    }
