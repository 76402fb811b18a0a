from django.urls import path  # noqa: F401

app_name = "intermediaries_portal"
urlpatterns: list = []
