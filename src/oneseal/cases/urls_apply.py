from django.urls import path

from . import views_apply as views

app_name = "apply"
urlpatterns = [
    path("items/<int:item_id>/", views.start, name="start"),
    path("drafts/", views.drafts, name="drafts"),
    path("drafts/<int:draft_id>/", views.resume, name="resume"),
    path("drafts/<int:draft_id>/delete/", views.delete, name="delete"),
    path("drafts/<int:draft_id>/<str:step>/", views.step, name="step"),
    path("cases/<int:case_id>/receipt/", views.receipt_page, name="receipt"),
    path("cases/<int:case_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("cases/<int:case_id>/corrections/", views.corrections, name="corrections"),
]
