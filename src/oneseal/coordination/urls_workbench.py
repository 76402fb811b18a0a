from .urls_exchange import urlpatterns as exchange_urlpatterns

app_name = "coordination_workbench"
urlpatterns: list = []
urlpatterns += exchange_urlpatterns  # events and data exchange (h16a)
