from django.urls import path

from . import views

app_name = "archives_workbench"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/verify/", views.verify, name="verify"),
    path("<int:pk>/hold/", views.hold, name="hold"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:pk>/", views.transfer, name="transfer"),
    path("transfers/<int:pk>/export.<str:fmt>", views.transfer_export, name="transfer_export"),
    path("destructions/", views.destructions, name="destructions"),
    path("destructions/<int:pk>/", views.destruction, name="destruction"),
    path("backups/", views.backups, name="backups"),
    path("retention/", views.retention, name="retention"),
]
