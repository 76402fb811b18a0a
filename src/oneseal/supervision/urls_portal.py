from django.urls import path

from . import views

app_name = "ratings"
urlpatterns = [
    path("<int:case_id>/", views.rate_online, name="rate"),
]
