from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("agenda.ics", views.calendar_feed, name="calendar"),
    path("evenement-<int:pk>.ics", views.event_file, name="event"),
]
