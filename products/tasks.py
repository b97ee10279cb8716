from django_tasks import task

from .indexing import reindex
from .models import Product


@task()
def reindex_products(ids):
    """Refresh the search entries of products written in bulk (an import), after commit."""
    reindex(Product.objects.select_related("shop", "category"), ids)
    return len(ids)
