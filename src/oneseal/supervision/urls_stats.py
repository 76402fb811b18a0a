from django.urls import path

from . import views_stats

app_name = "case_stats"
urlpatterns = [
    path("", views_stats.stats_page, name="page"),
    path("export.xlsx", views_stats.stats_export, name="export"),
]
