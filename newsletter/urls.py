from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("desabonner/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("lien/<str:token>/", views.link, name="link"),
]
