"""The language of a page.

Every request starts in English (settings.LANGUAGE_CODE): officer pages,
sign-in and the admin are in English whatever the browser asks for. A public
page about one partnership calls `language_choose` once it has loaded the
partnership; the page is then in the first of these that the partnership
offers (Partnership.public_languages):

1. `?lang=cy` in the address: a link that opens in Welsh for whoever follows
   it (the header's switch is such a link; it needs no JavaScript). The
   choice is remembered in a cookie for the pages that follow.
2. the remembered choice (the cookie);
3. the browser's Accept-Language;
4. English.

A page whose language was chosen this way varies with the cookie and with
Accept-Language (the Vary header says so), and anything cached for it must
include translation.get_language() in its key.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

QUERY_NAME = "lang"


def url_code(code: str) -> str:
    """The short form used in addresses and hreflang: "en" for "en-gb"."""
    return code.split("-")[0]


def _from_url_code(value: str, offered: list[str]) -> str | None:
    if not isinstance(value, str) or len(value) > 16:
        return None
    value = value.strip().lower()
    for code in offered:
        if value in (code, url_code(code)):
            return code
    return None


def language_choose(request, partnership) -> str:
    """Activate the language a public page about `partnership` is read in,
    and return its code. Offers the other languages to the page's switch."""
    offered = partnership.offered_languages
    request.public_languages = offered
    chosen = None
    if len(offered) > 1:
        asked = _from_url_code(request.GET.get(QUERY_NAME, ""), offered)
        if asked:
            chosen = asked
            request.language_to_remember = asked
        if chosen is None:
            chosen = _from_url_code(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
                                    offered)
        if chosen is None:
            browser = translation.get_language_from_request(request)
            chosen = browser if browser in offered else None
    chosen = chosen or settings.LANGUAGE_CODE
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    request.language_chosen = True
    return chosen


def language_continue(request) -> str:
    """For a page about no one partnership that follows a public form (the
    "we have sent you an e-mail" pages): the language the reader chose on
    the form's page, if any; no switch is shown."""
    installed = [code for code, _name in settings.LANGUAGES]
    chosen = _from_url_code(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""), installed)
    chosen = chosen or settings.LANGUAGE_CODE
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen
    request.language_chosen = True
    return chosen


def switch_links(request) -> list[dict]:
    """The header's switch: one entry per language the page is offered in,
    each the same address with `?lang=` set (other parameters kept)."""
    offered = getattr(request, "public_languages", None) or []
    if len(offered) < 2:
        return []
    current = translation.get_language()
    names = dict(settings.LANGUAGES)
    links = []
    for code in offered:
        params = [(k, v) for k, values in request.GET.lists() if k != QUERY_NAME
                  for v in values]
        params.append((QUERY_NAME, url_code(code)))
        links.append({
            "code": url_code(code),
            "name": names[code],
            "current": code == current,
            "url": f"{request.path}?{urlencode(params)}",
        })
    return links


class PublicLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a request starts in English
    rather than in the browser's language: only public pages switch, through
    language_choose. Its response side is Django's (Content-Language, Vary:
    Accept-Language), plus the remembered choice and Vary: Cookie."""

    def process_request(self, request):
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = settings.LANGUAGE_CODE

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if getattr(request, "language_chosen", False):
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
        remember = getattr(request, "language_to_remember", None)
        if remember and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != remember:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, remember,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        # Nothing of this request's language leaks into whatever runs next
        # on this thread (a test, a task run in-process).
        translation.activate(settings.LANGUAGE_CODE)
        return response
