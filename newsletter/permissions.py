"""A newsletter that has started sending is kept: its deliveries (who got it, as keyed hashes)
and its link counts are the record of what went out, and its queued batches the outbox
still has to send. The policy answers every view and bulk action that asks it."""

from wagtail.permission_policies import ModelPermissionPolicy

from .models import Newsletter


class NewsletterPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.status != Newsletter.Status.DRAFT:
            return False
        return super().user_has_permission_for_instance(user, action, instance)
