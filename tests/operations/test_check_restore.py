"""manage.py check_restore: what a restored copy must have before the portal runs on it."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(bakery):
    image = builders.make_image("Vitrine")
    builders.product(bakery, "Baguette tradition", image=image)
    image.get_rendition("fill-100x100")
    return image


def check_restore(*args):
    out = io.StringIO()
    call_command("check_restore", *args, stdout=out)
    return out.getvalue()


def test_a_complete_copy_passes_and_shows_its_counts(bakery, flower_shop, photo):
    output = check_restore()

    assert "migrations: all applied" in output
    assert "shops: 2, live shops: 2, products: 1, order requests: 0" in output
    assert "image files: 1 of 1 found" in output
    assert "rendition files: 1 of 1 found" in output
    assert "outbox: 0 e-mails waiting, 0 failed" in output
    assert "The restored copy is complete." in output


def test_an_image_whose_file_was_not_restored_fails(photo):
    photo.file.storage.delete(photo.file.name)

    with pytest.raises(CommandError) as refusal:
        check_restore()

    assert f"1 of 1 image files missing from the storage (the first: {photo.file.name})" in str(
        refusal.value
    )
    assert "restore the media with the database" in str(refusal.value)


def test_a_missing_rendition_fails_with_the_way_to_make_it_again(photo):
    rendition = photo.renditions.get()
    rendition.file.storage.delete(rendition.file.name)

    with pytest.raises(CommandError, match="wagtail_update_image_renditions --purge-only"):
        check_restore()


def test_a_copy_older_than_the_code_names_its_missing_migrations(photo):
    MigrationRecorder(connection).record_unapplied("operations", "0001_initial")

    with pytest.raises(CommandError, match=r"1 migrations not applied \(operations.0001_initial"):
        check_restore()


def test_a_sample_checks_only_that_many_files(photo):
    builders.make_image("Comptoir")

    assert "image files: 1 of 1 found" in check_restore("--sample", "1")
    assert "image files: 2 of 2 found" in check_restore()
