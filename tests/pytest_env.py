"""Test-run defaults, set before Django reads its settings (loaded with -p)."""

import os

os.environ.setdefault("ONESEAL_TESTING", "1")
os.environ.setdefault("ONESEAL_DEV", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")  # Playwright's sync API beside live_server
