from django.urls import path

from . import views_board, views_records

app_name = "supervision"
urlpatterns = [
    path("", views_board.board_page, name="board"),
    path("export/", views_board.board_export, name="board_export"),
    path("alerts/", views_board.alert_list, name="alerts"),
    path("alerts/mine/", views_board.my_alerts, name="my_alerts"),
    path("alerts/<int:alert_id>/acknowledge/", views_board.alert_acknowledge, name="alert_ack"),
    path("alerts/<int:alert_id>/close/", views_board.alert_close, name="alert_close"),
    path("anomalies/", views_records.anomaly_list, name="anomalies"),
    path("anomalies/scan/", views_records.anomaly_scan, name="anomaly_scan"),
    path("anomalies/<int:anomaly_id>/close/", views_records.anomaly_close, name="anomaly_close"),
    path("anomalies/<int:anomaly_id>/take/", views_records.anomaly_take, name="anomaly_take"),
    path("follow-ups/", views_records.follow_up_list, name="follow_ups"),
    path("follow-ups/<int:follow_up_id>/", views_records.follow_up_detail, name="follow_up"),
    path("audit/", views_records.audit_page, name="audit"),
    path("audit/check/", views_records.audit_run_check, name="audit_check"),
    path("log/", views_records.log_page, name="log"),
]
