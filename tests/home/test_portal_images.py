"""`{% picture %}` from portal_images: Wagtail's tag, its filters made once per template and
its HTML once per set of renditions."""

from pathlib import Path

from django.template import Context, Template

from home.templatetags import portal_images
from tests import builders

TAG = '{% picture image format-{webp,jpeg} fill-{320x240,640x480} sizes="50vw" alt="" %}'


def stem(image):
    """The start of its renditions' file names (the original's, made unique on upload)."""
    return Path(image.file.name).stem


def picture(libraries):
    return Template("{% load " + libraries + " %}" + TAG)


def test_a_picture_renders_each_image_as_wagtails_own_tag_does(db):
    ours = picture("wagtailimages_tags portal_images")
    wagtails = picture("wagtailimages_tags")
    shop, product = builders.make_image("Vitrine"), builders.make_image("Pain")

    for image, other in ((shop, product), (product, shop), (shop, product)):
        html = ours.render(Context({"image": image}))
        assert html == wagtails.render(Context({"image": image}))
        assert html.count(f"images/{stem(image)}.") == 5  # 4 in the sources, 1 in the <img>
        assert f"images/{stem(other)}." not in html


def test_the_filters_are_made_once_per_template(db):
    template = picture("wagtailimages_tags portal_images")
    (node,) = [node for node in template.nodelist if hasattr(node, "get_filters")]

    assert node.get_filters() is node.get_filters()
    assert [f.spec for f in node.get_filters()] == [
        "format-webp|fill-320x240",
        "format-webp|fill-640x480",
        "format-jpeg|fill-320x240",
        "format-jpeg|fill-640x480",
    ]


def test_the_html_is_made_once_per_set_of_renditions(db):
    template = picture("wagtailimages_tags portal_images")
    image = builders.make_image("Vitrine")
    portal_images._pictures.clear()

    first = template.render(Context({"image": image}))
    assert len(portal_images._pictures) == 1
    image.refresh_from_db()  # another card's own copy of the image and its renditions
    assert template.render(Context({"image": image})) == first
    assert len(portal_images._pictures) == 1


def test_new_renditions_or_a_new_alternative_text_show_at_once(db):
    template = Template(
        "{% load wagtailimages_tags portal_images %}"
        "{% picture image format-{webp,jpeg} fill-{320x240,640x480} %}"
    )
    image = builders.make_image("Vitrine")
    before = template.render(Context({"image": image}))
    assert 'alt="Vitrine"' in before

    image.description = "La vitrine en hiver"
    image.save()
    assert 'alt="La vitrine en hiver"' in template.render(Context({"image": image}))

    # A new focal point makes other renditions: the picture names them.
    names = set(image.renditions.values_list("file", flat=True))
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width = image.focal_point_height = 8
    image.save()
    after = template.render(Context({"image": image}))
    new_names = set(image.renditions.values_list("file", flat=True)) - names
    assert len(new_names) == 4
    assert all(name in after for name in new_names)
