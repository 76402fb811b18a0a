from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guides, name="guides"),
    path("verify/", views.verify, name="verify"),
    path("my/", views.my_cases, name="my_cases"),
]
