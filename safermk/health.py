"""What /healthz reports: can the database, the cache and the broker be reached?

The database is essential: without it no page works, so the check fails
(503). The cache (rate-limit counters) and the broker (e-mail reminders,
PDFs) are not: public pages and responses work without them, so the site is
"degraded" and the check still passes (200), naming the part that is down.

No check opens a connection per request: the cache check goes through
Django's cache (its connection pool lives as long as the process), the
broker check through one Redis client per broker URL, kept for the process.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.db import connection

ESSENTIAL = ("database",)
TIMEOUT_SECONDS = 1


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any driver error means "down"
        return {"ok": False, "vendor": connection.vendor, "error": exc.__class__.__name__}


def check_cache() -> dict:
    cache = caches["default"]
    backend = "redis" if "redis" in cache.__class__.__module__ else "local"
    try:
        cache.get("healthz")  # one round trip; nothing is written
        return {"ok": True, "backend": backend}
    except Exception as exc:  # report, never raise
        return {"ok": False, "backend": backend, "error": exc.__class__.__name__}


@lru_cache(maxsize=4)
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )


def check_broker() -> dict:
    url = settings.CELERY_BROKER_URL
    if url.startswith("filesystem://"):
        return {"ok": True, "transport": "filesystem"}
    try:
        _redis_client(url).ping()
        return {"ok": True, "transport": "redis"}
    except Exception as exc:  # report, never raise
        return {"ok": False, "transport": "redis", "error": exc.__class__.__name__}


def report() -> tuple[dict, int]:
    """The /healthz body and its HTTP status."""
    parts = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    down = [name for name, part in parts.items() if not part["ok"]]
    if any(name in ESSENTIAL for name in down):
        status, code = "error", 503
    elif down:
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return {"status": status, "down": down, **parts}, code
