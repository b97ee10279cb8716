"""Every image chooser a merchant reaches accepts only the images it may choose: ordinary
fields and image blocks of StreamFields at any depth, in every page type and snippet form."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail import blocks
from wagtail.images.blocks import ImageBlock, ImageChooserBlock
from wagtail.models import get_page_models
from wagtail.snippets.models import get_snippet_models

from home.admin_forms import ChoosableImagesMixin, refuse_images

from .. import builders
from ..builders import FormFields, admin_login

pytestmark = pytest.mark.django_db

NOT_YOURS = "Choose one of your shop's images."


def photo_in(collection, title):
    image = builders.make_image(title)
    image.collection = collection
    image.save()
    return image


def edit_with_a_block(client, shop, block_type, values, **changes):
    """The shop's edit form as the browser posts it, publishing, with one block in the
    description (Wagtail's JavaScript writes the StreamField's inputs)."""
    url = reverse("wagtailadmin_pages:edit", args=[shop.pk])
    form = FormFields("page-edit-form")
    form.feed(client.get(url).content.decode())
    block = "description-0"
    data = {
        **form.data,
        "description-count": ["1"],
        f"{block}-type": [block_type],
        f"{block}-id": [str(uuid.uuid4())],
        f"{block}-order": ["0"],
        f"{block}-deleted": [""],
        **{f"{block}-value-{name}": [value] for name, value in values.items()},
        "action-publish": ["action-publish"],
    }
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data)


def edit_with_an_image_block(client, shop, image, **changes):
    values = {"image": str(image.pk), "alt_text": "Notre vitrine"}
    return edit_with_a_block(client, shop, "image", values, **changes)


def test_another_shops_image_in_the_shop_description_is_refused_next_to_its_block(
    client, baker, bakery, flower_shop
):
    theirs = photo_in(flower_shop.access.collection, "Pivoines MARQUEUR-FLEUR")
    revision_before = bakery.latest_revision_id
    admin_login(client, baker)

    response = edit_with_an_image_block(client, bakery, theirs, tagline="Un nouveau slogan")

    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_YOURS.replace("'", "&#x27;") in page
    assert "Un nouveau slogan" in page  # what the merchant typed stays
    assert "MARQUEUR-FLEUR" not in page  # the refused image is not shown back
    bakery.refresh_from_db()
    assert bakery.latest_revision_id == revision_before
    assert bakery.tagline != "Un nouveau slogan"
    assert not any(block.block_type == "image" for block in bakery.description)


def test_another_shops_image_as_the_logo_is_refused_and_not_shown_back(
    client, baker, bakery, flower_shop
):
    theirs = photo_in(flower_shop.access.collection, "Logo MARQUEUR-FLEUR")
    ours = photo_in(bakery.access.collection, "Notre vitrine")
    admin_login(client, baker)

    response = edit_with_an_image_block(client, bakery, ours, logo=str(theirs.pk))

    assert response.status_code == 200
    page = response.content.decode()
    assert NOT_YOURS.replace("'", "&#x27;") in page
    assert "MARQUEUR-FLEUR" not in page  # neither its title nor its thumbnail
    bakery.refresh_from_db()
    assert bakery.logo_id is None


def edit_with_a_call_to_action(client, shop, page):
    values = {"text": "Voir aussi", "page": str(page.pk), "url": ""}
    return edit_with_a_block(client, shop, "call_to_action", values)


def test_a_call_to_action_cannot_link_to_another_shops_draft(client, baker, bakery):
    draft = builders.shop("Boutique MARQUEUR-BROUILLON", slug="brouillon", publish=False)
    revision_before = bakery.latest_revision_id
    admin_login(client, baker)

    response = edit_with_a_call_to_action(client, bakery, draft)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a published page or one of your own." in page
    assert "MARQUEUR-BROUILLON" not in page  # the refused page is not shown back
    bakery.refresh_from_db()
    assert bakery.latest_revision_id == revision_before


def test_a_call_to_action_links_to_a_published_page_or_the_shops_own(
    client, baker, bakery, flower_shop
):
    admin_login(client, baker)

    assert edit_with_a_call_to_action(client, bakery, flower_shop).status_code == 302
    bakery.refresh_from_db()
    assert [block.value["page"].pk for block in bakery.description] == [flower_shop.pk]
    bakery.unpublish()
    assert edit_with_a_call_to_action(client, bakery, bakery).status_code == 302


def test_the_merchants_own_image_goes_into_the_description(client, baker, bakery):
    ours = photo_in(bakery.access.collection, "Notre vitrine")
    admin_login(client, baker)

    response = edit_with_an_image_block(client, bakery, ours)

    assert response.status_code == 302
    bakery.refresh_from_db()
    assert [block.value.pk for block in bakery.description] == [ours.pk]


def test_an_image_the_description_already_holds_stays(client, baker, bakery):
    from_the_city = builders.make_image("Photo de la ville")  # the root collection
    bakery.description = [("image", from_the_city)]
    bakery.save_revision().publish()
    admin_login(client, baker)

    response = edit_with_an_image_block(client, bakery, from_the_city)

    assert response.status_code == 302


def test_image_choosers_nested_in_structs_and_lists_are_held_too(bakery, flower_shop):
    ours = photo_in(bakery.access.collection, "Notre pain")
    theirs = photo_in(flower_shop.access.collection, "Leurs fleurs")
    gallery = blocks.StructBlock(
        [
            ("cover", ImageChooserBlock()),
            ("photos", blocks.ListBlock(ImageBlock())),
        ]
    )
    stream = blocks.StreamBlock([("gallery", gallery), ("image", ImageChooserBlock())])
    value = stream.to_python(
        [
            {
                "type": "gallery",
                "value": {
                    "cover": ours.pk,
                    "photos": [
                        {"image": ours.pk, "alt_text": "a", "decorative": False},
                        {"image": theirs.pk, "alt_text": "b", "decorative": False},
                    ],
                },
            },
            {"type": "image", "value": theirs.pk},
        ]
    )

    with translation.override("en"):
        error = refuse_images(stream, value, allowed={ours.pk}).as_json_data()

    assert error == {
        "blockErrors": {
            0: {
                "blockErrors": {
                    "photos": {
                        "blockErrors": {1: {"blockErrors": {"image": {"messages": [NOT_YOURS]}}}}
                    }
                }
            },
            1: {"messages": [NOT_YOURS]},
        }
    }


def admin_forms():
    """The admin form of every page type, and of every snippet with an edit view."""
    for model in get_page_models():
        if model._meta.app_label != "wagtailcore":
            yield model, model.get_edit_handler().get_form_class()
    for model in get_snippet_models():
        yield model, model.snippet_viewset.get_edit_handler().get_form_class()


def has_an_image_chooser(form_class):
    from django.forms import ModelChoiceField
    from wagtail.blocks.base import BlockField
    from wagtail.images import get_image_model

    for field in form_class.base_fields.values():
        if isinstance(field, ModelChoiceField) and field.queryset.model is get_image_model():
            return True
        if isinstance(field, BlockField):
            return True  # a StreamField: any block may hold an image, now or later
    return any(has_an_image_chooser(formset.form) for formset in form_class.formsets.values())


def test_every_admin_form_with_an_image_chooser_holds_it_to_the_users_images():
    unheld = [
        model.__name__
        for model, form_class in admin_forms()
        if has_an_image_chooser(form_class) and not issubclass(form_class, ChoosableImagesMixin)
    ]

    assert unheld == []
