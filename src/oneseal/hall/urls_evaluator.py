from django.urls import path

from . import views_evaluator

app_name = "hall_evaluator"
urlpatterns = [
    path("<int:window_id>/", views_evaluator.evaluator, name="page"),
]
