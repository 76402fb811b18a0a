"""Pages of the working-day calendar: the public calculator and the administrators' pages.
Mounted at the site root by config/urls.py."""

from django.urls import path

from . import views

app_name = "workcalendar"
urlpatterns = [
    path("tools/deadline/", views.deadline_tool, name="deadline_tool"),
    path("workbench/calendar/", views.calendar_admin, name="admin"),
    path("workbench/calendar/new/", views.calendar_edit, name="new"),
    path("workbench/calendar/<int:year>/", views.calendar_edit, name="year"),
]
