from django.urls import path

from . import views_display

app_name = "hall_screen"
urlpatterns = [
    path("", views_display.hall_screen, name="hall"),
    path("window/<str:number>/", views_display.window_screen, name="window"),
    path("<int:hall_id>/state.json", views_display.state, name="state"),
]
