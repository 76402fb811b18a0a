from django.urls import path  # noqa: F401

app_name = "licences"
urlpatterns: list = []  # type: ignore[type-arg]
