from django.urls import path

from . import views_form_editor
from . import views_workbench as views

app_name = "catalog_admin"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.item_new, name="item_new"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/draft/", views.draft_create, name="draft_create"),
    path("items/<int:item_id>/memo/", views.memo_edit, name="memo"),
    path("drafts/<int:version_id>/", views.draft, name="draft"),
    path("drafts/<int:version_id>/rows/<str:kind>/", views.draft_rows, name="rows"),
    path("drafts/<int:version_id>/variants/new/", views.variant_edit, name="variant_new"),
    path("drafts/<int:version_id>/variants/<int:variant_id>/", views.variant_edit,
         name="variant"),
    path("drafts/<int:version_id>/variants/<int:variant_id>/delete/", views.variant_delete,
         name="variant_delete"),
    path("drafts/<int:version_id>/online-form/", views_form_editor.online_form,
         name="online_form"),
    path("drafts/<int:version_id>/publish/", views.publish, name="publish"),
    path("drafts/<int:version_id>/discard/", views.discard, name="discard"),
]
