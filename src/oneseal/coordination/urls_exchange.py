"""Workbench pages of events and data exchange (issue 16, 数据交换): subscriptions and
deliveries (dead letters, replay), API keys and their call log. Included by
`urls_workbench` (namespace ``coordination_workbench``)."""

from django.urls import path

from . import views_exchange as views

urlpatterns = [
    path("exchange/", views.exchange_home, name="exchange"),
    path("exchange/subscriptions/new/", views.subscription_new, name="subscription_new"),
    path("exchange/subscriptions/<int:subscription_id>/", views.subscription_detail,
         name="subscription_detail"),
    path("exchange/deliveries/", views.deliveries, name="deliveries"),
    path("exchange/deliveries/<int:delivery_id>/replay/", views.replay, name="replay"),
    path("exchange/keys/", views.keys, name="keys"),
    path("exchange/keys/new/", views.key_new, name="key_new"),
    path("exchange/keys/<int:key_id>/revoke/", views.key_revoke, name="key_revoke"),
    path("exchange/calls/", views.calls, name="calls"),
]
