from django.urls import path

from . import views

app_name = "ratings_workbench"
urlpatterns = [
    path("<int:case_id>/window/", views.rate_window, name="window"),
]
