"""The Atom feed of published fact checks."""
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.views.decorators.cache import cache_control

from . import selectors
from .pages import listing_is_fresh

FEED_SIZE = 50


class VerdictFeed(Feed):
    """The newest published fact checks, each as its latest publication: a correction
    changes the entry's <updated>."""

    feed_type = Atom1Feed

    def title(self):
        return f"{settings.PUBLISHER_NAME}: fact checks"

    def subtitle(self):
        return "Published verdicts on claims, newest first."

    def link(self):
        return reverse("checks:list")

    def feed_url(self):
        return reverse("verdict-feed")

    def author_name(self):
        return settings.PUBLISHER_NAME

    def items(self):
        return [selectors.shown(p) for p in selectors.current_publications()[:FEED_SIZE]]

    def item_title(self, check):
        return f"{check['rating']['name']}: {check['claim']['text']}"

    def item_description(self, check):
        # Atom <summary type="html"> is HTML: the plain-text summary is escaped for it, so
        # a reader shows any markup in it as text, never runs it.
        return escape(check["summary"])

    def item_link(self, check):
        return reverse("checks:detail", kwargs={"slug": check["claim"]["slug"]})

    def item_guid(self, check):
        return settings.SITE_URL.rstrip("/") + self.item_link(check)

    def item_pubdate(self, check):
        return check["first_published_at"]

    def item_updateddate(self, check):
        return check["modified_at"] or check["first_published_at"]

    def item_author_name(self, check):
        return settings.PUBLISHER_NAME

    def item_categories(self, check):
        return [check["rating"]["name"]] + [tag["name"] for tag in check["tags"]]


verdict_feed = cache_control(public=True, no_cache=True)(listing_is_fresh(VerdictFeed()))
