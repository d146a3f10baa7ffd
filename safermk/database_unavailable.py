"""A database that cannot be reached gives a clear 503 page, not a 500.

When PostgreSQL restarts or fails over, a request's query raises
OperationalError or InterfaceError. Whatever the page was doing ran inside
transaction.atomic (every service does), so nothing half-written was kept;
the person is told that and asked to try again in a few minutes.

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


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable for %s %s: %s", request.method, request.path, exception,
            exc_info=exception,
        )
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
