from django.urls import path

from . import views_portal

app_name = "hall_booking"
urlpatterns = [
    path("", views_portal.my_appointments, name="mine"),
    path("book/", views_portal.book, name="book"),
    path("<int:appointment_id>/cancel/", views_portal.cancel, name="cancel"),
]
