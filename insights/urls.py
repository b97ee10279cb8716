from django.urls import path

from . import opt_out, views

app_name = "insights"

# The beacon that receives counted clicks, the nudges' opt-out links.
urlpatterns = [
    path("beacon/", views.beacon, name="beacon"),
    path("ne-plus-recevoir/<str:token>/", opt_out.opt_out, name="opt_out"),
]
