from wagtail.snippets.models import register_snippet

from .views import CollectionPointViewSet

register_snippet(CollectionPointViewSet)
