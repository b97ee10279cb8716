"""Image choosers of the admin's forms, held to the images the user may choose.

Wagtail's image chooser lists only the collections one may choose from, but what is posted
underneath is any image id: a merchant could post the id of another shop's photo (even one
not published yet) into its product or page, in an image field or in an image block of a
StreamField, at any depth. Here every image a form receives must be one the user may
choose, or one the object already had; any other is a field error next to its chooser, and
the form shown again does not show that image."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks import (
    ListBlock,
    ListBlockValidationError,
    StreamBlock,
    StreamBlockValidationError,
    StructBlock,
    StructBlockValidationError,
)
from wagtail.blocks.base import BlockField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.permissions import policy_registry

NOT_YOURS = _("Choose one of your shop's images.")


def choosable_images(user, keep=()):
    Image = get_image_model()
    allowed = policy_registry.get_by_type(Image).instances_user_has_any_permission_for(
        user, ["choose"]
    )
    return Image.objects.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=[k for k in keep if k]))


def limit_images(form, user):
    if user is None:
        return
    Image = get_image_model()
    for name, field in form.fields.items():
        if isinstance(field, ModelChoiceField) and field.queryset.model is Image:
            field.queryset = choosable_images(user, [getattr(form.instance, f"{name}_id", None)])
            field.error_messages["invalid_choice"] = NOT_YOURS
            field.bound_data = choosable_or_initial(field)
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            limit_images(child, user)


def choosable_or_initial(field):
    """A form shown again after an error holds the image posted if it may be chosen, else
    the one stored: the chooser never shows a refused image (its title and thumbnail)."""

    def bound_data(data, initial):
        if data in field.empty_values:
            return data
        try:
            return data if field.queryset.filter(pk=data).exists() else initial
        except (ValueError, TypeError, OverflowError):
            return initial

    return bound_data


def images_in(block, value):
    """Every image chosen in a block's value, at any depth."""
    if value is None:
        return
    if isinstance(block, ImageChooserBlock | ImageBlock):  # ImageBlock's value is the image
        yield value
    elif isinstance(block, StreamBlock):
        for child in value:
            yield from images_in(child.block, child.value)
    elif isinstance(block, ListBlock):
        for item in value:
            yield from images_in(block.child_block, item)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from images_in(child_block, value.get(name))


def refuse_images(block, value, allowed):
    """Take every image not in `allowed` (ids) out of a block's value, in place; return the
    errors, nested as Wagtail's own so that each shows next to its chooser, or None."""
    if value is None:
        return None
    if isinstance(block, ImageChooserBlock):
        return None if value.pk in allowed else ValidationError(NOT_YOURS)
    if isinstance(block, ImageBlock):  # a StructBlock whose value is the image itself
        error = refuse_images(block.child_blocks["image"], value, allowed)
        return error and StructBlockValidationError(block_errors={"image": error})
    errors = {}
    if isinstance(block, StreamBlock | ListBlock):
        children = value.bound_blocks if isinstance(block, ListBlock) else value
        for i, child in enumerate(children):
            if error := refuse_images(child.block, child.value, allowed):
                errors[i] = error
                if isinstance(child.block, ImageChooserBlock | ImageBlock):
                    child.value = None
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            if error := refuse_images(child_block, value.get(name), allowed):
                errors[name] = error
                if isinstance(child_block, ImageChooserBlock | ImageBlock):
                    value[name] = None
    if not errors:
        return None
    if isinstance(block, StreamBlock):
        return StreamBlockValidationError(block_errors=errors)
    if isinstance(block, ListBlock):
        return ListBlockValidationError(block_errors=errors)
    return StructBlockValidationError(block_errors=errors)


def refuse_stream_images(form, user):
    """Every StreamField of the form: images the user may not choose become field errors."""
    streams = {
        name: field.block
        for name, field in form.fields.items()
        if isinstance(field, BlockField) and form.cleaned_data.get(name) is not None
    }
    chosen = {
        image.pk
        for name, block in streams.items()
        for image in images_in(block, form.cleaned_data[name])
    }
    if not chosen:
        return
    # The images the object already holds stay, wherever they came from.
    kept = {
        image.pk
        for name, block in streams.items()
        for image in images_in(block, getattr(form.instance, name, None))
    }
    allowed = set(choosable_images(user, kept).filter(pk__in=chosen).values_list("pk", flat=True))
    for name, block in streams.items():
        value = form.cleaned_data[name]
        if error := refuse_images(block, value, allowed):
            form.add_error(name, error)
            # Shown again without the refused images, the rest as the user left it.
            form.fields[name].bound_data = lambda data, initial, value=value: value


class ChoosableImagesMixin:
    """For an admin form (`for_user` is Wagtail's): image fields, in the form and its inline
    forms, and image blocks of its StreamFields accept only images the user may choose."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_images(self, self.for_user)

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is not None:
            refuse_stream_images(self, self.for_user)
        return cleaned_data


class PortalPageForm(ChoosableImagesMixin, WagtailAdminPageForm):
    """The base form of every page type of the portal."""


class PortalModelForm(ChoosableImagesMixin, WagtailAdminModelForm):
    """The base form of snippets with images."""
