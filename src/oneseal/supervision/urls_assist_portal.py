from django.urls import path

from . import views_assist

app_name = "assist_portal"
urlpatterns = [
    path("", views_assist.my_authorisations, name="mine"),
    path("<int:authorisation_id>/revoke/", views_assist.revoke, name="revoke"),
]
