from django.urls import path

from . import views_workbench as views

app_name = "intermediaries_workbench"
urlpatterns = [
    path("", views.index, name="index"),
    path("qualifications/<int:pk>/review/", views.review, name="review"),
    path("complaints/<int:pk>/handle/", views.handle, name="handle"),
    path("services/", views.services, name="services"),
    path("services/<int:pk>/", views.services, name="service_edit"),
]
