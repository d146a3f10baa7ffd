"""A database that cannot be reached gives a clear 503 page, not a 500.

When PostgreSQL restarts or fails over, a request's query raises
OperationalError or InterfaceError. Whatever the page was doing ran inside
transaction.atomic (every service does), so nothing half-written was kept;
the person is told that and asked to try again in a few minutes.

The middleware catches what a view raises. What fails after the view (the
session saved on the way out, in SessionMiddleware) reaches Django's 500
handler instead; safermk.views.error_500 asks `is_database_unavailable`
and answers with the same 503 page.

The page is rendered without a request context: the context processors
would read the session and the signed-in user, which need the database.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 120


def is_database_unavailable(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error(
            "Database unavailable for %s %s: %s", request.method, request.path, exception,
            exc_info=exception,
        )
        return database_unavailable_response()
