from django.urls import path  # noqa: F401

app_name = "archives_workbench"
urlpatterns: list = []
