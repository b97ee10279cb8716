"""`{% picture %}` from portal_images: Wagtail's tag, its filters made once per template."""

from pathlib import Path

from django.template import Context, Template

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
