from django.urls import path  # noqa: F401

app_name = "licences_portal"
urlpatterns: list = []  # type: ignore[type-arg]
