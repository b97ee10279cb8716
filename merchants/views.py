from django.db import transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from wagtail.models import Site

from home.forms import too_many_sent

from . import applications
from .forms import ApplicationForm


@require_http_methods(["GET", "POST"])
def apply(request):
    """“Inscrire mon commerce”: the application is stored, then the city is told."""
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return redirect("merchants:applied")
        if too_many_sent("apply", request, form.cleaned_data["email"]):
            form.add_error(None, _("Too many applications from here: try again in an hour."))
        else:
            with transaction.atomic():
                application = form.save()
                applications.received(application, Site.find_for_request(request))
            return redirect("merchants:applied")
    return TemplateResponse(
        request,
        "merchants/apply.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def applied(request):
    return TemplateResponse(request, "merchants/applied.html")
