from django.db import migrations


def analyze_search_index(apps, schema_editor):
    """A site upgraded with its products already indexed gets the statistics that bulk
    indexing now leaves behind (products/indexing.py), without waiting for an import."""
    from products.indexing import refresh_planner_statistics

    if schema_editor.connection.alias == "default":
        refresh_planner_statistics()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(analyze_search_index, migrations.RunPython.noop)]
