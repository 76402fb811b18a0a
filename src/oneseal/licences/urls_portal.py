from django.urls import path

from . import views

app_name = "licences_portal"
urlpatterns = [
    path("mine/", views.my_licences, name="mine"),
    path("mine/<int:licence_id>/pdf/", views.my_licence_pdf, name="pdf"),
]
