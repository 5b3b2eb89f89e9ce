"""Health endpoints for load balancers and orchestrators."""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

HEALTH_KEY = "health-check"


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.exception("Health check: the database does not answer")
        return False
    return True


def _cache_ok() -> bool:
    try:
        cache.set(HEALTH_KEY, "ok", timeout=10)
        return cache.get(HEALTH_KEY) == "ok"
    except Exception:
        logger.exception("Health check: the cache does not answer")
        return False


@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 when the database and the cache answer, 503 otherwise."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {name: "ok" if ok else "unavailable" for name, ok in checks.items()},
        },
        status=200 if healthy else 503,
    )


@require_safe
def live(request: HttpRequest) -> JsonResponse:
    """200 while the process serves requests; touches neither database nor cache."""
    return JsonResponse({"status": "ok"})


_HEALTH_BODY = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string", "enum": ["ok", "unavailable"]},
        "checks": {
            "type": "object",
            "additionalProperties": {"type": "string", "enum": ["ok", "unavailable"]},
        },
    },
}


def _health_operation(
    operation_id: str, summary: str, description: str, statuses: dict[str, str]
) -> dict:
    content = {"application/json": {"schema": _HEALTH_BODY}}
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "description": description,
            "tags": ["health"],
            "security": [],
            "responses": {
                status: {"description": meaning, "content": content}
                for status, meaning in statuses.items()
            },
        }
    }


def document_health(result: dict, generator, request, public) -> dict:
    """drf-spectacular hook: the health views are plain Django views it cannot inspect."""
    result["paths"]["/health"] = _health_operation(
        "health_retrieve",
        "Check the database and the cache",
        "The database and the cache answer.",
        {"200": "Both answer.", "503": "One of them does not."},
    )
    result["paths"]["/health/live"] = _health_operation(
        "health_live_retrieve",
        "Check that the process serves requests",
        "The process serves requests.",
        {"200": "It does."},
    )
    return result
