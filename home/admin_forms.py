"""Image and page choosers of the admin's forms, held to what the user may choose.

Wagtail's image chooser lists only the collections one may choose from, but what is posted
underneath is any image id: a merchant could post the id of another shop's photo (even one
not published yet) into its product or page, in an image field or in an image block of a
StreamField, at any depth. Here every image a form receives must be one the user may
choose, or one the object already had; any other is a field error next to its chooser, and
the form shown again does not show that image. Page choosers of StreamField blocks (a call
to action) are held the same way to the pages the user may choose: published ones and its
own, never another shop's draft."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm
from wagtail.blocks import (
    ListBlock,
    ListBlockValidationError,
    PageChooserBlock,
    StreamBlock,
    StreamBlockValidationError,
    StructBlock,
    StructBlockValidationError,
)
from wagtail.blocks.base import BlockField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.models import Page
from wagtail.permissions import policy_registry

NOT_YOURS = _("Choose one of your shop's images.")
NOT_LINKABLE = _("Choose a published page or one of your own.")


def choosable_images(user, keep=()):
    Image = get_image_model()
    allowed = policy_registry.get_by_type(Image).instances_user_has_any_permission_for(
        user, ["choose"]
    )
    return Image.objects.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=[k for k in keep if k]))


def choosable_pages(user, pages):
    """The pages `user` may choose, to link to them: the live ones and those it may edit
    (a merchant's own shop, even unpublished; every page for the city); never the root."""
    editable = policy_registry.get_by_type(Page).instances_user_has_any_permission_for(
        user, ["change", "publish"]
    )
    return pages.exclude(depth=1).filter(Q(live=True) | Q(pk__in=editable.values("pk")))


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


CHOOSERS = ImageChooserBlock | ImageBlock | PageChooserBlock


def chosen_in(block, value):
    """Every image and page chosen in a block's value, at any depth."""
    if value is None:
        return
    if isinstance(block, CHOOSERS):  # ImageBlock's value is the image
        yield value
    elif isinstance(block, StreamBlock):
        for child in value:
            yield from chosen_in(child.block, child.value)
    elif isinstance(block, ListBlock):
        for item in value:
            yield from chosen_in(block.child_block, item)
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            yield from chosen_in(child_block, value.get(name))


def refuse_images(block, value, allowed, allowed_pages=frozenset()):
    """Take every image not in `allowed` and page not in `allowed_pages` (ids) out of a
    block's value, in place; return the errors, nested as Wagtail's own so that each shows
    next to its chooser, or None."""
    if value is None:
        return None
    if isinstance(block, ImageChooserBlock):
        return None if value.pk in allowed else ValidationError(NOT_YOURS)
    if isinstance(block, PageChooserBlock):
        return None if value.pk in allowed_pages else ValidationError(NOT_LINKABLE)
    if isinstance(block, ImageBlock):  # a StructBlock whose value is the image itself
        error = refuse_images(block.child_blocks["image"], value, allowed, allowed_pages)
        return error and StructBlockValidationError(block_errors={"image": error})
    errors = {}
    if isinstance(block, StreamBlock | ListBlock):
        children = value.bound_blocks if isinstance(block, ListBlock) else value
        for i, child in enumerate(children):
            if error := refuse_images(child.block, child.value, allowed, allowed_pages):
                errors[i] = error
                if isinstance(child.block, CHOOSERS):
                    child.value = None
    elif isinstance(block, StructBlock):
        for name, child_block in block.child_blocks.items():
            if error := refuse_images(child_block, value.get(name), allowed, allowed_pages):
                errors[name] = error
                if isinstance(child_block, CHOOSERS):
                    value[name] = None
    if not errors:
        return None
    if isinstance(block, StreamBlock):
        return StreamBlockValidationError(block_errors=errors)
    if isinstance(block, ListBlock):
        return ListBlockValidationError(block_errors=errors)
    return StructBlockValidationError(block_errors=errors)


def ids_by_kind(chosen):
    """The ids of the images and of the pages among chosen objects."""
    pages = {item.pk for item in chosen if isinstance(item, Page)}
    return {item.pk for item in chosen if not isinstance(item, Page)}, pages


def refuse_stream_images(form, user):
    """Every StreamField of the form: images and pages the user may not choose become
    field errors."""
    streams = {
        name: field.block
        for name, field in form.fields.items()
        if isinstance(field, BlockField) and form.cleaned_data.get(name) is not None
    }
    chosen = [
        item
        for name, block in streams.items()
        for item in chosen_in(block, form.cleaned_data[name])
    ]
    if not chosen:
        return
    # What the object already holds stays, wherever it came from.
    kept = [
        item
        for name, block in streams.items()
        for item in chosen_in(block, getattr(form.instance, name, None))
    ]
    images, pages = ids_by_kind(chosen)
    kept_images, kept_pages = ids_by_kind(kept)
    if images:
        images = set(
            choosable_images(user, kept_images).filter(pk__in=images).values_list("pk", flat=True)
        )
    if pages:
        pages = kept_pages | set(
            choosable_pages(user, Page.objects.filter(pk__in=pages)).values_list("pk", flat=True)
        )
    for name, block in streams.items():
        value = form.cleaned_data[name]
        if error := refuse_images(block, value, images, pages):
            form.add_error(name, error)
            # Shown again without what was refused, the rest as the user left it.
            form.fields[name].bound_data = lambda data, initial, value=value: value


class ChoosableImagesMixin:
    """For an admin form (`for_user` is Wagtail's): image fields, in the form and its inline
    forms, and image blocks of its StreamFields accept only images the user may choose; page
    blocks of its StreamFields only pages the user may choose."""

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
