"""What an upload may weigh: a few kilobytes can claim a picture of a hundred megapixels."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images.models import Image

from ..builders import admin_login


def png(width, height):
    buffer = io.BytesIO()
    PILImage.new("1", (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_image_of_more_than_40_megapixels_is_refused_next_to_its_field(client, city_editor):
    admin_login(client, city_editor)
    bomb = png(11_000, 11_000)
    assert len(bomb) < 200_000  # small on disk: only its header tells

    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "Vitrine", "file": SimpleUploadedFile("vitrine.png", bomb, "image/png")},
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["file"]
    assert error.code == "file_too_many_pixels"
    assert not Image.objects.filter(title="Vitrine").exists()


def test_a_shop_photo_of_a_normal_size_is_accepted(client, city_editor):
    admin_login(client, city_editor)

    client.post(
        reverse("wagtailimages:add"),
        {"title": "Vitrine", "file": SimpleUploadedFile("vitrine.png", png(4000, 3000))},
    )

    assert Image.objects.filter(title="Vitrine").exists()
