from django.urls import path

from oneseal.licences import views_verify

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guides, name="guides"),
    path("verify/", views_verify.verify, name="verify"),
    path("verify/l/<str:identifier>/", views_verify.verify_licence, name="verify_licence"),
    path("my/", views.my_cases, name="my_cases"),
]
