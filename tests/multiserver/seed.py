"""The small town the two-servers test serves, made with the test builders in a process of
its own running the production settings (so its image goes to the shared bucket):
`manage.py shell -c "from tests.multiserver.seed import main; main()"`. Prints what the
test needs to know, as JSON, on its last line."""

import json

from django.contrib.auth import get_user_model

from tests import builders

ADMIN = ("city", "two servers, one town")


def main():
    get_user_model().objects.create_superuser(ADMIN[0], "ville@example.org", ADMIN[1])
    bakery = builders.shop("Boulangerie Dupont", offers_pickup=True)
    baguette = builders.product(bakery, "Baguette tradition", price="1.30")
    tart = builders.product(
        bakery, "Tarte au riz", image=builders.make_image("Tarte au riz", size=(800, 600))
    )
    croissant = builders.product(bakery, "Croissant", price="1.20")

    # A change waiting in a draft, for the publish.
    florist = builders.shop("Fleurs Martin")
    florist.title = "Fleurs Martin & fils"
    florist.save_revision()

    print(
        json.dumps(
            {
                "bakery": bakery.pk,
                "baguette": baguette.pk,
                "tart_url": bakery.url + tart.slug + "/",
                "tart_image": tart.images.get().image_id,
                "croissant": croissant.pk,
                "croissant_url": bakery.url + croissant.slug + "/",
                "florist": florist.pk,
                "florist_url": florist.url,
            }
        )
    )
