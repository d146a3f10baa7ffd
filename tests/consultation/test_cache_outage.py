"""Nothing the public submits depends on the cache: with the Redis behind the
rate limits stopped in the middle of the journeys, every journey still ends
with a reference number and one stored response; once Redis is back, the
limits count again."""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client, RequestFactory
from django_ratelimit.core import is_ratelimited
from redis.exceptions import ConnectionError as RedisConnectionError

from consultation.models import Response
from tests.consultation.factories import open_consultation
from tests.consultation.walk import answers_for_section, sections_for, url
from tests.own_redis import own_redis  # noqa: F401 - fixture

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

JOURNEYS = 40
FINISHED_BEFORE_THE_OUTAGE = 10


def _journey(client, consultation):
    """Every page of the public journey, one request per step: the start,
    each section, comments, about you, check your answers, "Send my
    response" and the confirmation page."""
    yield client.post(url("respond", consultation), {"audience": "public", "consent": "on"})
    for number, section in enumerate(sections_for(consultation, "public"), start=1):
        yield client.post(url("respond_step", consultation, number),
                          answers_for_section(consultation, section))
    yield client.post(url("respond_comments", consultation), {"c0": "More patrols"})
    yield client.post(url("respond_about_you", consultation), {"age_band": "35_44"})
    check = client.get(url("respond_check", consultation))
    yield check
    token = check.context["state"]["token"] if check.status_code == 200 else ""
    yield client.post(url("respond_check", consultation), {"token": token})
    yield client.get(url("respond_confirmation", consultation))


def _use_cache_at(settings, redis_url: str) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_journeys_finish_with_one_response_each_when_redis_stops_midway_and_limits_return(
    own_redis, settings, caplog  # noqa: F811 - fixture
):
    _use_cache_at(settings, own_redis.url)
    consultation = open_consultation()
    clients = [Client(REMOTE_ADDR=f"10.20.0.{i + 1}", raise_request_exception=False)
               for i in range(JOURNEYS)]
    journeys = [_journey(client, consultation) for client in clients]
    pages: list = []
    before_outage: list = []
    during_outage: list = []

    def walk(journey, steps=None, record=None):
        number = 0
        while True:
            started = time.perf_counter()
            page = next(journey, None)
            if page is None:
                return
            number += 1
            pages.append(page)
            if record is not None:
                record.append(time.perf_counter() - started)
            if steps is not None and number == steps:
                return

    for journey in journeys[:FINISHED_BEFORE_THE_OUTAGE]:
        walk(journey, record=before_outage)
    for journey in journeys[FINISHED_BEFORE_THE_OUTAGE:]:
        walk(journey, steps=2)  # started and one section answered
    assert own_redis.client().dbsize() > 0, "the rate limits were counting in this Redis"

    own_redis.stop()
    # The fault is real: django-ratelimit itself lets the cache's error through.
    request = RequestFactory().post("/", REMOTE_ADDR="10.20.1.1")
    with pytest.raises(RedisConnectionError):
        is_ratelimited(request, group="probe", key="ip", rate="5/h", increment=True)
    with caplog.at_level(logging.WARNING, logger="safermk.ratelimits"):
        for journey in journeys[FINISHED_BEFORE_THE_OUTAGE:]:
            walk(journey, record=during_outage)

    errors = [p.status_code for p in pages if p.status_code not in (200, 302)]
    references = [p.context["reference"] for p in pages
                  if p.status_code == 200 and p.context and "reference" in p.context]
    stored = Response.objects.filter(consultation=consultation)
    assert errors == []
    assert len(references) == JOURNEYS and all(references)
    assert len(set(references)) == JOURNEYS
    assert stored.count() == JOURNEYS
    assert set(stored.values_list("reference", flat=True)) == set(references)
    assert any("not applied: the cache is unavailable" in r.getMessage()
               for r in caplog.records)

    before_outage.sort()
    during_outage.sort()
    print(f"\n{JOURNEYS} journeys, Redis stopped after {FINISHED_BEFORE_THE_OUTAGE} had finished "
          f"and the rest were midway: {len(references)} references, {stored.count()} rows, "
          f"{len(errors)} errors; {len(during_outage)} pages served with Redis down, "
          f"median {during_outage[len(during_outage) // 2] * 1000:.0f} ms "
          f"(with Redis up: {before_outage[len(before_outage) // 2] * 1000:.0f} ms)")

    own_redis.start()
    settings.CONSULTATION_PAGE_RATE = "2/h"
    again = Client(REMOTE_ADDR="10.20.2.1")
    data = {"audience": "public", "consent": "on"}
    assert again.post(url("respond", consultation), data).status_code == 302
    assert again.post(url("respond", consultation), data).status_code == 302
    assert again.post(url("respond", consultation), data).status_code == 429
