"""Applicants' own account pages, under /accounts/ beside the login (see views_portal)."""

from django.urls import path

from . import views_portal

app_name = "applicants_portal"
urlpatterns = [
    path("register/", views_portal.register, name="register"),
    path("reset/", views_portal.reset, name="reset"),
    path("register/organisation/", views_portal.register_organisation,
         name="register_organisation"),
    path("organisations/", views_portal.organisations, name="organisations"),
    path("organisations/<int:organisation_id>/", views_portal.organisation,
         name="organisation"),
    path("organisations/<int:organisation_id>/operators/<int:authorisation_id>/remove/",
         views_portal.remove_operator, name="remove_operator"),
]
