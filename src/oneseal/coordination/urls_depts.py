"""部门协同 pages (h16b), mounted by urls_workbench.py under /workbench/coordination/."""

from django.urls import path

from . import views_depts

urlpatterns = [
    path("", views_depts.inbox, name="inbox"),
    path("claims/<int:ticket_id>/", views_depts.ticket, name="ticket"),
    path("problems/<int:report_id>/", views_depts.report, name="report"),
    path("cases/<int:case_id>/review/", views_depts.case_review, name="case_review"),
    path("cases/<int:case_id>/visits/", views_depts.case_visits, name="case_visits"),
    path("cases/<int:case_id>/forwarding/", views_depts.case_forwarding,
         name="case_forwarding"),
    path("sealed/<str:kind>/<int:record_id>/", views_depts.sealed_record,
         name="sealed_record"),
    path("experts/", views_depts.expert_pool, name="experts"),
    path("items/", views_depts.item_policies, name="item_policies"),
    path("meetings/", views_depts.meetings, name="meetings"),
    path("meetings/<int:meeting_id>/", views_depts.meeting, name="meeting"),
    path("experts/draws/<int:draw_id>/", views_depts.draw, name="draw"),
]

portal_urlpatterns = [
    path("draws/<int:draw_id>/", views_depts.public_draw, name="public_draw"),
    path("draws/recompute/", views_depts.recompute, name="recompute"),
]
