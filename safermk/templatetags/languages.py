"""The page's language in its <html lang>, and the header's switch."""

from __future__ import annotations

from django import template
from django.utils import translation

from safermk.languages import switch_links

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The active language as a BCP 47 tag: "en-GB", "cy"."""
    code = translation.get_language() or "en-gb"
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.inclusion_tag("includes/language_switch.html", takes_context=True)
def language_switch(context) -> dict:
    request = context.get("request")
    return {"links": switch_links(request) if request is not None else []}
