from django.urls import path

from . import views

app_name = "seal"
urlpatterns = [
    path("", views.index, name="index"),
    path("delegations/new/", views.delegation_new, name="delegation_new"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke, name="delegation_revoke"),
    path("<int:pk>/picture/", views.picture, name="picture"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/<int:pk>/pdf/", views.signed_download, name="signed_download"),
]
