from django.urls import path
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from merchants.admin_guards import city_only

from .admin_views import NewsletterViewSet, sending_page
from .models import Newsletter
from .permissions import NewsletterPermissionPolicy

register_permission_policy(Newsletter, NewsletterPermissionPolicy(Newsletter))
register_snippet(NewsletterViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("newsletter/<int:pk>/sending/", city_only(sending_page), name="newsletter_sending"),
    ]
