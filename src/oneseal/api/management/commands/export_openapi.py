"""Print the OpenAPI 3 schema of /api/v1/ as JSON (docs/openapi.json is its committed copy)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from oneseal.api.urls import api


class Command(BaseCommand):
    help = "输出 /api/v1/ 的 OpenAPI 3 接口描述（JSON） / print the OpenAPI 3 schema as JSON"

    def handle(self, *args: Any, **options: Any) -> None:
        schema = api.get_openapi_schema()
        self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True))
