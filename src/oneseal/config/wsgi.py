"""WSGI entry point used by `oneseal serve` (granian or gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneseal.config.settings")
application = get_wsgi_application()
