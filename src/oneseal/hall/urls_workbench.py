from django.urls import path

from . import views_window

app_name = "hall_window"
urlpatterns = [
    path("", views_window.windows, name="windows"),
    path("sign-in/", views_window.sign_in, name="sign_in"),
    path("sign-out/", views_window.sign_out, name="sign_out"),
    path("calling/", views_window.calling, name="calling"),
    path("calling/<str:op>/", views_window.act, name="act"),
    path("settings/", views_window.settings_page, name="settings"),
]
