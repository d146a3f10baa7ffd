"""Every URL pattern, walked as an anonymous visitor: only public pages open."""

import pytest

from tests.urlwalk import PUBLIC, all_urls


@pytest.mark.django_db
def test_anonymous_visitors_are_refused_on_every_page_that_is_not_public(demo, client):
    checked = 0
    for name, url in all_urls(demo):
        if name in PUBLIC:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (302, 403, 404, 405), (
                f"{method.upper()} {url} ({name}) answered {response.status_code} to an "
                "anonymous visitor"
            )
            if response.status_code == 302:
                assert response["Location"].startswith("/sign-in/?next="), (
                    f"{url} redirected an anonymous visitor to {response['Location']}"
                )
        checked += 1
    assert checked >= 1


@pytest.mark.django_db
def test_every_public_page_opens_for_anonymous_visitors(demo_with_pdf, client):
    for name, url in all_urls(demo_with_pdf):
        if name not in PUBLIC or name == "logout":
            continue
        response = client.get(url)
        assert response.status_code == 200, f"{url} ({name}) answered {response.status_code}"
