from django.urls import path

from . import views

app_name = "merchants"

urlpatterns = [
    path("", views.apply, name="apply"),
    path("merci/", views.applied, name="applied"),
]
