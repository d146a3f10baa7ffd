"""The page's language in its <html lang>, and the header's switch."""

from __future__ import annotations

from django import template
from django.utils import translation
from django.utils.html import format_html, linebreaks

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


@register.simple_tag
def tr(obj, field: str, plain: bool = False):
    """A consultation's (or section's, question's) `field` in the reader's
    language; the English when none was entered, marked lang="en" for
    screen readers unless `plain` (inside <title>, an attribute)."""
    if obj is None:
        return ""
    text, fallback = obj.translated(field, translation.get_language())
    if plain or not fallback:
        return text
    return format_html('<span lang="en">{}</span>', text)


@register.filter
def tr_lines(obj, field: str):
    """As tr, for text of several paragraphs (linebreaks)."""
    text, fallback = obj.translated(field, translation.get_language())
    html = linebreaks(text, autoescape=True)
    return format_html('<div lang="en">{}</div>', html) if fallback else html
