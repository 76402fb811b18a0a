from django.urls import path  # noqa: F401

app_name = "coordination_portal"
urlpatterns: list = []
