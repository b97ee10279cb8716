"""Image fields of the admin's forms, held to the images the user may choose.

Wagtail's image chooser lists only the collections one may choose from, but the form
field underneath accepts any image id: a merchant could post the id of another shop's
photo (even one not published yet) into its product or page. Here every image field
accepts the user's choosable images and the image already there."""

from django.db.models import Q
from django.forms import ModelChoiceField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.permissions import policy_registry

from .ownership import is_city_editor


def choosable_images(user, keep=()):
    Image = get_image_model()
    allowed = policy_registry.get_by_type(Image).instances_user_has_any_permission_for(
        user, ["choose"]
    )
    return Image.objects.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=[k for k in keep if k]))


def limit_images(form, user):
    if user is None or is_city_editor(user):
        return
    Image = get_image_model()
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField) and field.queryset.model is Image:
            field.queryset = choosable_images(user, [getattr(form.instance, f"{name}_id", None)])
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            limit_images(child, user)


class MerchantPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_images(self, self.for_user)
