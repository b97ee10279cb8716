from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("ajouter/", views.add, name="add"),
    path("visiteur.json", views.visitor, name="visitor"),
    path("modifier/", views.change, name="change"),
    path("coordonnees/", views.checkout, name="checkout"),
    path("verifier/", views.review, name="review"),
    path("merci/<slug:token>/", views.confirmation, name="confirmation"),
    path("suivi/<slug:token>/", views.status, name="status"),
]
