"""/sitemap.xml: the published verdict pages, the listing and the methodology."""
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
        return selectors.published_verdicts()

    def location(self, verdict):
        return verdict.claim.get_absolute_url()

    def lastmod(self, verdict):
        return verdict.last_published_at or verdict.published_at


class PageSitemap(SiteURLSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["checks:list", "methodology"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"verdicts": VerdictSitemap, "pages": PageSitemap}
