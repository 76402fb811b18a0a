"""Models of this app."""

from .models_events import (  # noqa: F401  (events and data exchange, issue 16)
    ApiCall,
    ApiKey,
    Event,
    EventAlert,
    EventStream,
    Subscription,
    WebhookDelivery,
)
