"""Staff sessions are short: they end when the browser closes, and at the latest
PORTAL_STAFF_SESSION_HOURS after the log-in, whatever "Remember me" said.

Staff are the users who may enter the admin (city editors and merchants). Their session
gets a deadline when they log in; the middleware logs a session out once its deadline has
passed — the server side of the limit, since a browser that restores its tabs also keeps
its session cookies. Residents never log in: their sessions, which hold their request
lists, keep Django's defaults.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

DEADLINE_KEY = "portal_staff_deadline"


def may_enter_admin(user):
    return user.has_perm("wagtailadmin.access_admin")


@receiver(user_logged_in, dispatch_uid="home.staff_sessions.shorten")
def shorten_staff_session(sender, request, user, **kwargs):
    if request is None or not may_enter_admin(user):
        return
    request.session[DEADLINE_KEY] = int(time.time()) + settings.PORTAL_STAFF_SESSION_HOURS * 3600
    request.session.set_expiry(0)


class StaffSessionMiddleware:
    """After AuthenticationMiddleware: a staff session past its deadline is logged out
    before the view runs (the admin then asks to log in again)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, no session to read: nothing is loaded for most visitors.
        has_session = settings.SESSION_COOKIE_NAME in request.COOKIES
        if has_session:
            deadline = request.session.get(DEADLINE_KEY)
            if deadline is not None and time.time() >= deadline:
                logout(request)
        response = self.get_response(request)
        # Wagtail's log-in view sets the expiry after user_logged_in ("Remember me" asks
        # for two weeks): a staff session still ends with the browser. Only a session
        # changed by this request (such as by a log-in) is looked at.
        session = request.session
        if session.modified and DEADLINE_KEY in session:
            if not session.get_expire_at_browser_close():
                session.set_expiry(0)
        return response
