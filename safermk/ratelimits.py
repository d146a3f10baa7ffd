"""Rate limits that fail open when the cache is down.

Counters live in the cache (Redis in production). django-ratelimit 4.1 only
catches socket.gaierror around the cache, so with Redis unreachable its
decorator lets redis.exceptions.ConnectionError through and every limited
POST becomes a 500. A rate limit protects the service; it must never be the
reason a member of the public cannot answer. So here an unreachable cache
means "not limited", with a warning in the log.

Use `is_limited(...)` inside a view, or `@ratelimit(...)` as a drop-in for
django-ratelimit's decorator with block=False (it sets request.limited).
"""

from __future__ import annotations

import logging
from functools import wraps

from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

try:
    from redis.exceptions import RedisError
except ImportError:  # the cache may not be Redis at all
    RedisError = OSError  # type: ignore[assignment,misc]

logger = logging.getLogger(__name__)

# What a cache backend raises when its server cannot be reached: redis-py's
# errors (ConnectionError, TimeoutError, ...), and the socket errors other
# backends (memcached clients) let through. Built-in ConnectionError is an OSError.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionError, OSError)


def is_limited(request, *, group: str, key, rate, method=ALL, increment: bool = True) -> bool:
    """django-ratelimit's is_ratelimited, except that a cache that cannot be
    reached gives False (not limited) and a warning instead of an exception."""
    try:
        return is_ratelimited(
            request, group=group, key=key, rate=rate, method=method, increment=increment
        )
    except CACHE_ERRORS as exc:
        logger.warning(
            "Rate limit %r not applied: the cache is unavailable (%s: %s)",
            group, exc.__class__.__name__, exc,
        )
        return False


def ratelimit(*, group: str, key, rate, method=ALL):
    """Decorator: counts the request and sets request.limited, never blocks
    on its own (the view decides what a limited request sees) and never
    fails when the cache is down."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            limited = is_limited(request, group=group, key=key, rate=rate, method=method)
            request.limited = limited or getattr(request, "limited", False)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
