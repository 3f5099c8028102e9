"""The public side: published verdicts as pages readers trust and search engines read.

Views stay thin: what may be shown is decided by the rule of claims.models (published_q),
read through claims.selectors; the ClaimReview object is claims.claimreview's, the
version stamps behind each page's ETag are claims.page_versions'.
"""
import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from . import page_versions, selectors
from .claimreview import absolute_url, claim_review
from .models import Claim, Rating, Verdict

PAGE_SIZE = 20
# Part of every verdict page's ETag: bump it when the page's markup changes, so readers'
# cached copies are refetched after a deploy.
PAGE_FORMAT = "1"
FILTERS = ("q", "rating", "claimant", "tag")


def _listing_version(request):
    # condition() asks for the ETag and Last-Modified separately: look them up once.
    if not hasattr(request, "_listing_version"):
        request._listing_version = page_versions.published_listing_version()
    return request._listing_version


def _listing_etag(request, *args, **kwargs):
    state = repr(sorted(_listing_version(request).items())) + PAGE_FORMAT
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _listing_last_modified(request, *args, **kwargs):
    return _listing_version(request)["last_modified"]


# Revalidation for every page that lists published verdicts (the listing and the feed).
listing_is_fresh = condition(etag_func=_listing_etag, last_modified_func=_listing_last_modified)


@require_safe
@cache_control(public=True, no_cache=True)
@listing_is_fresh
def verdict_list(request):
    """The published verdicts, newest first, searchable and filterable, paginated."""
    chosen = {name: request.GET.get(name, "").strip()[:200] for name in FILTERS}
    verdicts = selectors.search_published_verdicts(**chosen)
    page = Paginator(verdicts, PAGE_SIZE).get_page(request.GET.get("page"))
    # Page links keep the reader's search and filters.
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(request, "checks/list.html", {
        "page": page,
        "verdicts": selectors.as_last_published(page.object_list),
        "chosen": chosen,
        "filtered": any(chosen.values()),
        "facets": selectors.published_facets(),
        "kept_query": kept.urlencode(),
        # Each page of results is its own page for search engines; filtered views are
        # marked noindex in the template instead.
        "canonical_url": absolute_url(
            request.path + (f"?page={page.number}" if page.number > 1 else "")
        ),
    })


def _version(request, slug):
    # condition() asks for the ETag and Last-Modified separately: look them up once.
    if not hasattr(request, "_verdict_page_version"):
        request._verdict_page_version = page_versions.verdict_page_version(slug)
    return request._verdict_page_version


def _etag(request, slug):
    version = _version(request, slug)
    if version is None:
        return None
    state = repr(sorted(version.items())) + PAGE_FORMAT
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _last_modified(request, slug):
    version = _version(request, slug)
    return version["last_modified"] if version else None


@require_safe
@cache_control(public=True, no_cache=True)
@condition(etag_func=_etag, last_modified_func=_last_modified)
def verdict_detail(request, slug):
    """One published verdict: the claim, who said it, the responses, the rating, the
    analysis, the evidence, related claims and corrections. 404 unless published."""
    version = _version(request, slug)
    if version is None:
        raise Http404("No published verdict at this address.")
    try:
        verdict = selectors.published_verdict_page(slug)
    except Verdict.DoesNotExist:
        raise Http404("No published verdict at this address.") from None
    claim = verdict.claim
    return render(request, "checks/detail.html", {
        "verdict": verdict,
        "claim": claim,
        "under_review": claim.state != Claim.State.PUBLISHED,
        "related": selectors.published_related_claims(claim),
        "claim_review": claim_review(
            verdict, scale_bounds=(version["scale_worst"], version["scale_best"])
        ),
        "canonical_url": absolute_url(claim.get_absolute_url()),
        "site_url": settings.SITE_URL,
    })


@require_safe
def methodology(request):
    """How we rate claims (generated from the active rating scale) and correct mistakes."""
    return render(request, "checks/methodology.html", {
        "ratings": Rating.objects.filter(is_active=True).order_by("-value"),
        "evidence_statuses": Claim.EvidenceStatus.choices,
        "canonical_url": absolute_url(request.path),
    })
