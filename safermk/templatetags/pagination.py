"""GOV.UK pagination for a list filtered by its query string."""

from __future__ import annotations

from django import template
from django.core.paginator import Page

register = template.Library()


@register.inclusion_tag("includes/pagination.html")
def pagination(page: Page, query: str = "", label: str = "Pages") -> dict:
    """Previous, the page numbers (the first, the last, and those either
    side of this one, with an ellipsis for the gaps) and next, each link
    keeping the filters in `query` (an encoded query string)."""

    def href(number: int) -> str:
        return f"?{query}&page={number}" if query else f"?page={number}"

    paginator = page.paginator
    items = [
        {"ellipsis": True} if number == paginator.ELLIPSIS else
        {"number": number, "href": href(number), "current": number == page.number}
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "page": page,
        "label": label,
        "items": items,
        "previous": href(page.previous_page_number()) if page.has_previous() else "",
        "next": href(page.next_page_number()) if page.has_next() else "",
    }
