from django.urls import path

from . import views

app_name = "subscriptions"

urlpatterns = [
    path("", views.follow, name="follow"),
    path("envoye/", views.asked, name="asked"),
    path("confirmer/<str:token>/", views.confirm, name="confirm"),
    path("gerer/<str:token>/", views.manage, name="manage"),
    path("oublie/", views.forgotten, name="forgotten"),
]
