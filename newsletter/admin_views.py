"""The newsletter in the admin, the communications team's alone: write it (with a preview
as the e-mail), send a test to oneself, send it to the town's news subscribers, pause."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views import snippets

from home.admin_forms import PortalModelForm
from merchants.admin_guards import PortalSnippetViewSet

from . import sending
from .models import Newsletter

ACTIONS = {
    "test": None,
    "start": sending.start,
    "pause": sending.pause,
    "resume": sending.resume,
}


class NewsletterEditView(snippets.EditView):
    def get(self, request, *args, **kwargs):
        if self.object.status != Newsletter.Status.DRAFT:
            messages.warning(
                request,
                _("This newsletter is being or has been sent: changes here are not sent."),
            )
        return super().get(request, *args, **kwargs)

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                gettext_lazy("Test and send"),
                url=reverse("newsletter_sending", args=[self.object.pk]),
                icon_name="mail",
            ),
        ]


class NewsletterDeleteView(snippets.DeleteView):
    """Says why a newsletter that has started sending cannot be deleted (the permission
    policy refuses it), instead of a bare "permission denied"."""

    def dispatch(self, request, *args, **kwargs):
        if not self.user_has_permission_for_instance("delete", self.object):
            messages.error(
                request,
                _(
                    "“%(subject)s” has started sending: it is kept as the record of what went "
                    "out. Pause it to stop the sending."
                )
                % {"subject": self.object.subject},
            )
            return redirect(self.edit_url_name, self.object.pk)
        return super().dispatch(request, *args, **kwargs)


class NewsletterViewSet(PortalSnippetViewSet):
    model = Newsletter
    icon = "mail"
    menu_label = gettext_lazy("Newsletter")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["subject", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    search_fields = ["subject"]
    edit_view_class = NewsletterEditView
    delete_view_class = NewsletterDeleteView
    # Its body's blocks take images and pages the editor may choose, as every admin form.
    edit_handler = ObjectList(
        [FieldPanel("subject"), FieldPanel("body")], base_form_class=PortalModelForm
    )


def sending_page(request, pk):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "test":
            if request.user.email:
                sending.send_test(newsletter, request.user.email)
                messages.success(
                    request, _("A test was sent to %(email)s.") % {"email": request.user.email}
                )
            else:
                messages.error(request, _("Your account has no e-mail address to send a test to."))
        elif action in ACTIONS and ACTIONS[action](newsletter):
            messages.success(request, _("Done: %(newsletter)s.") % {"newsletter": newsletter})
        return redirect("newsletter_sending", pk=newsletter.pk)
    return TemplateResponse(
        request,
        "newsletter/admin/sending.html",
        {
            "newsletter": newsletter,
            "recipients": sending.recipients().count(),
            "delivered": newsletter.deliveries.count(),
            "clicks": newsletter.clicks.all(),
            "edit_url": reverse("wagtailsnippets_newsletter_newsletter:edit", args=[pk]),
        },
    )
