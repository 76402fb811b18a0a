from .urls_depts import portal_urlpatterns

app_name = "coordination_portal"
urlpatterns: list = [*portal_urlpatterns]
