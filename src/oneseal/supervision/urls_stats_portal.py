from django.urls import path

from . import views_stats

app_name = "public_stats"
urlpatterns = [
    path("", views_stats.public_figures, name="monthly"),
]
