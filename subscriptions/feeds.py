"""Atom feeds of consultations opening and publishing their results: one
per partnership, and one across all of them. Each entry is an event (a
consultation opened; its results were published), newest first, cut at
FEED_SIZE, in two queries whatever the number of consultations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format

from consultation.models import Consultation
from partnerships.models import Partnership

FEED_SIZE = 50


@dataclass
class Entry:
    consultation: Consultation
    event: str  # "opened" or "results"
    at: dt.datetime

    @property
    def title(self) -> str:
        if self.event == "results":
            return f"Results published: {self.consultation.title}"
        return f"Consultation opened: {self.consultation.title}"

    @property
    def link(self) -> str:
        if self.event == "results":
            return reverse("consultation:results", args=[self.consultation.slug])
        return self.consultation.get_absolute_url()


def entries(partnership: Partnership | None = None, *, now: dt.datetime | None = None):
    now = now or timezone.now()
    rows = Consultation.objects.listed().filter(is_historical=False).select_related(
        "partnership"
    )
    if partnership is not None:
        rows = rows.filter(partnership=partnership)
    opened = rows.filter(opens_at__lte=now).order_by("-opens_at", "-pk")[:FEED_SIZE]
    results = rows.filter(
        status=Consultation.Status.FEEDBACK, feedback_published_at__isnull=False
    ).order_by("-feedback_published_at", "-pk")[:FEED_SIZE]
    found = [Entry(c, "opened", c.opened_at or c.opens_at) for c in opened]
    found += [Entry(c, "results", c.feedback_published_at) for c in results]
    found.sort(key=lambda e: (e.at, e.consultation.pk), reverse=True)
    return found[:FEED_SIZE]


class _ConsultationFeed(Feed):
    feed_type = Atom1Feed

    def item_title(self, item: Entry) -> str:
        return item.title

    def item_description(self, item: Entry) -> str:
        closes = date_format(timezone.localtime(item.consultation.closes_at), "j F Y")
        if item.event == "results":
            return (f"{item.consultation.partnership.name} published what people said in "
                    f"“{item.consultation.title}” and what it did about it.")
        return f"{item.consultation.summary} Closes on {closes}."

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return f"{settings.SITE_URL}{item.link}#{item.event}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Entry):
        return item.at

    def item_updateddate(self, item: Entry):
        return item.at

    def item_author_name(self, item: Entry) -> str:
        return item.consultation.partnership.name


class PartnershipFeed(_ConsultationFeed):
    def get_object(self, request, partnership):
        return get_object_or_404(Partnership, slug=partnership)

    def title(self, obj: Partnership) -> str:
        return f"{obj.name}: consultations"

    def link(self, obj: Partnership) -> str:
        return reverse("partnership_home", args=[obj.slug])

    def subtitle(self, obj: Partnership) -> str:
        return f"Consultations of {obj.name} as they open and publish their results."

    def items(self, obj: Partnership):
        return entries(obj)


class AllFeed(_ConsultationFeed):
    def title(self) -> str:
        return f"{settings.SAFERMK_BRAND_NAME}: consultations"

    def link(self) -> str:
        return reverse("consultation:list")

    def subtitle(self) -> str:
        return "Consultations of every partnership as they open and publish their results."

    def items(self):
        return entries()


partnership_feed = PartnershipFeed()
all_feed = AllFeed()
