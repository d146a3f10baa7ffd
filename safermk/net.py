"""The client's address, for rate limits.

Behind a reverse proxy every request comes from the proxy, so one busy
school would block everyone. With TRUSTED_PROXY_COUNT=N (the number of
proxies in front of the app that append to X-Forwarded-For), the address is
the one the outermost trusted proxy saw; addresses further left could be
forged by the client, so they are never used.
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
