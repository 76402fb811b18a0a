from django.urls import path

from . import views_portal as views

app_name = "catalog"
urlpatterns = [
    path("", views.item_list, name="items"),
    path("<int:item_id>/", views.item_guide, name="guide"),
    path("materials/<int:material_id>/<str:kind>", views.material_file, name="material_file"),
    path("powers/", views.power_lists, name="power_lists"),
    path("powers/<int:unit_id>/", views.power_list, name="power_list"),
]
