"""Every URL pattern of the site, with real arguments, for the access tests.

`all_urls(demo)` lists (name, url) for each pattern outside the admin. Each
URL argument is filled from SAMPLE_ARGS, keyed by the argument's name, so that
the URL points at a real object of the demo partnership and a refusal cannot
be a mere "not found". A new pattern whose argument is not listed here makes
the tests fail until it is added.
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Pages anyone may open without signing in.
PUBLIC = {
    "home",
    "healthz",
    "accessibility",
    "privacy",
    "login",
    "logout",
    "documents:public_strategy_pdf",
}

# arg name -> function(demo partnership) -> value
SAMPLE_ARGS: dict[str, Callable] = {
    "partnership": lambda p: p.slug,
    "strategy": lambda p: p.strategies.get(slug="safermk-strategy-2018-2021").slug,
    "number": lambda p: 1,
    "report": lambda p: p.reports.order_by("pk").first().pk,
}


def _walk(resolver, prefix_ns=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace
            full_ns = f"{prefix_ns}:{ns}" if prefix_ns and ns else (ns or prefix_ns)
            yield from _walk(entry, full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{prefix_ns}:{entry.name}" if prefix_ns else entry.name
            yield name, entry


def url_names() -> list[str]:
    return sorted({name for name, _ in _walk(get_resolver())})


def all_urls(partnership) -> list[tuple[str, str]]:
    urls = []
    for name, pattern in _walk(get_resolver()):
        args = list(pattern.pattern.converters)
        kwargs = {}
        for arg in args:
            if arg not in SAMPLE_ARGS:
                raise AssertionError(
                    f"URL {name!r} takes {arg!r}: add a sample for it to tests/urlwalk.py"
                )
            kwargs[arg] = SAMPLE_ARGS[arg](partnership)
        urls.append((name, reverse(name, kwargs=kwargs)))
    return sorted(set(urls))
