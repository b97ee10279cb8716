from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo town (seed_demo). It has no models; it is an app so that its commands are
    found. It builds on every other app, and none of them imports it."""

    name = "demo"
