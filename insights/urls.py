from django.urls import path  # noqa: F401

app_name = "insights"

# The beacon that receives counted clicks, the nudges' opt-out links.
urlpatterns = []
