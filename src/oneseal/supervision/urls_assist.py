from django.urls import path

from . import views_assist

app_name = "assist"
urlpatterns = [
    path("", views_assist.workbench, name="workbench"),
]
