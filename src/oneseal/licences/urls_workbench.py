from django.urls import path

from . import views

app_name = "licences"
urlpatterns = [
    path("", views.licence_list, name="list"),
    path("<int:licence_id>/", views.licence_detail, name="detail"),
    path("<int:licence_id>/state/", views.licence_state, name="state"),
    path("<int:licence_id>/pdf/", views.licence_pdf, name="pdf"),
]

# --- the 用印审批 queue (helper C; appended) ----------------------------------------------
from . import views_queue  # noqa: E402

urlpatterns += [
    path("seal-queue/", views_queue.seal_queue, name="seal_queue"),
    path("seal-queue/cases/<int:case_id>/authorise/", views_queue.authorise_case,
         name="seal_queue_authorise_case"),
    path("seal-queue/documents/<int:document_id>/authorise/", views_queue.authorise_document,
         name="seal_queue_authorise_document"),
    path("seal-queue/uses/<int:use_id>/retry/", views_queue.retry, name="seal_queue_retry"),
]
