from django.urls import path

from . import views_portal

app_name = "progress"
urlpatterns = [
    path("", views_portal.progress, name="progress"),
]
