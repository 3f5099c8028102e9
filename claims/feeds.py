"""The Atom feed of published verdicts."""
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
    """The newest published verdicts, as they were last published."""

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
        return selectors.as_last_published(
            selectors.published_verdicts().prefetch_related("claim__tags")[:FEED_SIZE]
        )

    def item_title(self, verdict):
        return f"{verdict.rating.name}: {verdict.claim.text}"

    def item_description(self, verdict):
        # Atom <summary type="html"> is HTML: the plain-text summary is escaped for it, so
        # a reader shows any markup in it as text, never runs it.
        return escape(verdict.summary)

    def item_link(self, verdict):
        return verdict.claim.get_absolute_url()

    def item_guid(self, verdict):
        return settings.SITE_URL.rstrip("/") + verdict.claim.get_absolute_url()

    def item_pubdate(self, verdict):
        return verdict.published_at

    def item_updateddate(self, verdict):
        return verdict.last_published_at or verdict.published_at

    def item_author_name(self, verdict):
        return settings.PUBLISHER_NAME

    def item_categories(self, verdict):
        return [verdict.rating.name] + [tag.name for tag in verdict.claim.tags.all()]


verdict_feed = cache_control(public=True, no_cache=True)(listing_is_fresh(VerdictFeed()))
