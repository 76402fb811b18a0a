from django.urls import path

from oneseal.licences import views_verify

from . import views, views_my

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("guides/", views.guides, name="guides"),
    path("verify/", views_verify.verify, name="verify"),
    path("verify/l/<str:identifier>/", views_verify.verify_licence, name="verify_licence"),
    path("my/", views.my_cases, name="my_cases"),
    path("my/cases/<int:case_id>/", views_my.case_detail, name="my_case"),
    path("my/cases/<int:case_id>/documents/<int:document_id>/", views_my.case_document,
         name="my_case_document"),
    path("my/cases/<int:case_id>/withdraw/", views_my.case_withdraw, name="my_case_withdraw"),
    path("my/messages/", views_my.message_list, name="my_messages"),
    path("my/messages/<int:message_id>/", views_my.message_detail, name="my_message"),
]
