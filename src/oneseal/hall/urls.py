from django.urls import path

from . import views_kiosk

app_name = "hall"
urlpatterns = [
    path("kiosk/", views_kiosk.kiosk, name="kiosk"),
    path("ticket/<str:token>/", views_kiosk.ticket_print, name="ticket"),
    path("t/<str:token>/", views_kiosk.follow, name="follow"),
    path("t/<str:token>/qr.svg", views_kiosk.ticket_qr, name="qr"),
    path("map", views_kiosk.map_picture, name="map"),
]
