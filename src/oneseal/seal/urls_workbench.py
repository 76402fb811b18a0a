from django.urls import path  # noqa: F401

app_name = "seal"
urlpatterns: list = []  # type: ignore[type-arg]
