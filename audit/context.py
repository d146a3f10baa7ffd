"""Where the current request comes from, for audit records written deep in
services that are not handed the request.

AuditContextMiddleware sets it for each request; Celery tasks and
management commands have none, so their records say "scheduled work".
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from safermk.net import client_ip

USER_AGENT_LENGTH = 200


@dataclass(frozen=True)
class Where:
    ip_address: str | None = None
    user_agent: str = ""
    user: object | None = None


_current: ContextVar[Where | None] = ContextVar("audit_where", default=None)


def where_from(request) -> Where:
    """The client's address (through TRUSTED_PROXY_COUNT proxies, as rate
    limits and sign-in lock-outs read it) and its user agent, trimmed."""
    meta = getattr(request, "META", {}) or {}
    ip = client_ip(request) if meta.get("REMOTE_ADDR") or meta.get("HTTP_X_FORWARDED_FOR") else None
    agent = "".join(
        c for c in str(meta.get("HTTP_USER_AGENT", "")) if c.isprintable()
    )[:USER_AGENT_LENGTH]
    user = getattr(request, "user", None)
    return Where(ip_address=_valid_ip(ip), user_agent=agent, user=user)


def _valid_ip(value: str | None) -> str | None:
    import ipaddress

    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def current() -> Where | None:
    return _current.get()


class AuditContextMiddleware:
    """Makes the request's address, user agent and user available to
    audit_record for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(where_from(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
