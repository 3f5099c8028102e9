"""/sitemap.xml: the published fact checks (their latest publications), the listing and
the methodology."""
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from . import selectors


class SiteURLSitemap(Sitemap):
    """URLs on SITE_URL (the canonical host), whatever host the request came in on."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


class VerdictSitemap(SiteURLSitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = 5000

    def items(self):
        return selectors.current_publications().only(
            "id", "claim__id", "claim__slug", "published_at")

    def location(self, publication):
        return publication.claim.get_absolute_url()

    def lastmod(self, publication):
        return publication.published_at


class PageSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["checks:list", "methodology"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"verdicts": VerdictSitemap, "pages": PageSitemap}
