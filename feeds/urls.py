"""The feeds' addresses: the town's, then each shop's (by its id, which never changes: a
feed registered in Merchant Center or Commerce Manager keeps working when the shop is
renamed), then each product category's news."""

from django.urls import include, path

from . import views

FEEDS = [
    path("google.xml", views.google_products, name="google"),
    path("google-stock-local.xml", views.local_inventory, name="local"),
    path("meta.csv", views.meta_catalogue, name="meta"),
    path("nouveautes.atom", views.news, name="news"),
]

app_name = "feeds"
urlpatterns = [
    path("", include((FEEDS, "town"))),
    path("commerce/<int:shop_id>/", include((FEEDS, "shop"))),
    path("categorie/<slug:category>/nouveautes.atom", views.news, name="category_news"),
]
