"""The city editors group and what it may do; kept in step after every migrate."""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .ownership import CITY_EDITORS_GROUP

# Models city editors add, change and delete, as "app_label.model": Wagtail's, and those of
# merchants and the apps below it; an app built on merchants declares its own on its
# AppConfig (`city_editor_models`, model names), read by declared_by_apps().
CITY_EDITOR_MODELS = [
    "home.portalsettings",
    "merchants.shopcategory",
    "merchants.neighbourhood",
    "merchants.shopmembership",
    "merchants.merchantapplication",
    "notifications.notification",  # the outbox's health panel and "resend"
    "wagtailsearchpromotions.searchpromotion",  # promoted results for a query
    "wagtailredirects.redirect",  # posters and shared links must not break
]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "change", "choose", "delete"]),
    ("wagtaildocs", "document", ["add", "change", "choose", "delete"]),
]


def declared_by_apps(attribute):
    """("app_label", name) for each name an installed app lists in its AppConfig's
    `attribute`."""
    return [
        (config.label, name)
        for config in apps.get_app_configs()
        for name in getattr(config, attribute, ())
    ]


def admin_access_only_group(name):
    """The group `name` holding the admin log-in and nothing else: a role whose views check
    the ownership rule themselves (a collection point's staff, a courier's members)."""
    group, _created = Group.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def ensure_city_editors_group():
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    group, _created = Group.objects.get_or_create(name=CITY_EDITORS_GROUP)

    model_query = Q()
    models = [dotted.split(".") for dotted in CITY_EDITOR_MODELS]
    for app_label, model in models + declared_by_apps("city_editor_models"):
        model_query |= Q(content_type__app_label=app_label, content_type__model=model)
    permissions = list(Permission.objects.filter(model_query))
    permissions += list(
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    group.permissions.add(*permissions)

    root_page = Page.get_first_root_node()
    if root_page:
        for codename in PAGE_PERMISSIONS:
            permission = Permission.objects.filter(
                content_type__app_label="wagtailcore", codename=codename
            ).first()
            if permission:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=permission
                )

    root_collection = Collection.get_first_root_node()
    if root_collection:
        for app_label, model, actions in COLLECTION_PERMISSIONS:
            for action in actions:
                permission = Permission.objects.filter(
                    content_type__app_label=app_label, codename=f"{action}_{model}"
                ).first()
                if permission:
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
    return group
