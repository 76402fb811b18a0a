from .urls_depts import urlpatterns as depts_urlpatterns
from .urls_exchange import urlpatterns as exchange_urlpatterns

app_name = "coordination_workbench"
urlpatterns: list = [*depts_urlpatterns]
urlpatterns += exchange_urlpatterns  # events and data exchange (h16a)
