from django.urls import path

from . import views_case, views_intake, views_lists

app_name = "cases"
urlpatterns = [
    path("", views_lists.case_list, name="list"),
    path("intake/", views_intake.intake, name="intake"),
    path("intake/person/", views_intake.register_person, name="register_person"),
    path("intake/organisation/", views_intake.register_organisation,
         name="register_organisation"),
    path("intake/new/", views_intake.intake_new, name="intake_new"),
    path("tasks/", views_lists.tasks, name="tasks"),
    path("delivery/", views_lists.delivery_queue, name="delivery"),
    path("online/", views_lists.online_queue, name="online_queue"),
    path("waiting/", views_lists.window_queue, name="waiting"),
    path("delivery/<int:case_id>/", views_lists.deliver, name="deliver"),
    path("<int:case_id>/", views_case.case_detail, name="case"),
    path("<int:case_id>/do/<str:op>/", views_case.case_action, name="act"),
    path("<int:case_id>/files/<int:file_id>/", views_case.case_file, name="file"),
    path("<int:case_id>/documents/<int:document_id>/", views_case.case_document,
         name="document"),
    path("<int:case_id>/documents/<int:document_id>/signed/",
         views_case.case_document_signed, name="document_signed"),
]
