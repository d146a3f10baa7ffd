"""/healthz names the part that is down: "degraded" (200) when only the cache
or the broker is, because the site still serves; "error" (503) when the
database is."""

import pytest
from django.db import OperationalError, connection, connections

from tests.own_redis import own_redis  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

UNREACHABLE = "redis://127.0.0.1:1/0"


def _redis_cache_at(url: str) -> dict:
    return {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }}


def test_healthz_reports_the_database_cache_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["down"] == []
    assert body["database"] == {"ok": True, "vendor": connection.vendor}
    assert body["cache"]["ok"] is True
    assert "transport" in body["broker"]


def test_healthz_is_degraded_but_passes_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["down"] == ["broker"]
    assert body["broker"] == {"ok": False, "transport": "redis", "error": "ConnectionError"}


def test_healthz_is_degraded_but_passes_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = _redis_cache_at(UNREACHABLE)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["down"] == ["cache"]
    assert body["cache"] == {"ok": False, "backend": "redis", "error": "ConnectionError"}


def test_healthz_answers_503_when_the_database_does_not(client, settings, monkeypatch):
    settings.CELERY_BROKER_URL = UNREACHABLE

    def refused(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(type(connections["default"]), "cursor", refused)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["down"] == ["database", "broker"]
    assert body["database"]["error"] == "OperationalError"


@pytest.mark.redis
def test_healthz_follows_a_real_redis_going_down_and_back_on_the_same_connections(
    client, settings, own_redis  # noqa: F811 - fixture
):
    settings.CACHES = _redis_cache_at(own_redis.url)
    settings.CELERY_BROKER_URL = own_redis.url
    client.get("/healthz")
    opened = own_redis.client().info("stats")["total_connections_received"]
    for _ in range(20):
        assert client.get("/healthz").json()["status"] == "ok"
    # 20 checks reuse the cache's and the broker's connections: only the
    # INFO call itself connects again.
    assert own_redis.client().info("stats")["total_connections_received"] - opened <= 1

    own_redis.stop()
    body = client.get("/healthz").json()
    assert (body["status"], body["down"]) == ("degraded", ["cache", "broker"])

    own_redis.start()
    assert client.get("/healthz").json()["status"] == "ok"
