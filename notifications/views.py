from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import outbox
from .models import Notification


@require_POST
def resend(request, pk):
    if not request.user.has_perm("notifications.change_notification"):
        raise PermissionDenied
    notification = get_object_or_404(Notification, pk=pk)
    if outbox.resend(notification):
        message = _("E-mail %(email)s will be sent again.")
    else:
        # Someone resent it first (two tabs, a double click): nothing more to do.
        message = _("E-mail %(email)s is already waiting to be sent.")
    messages.success(request, message % {"email": notification})
    return redirect("wagtailadmin_home")
