"""The admin API's images and documents, narrowed to those the user may choose."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry


class ChoosableOnlyMixin:
    """The admin API lists every image and document of collections without view
    restrictions: here only those the user may choose, as in the choosers."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        choosable = policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
        return super().get_queryset().filter(pk__in=choosable.values("pk"))


class ChoosableImagesAPIViewSet(ChoosableOnlyMixin, ImagesAdminAPIViewSet):
    pass


class ChoosableDocumentsAPIViewSet(ChoosableOnlyMixin, DocumentsAdminAPIViewSet):
    pass
