"""The public side: publications as pages readers trust and search engines read.

Views stay thin: what may be shown is decided by the rule of claims.models
(current_publication_q), read through claims.selectors; every page renders a publication's
frozen content (claims.publishing), its ClaimReview served as stored. The version stamps
behind each page's ETag are claims.page_versions'.
"""
import difflib
import hashlib

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import condition, require_safe

from . import page_versions, publishing, selectors
from .claimreview import absolute_url
from .models import Claim, Publication, Rating

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
    """The published fact checks, newest first, searchable and filterable, paginated."""
    chosen = {name: request.GET.get(name, "").strip()[:200] for name in FILTERS}
    publications = selectors.search_publications(**chosen)
    page = Paginator(publications, PAGE_SIZE).get_page(request.GET.get("page"))
    # Page links keep the reader's search and filters.
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(request, "checks/list.html", {
        "page": page,
        "checks": [_card(publication) for publication in page.object_list],
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


def _card(publication):
    content = selectors.shown(publication)
    content["pk"] = publication.claim_id
    return content


def _version(request, slug):
    # condition() asks for the ETag and Last-Modified separately: look them up once.
    if not hasattr(request, "_verdict_page_version"):
        request._verdict_page_version = page_versions.verdict_page_version(slug)
    return request._verdict_page_version


def _etag(request, slug, **kwargs):
    version = _version(request, slug)
    if version is None:
        return None
    if "number" in kwargs:  # an old version's page shows that version's evidence pack
        kwargs["pack"] = _version_pack(request, slug, kwargs["number"])
    state = repr(sorted(version.items())) + PAGE_FORMAT + repr(sorted(kwargs.items()))
    return hashlib.sha256(state.encode()).hexdigest()[:32]


def _last_modified(request, slug, **kwargs):
    version = _version(request, slug)
    return version["last_modified"] if version else None


verdict_page_is_fresh = condition(etag_func=_etag, last_modified_func=_last_modified)


@require_safe
@cache_control(public=True, no_cache=True)
@verdict_page_is_fresh
def verdict_detail(request, slug):
    """A claim's latest publication: the claim, who said it, the responses, the rating,
    the analysis, the evidence, related claims and the correction log. 404 unless
    published."""
    version = _version(request, slug)
    if version is None:
        raise Http404("No published verdict at this address.")
    try:
        publication = selectors.current_publication(slug)
    except Publication.DoesNotExist:
        raise Http404("No published verdict at this address.") from None
    # The version already read what completes the page: no need to read it twice.
    captures = {source: {"pk": pk, "fetched_at": at} for source, pk, at in version["captures"]}
    check = selectors.with_archive_and_links(
        selectors.shown(publication), captures, dict(version["related"]))
    return render(request, "checks/detail.html", {
        "publication": publication,
        "check": check,
        "last_correction": _last_correction(check),
        "pack": _pack(version["pack"]),
        "canonical_url": absolute_url(publication.claim.get_absolute_url()),
    })


def _pack(pack):
    """What a page says of its publication's evidence pack ((SHA-256, size) or None,
    before it is built)."""
    return None if pack is None else {"sha256": pack[0], "size": pack[1]}


def _version_pack(request, slug, number):
    """The evidence pack of publication `number` (the current one's is in the version)."""
    version = _version(request, slug)
    if version is None:
        return None
    if number == version["number"]:
        return version["pack"]
    if not hasattr(request, "_version_pack"):
        request._version_pack = selectors.evidence_pack(slug, number)
    return request._version_pack


def _last_correction(check):
    """The latest correction published as a revision (readers are told of it near the top
    of the page until the next one, whatever updates follow)."""
    return next((c for c in reversed(check["corrections"])
                 if c.get("number", 1) > 1 and c["kind"] == Publication.Kind.CORRECTION), None)


def _completed(publication):
    return selectors.with_archive_and_links(
        selectors.shown(publication), *selectors.archive_and_links(publication.content))


@require_safe
@cache_control(public=True, no_cache=True)
@verdict_page_is_fresh
def verdict_versions(request, slug):
    """Every publication of a claim, newest first, each with what changed from the one
    before it. 404 unless published."""
    publications = selectors.publications_of(slug)
    if not publications:
        raise Http404("No published verdict at this address.")
    versions = []
    before = None
    for publication in publications:
        versions.append({
            "publication": publication,
            "check": selectors.shown(publication),
            "changes": _changes(before, publication.content) if before else [],
        })
        before = publication.content
    versions.reverse()
    latest = publications[-1]
    return render(request, "checks/versions.html", {
        "versions": versions,
        "latest": selectors.shown(latest),
        "latest_publication": latest,
        "canonical_url": absolute_url(request.path),
    })


@require_safe
@cache_control(public=True, no_cache=True)
def verdict_version(request, slug, number):
    """One publication of a claim as readers were shown it then. 404 unless the claim is
    published. Revalidated on every visit: the publication never changes, but whether it
    is the latest does, and so do the captures and related claims that complete it."""
    publications = {p.number: p for p in selectors.publications_of(slug)}
    publication = publications.get(number)
    if publication is None:
        raise Http404("No such version of a published verdict.")
    latest = max(publications)
    check = _completed(publication)
    return render(request, "checks/detail.html", {
        "publication": publication,
        "check": check,
        "last_correction": _last_correction(check),
        "archived_version": number != latest,
        "latest_number": latest,
        "pack": _pack(_version_pack(request, slug, number)),
        "canonical_url": absolute_url(publication.claim.get_absolute_url()),
    })


# Parts read as prose are compared word by word; the others (a rating, a list of sources
# or of people) item by item, so an item is shown removed or added whole.
PROSE_PARTS = ("claim", "headline", "summary", "analysis")


def _changes(before, after):
    """[(label, prose?, [(op, text)])] of the parts that differ between two publications'
    contents: op is "=" (kept), "-" (removed) or "+" (added); a prose part's texts are runs
    of words, another part's are its items, one each."""
    changes = []
    for part in publishing.changed_parts(before, after):
        old, new = publishing.part_lines(before, part), publishing.part_lines(after, part)
        prose = part in PROSE_PARTS
        if prose:
            old, new = "\n".join(old).split(" "), "\n".join(new).split(" ")

        pieces = []
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                pieces += _runs(old[i1:i2], "=", prose)
                continue
            if i2 > i1:
                pieces += _runs(old[i1:i2], "-", prose)
            if j2 > j1:
                pieces += _runs(new[j1:j2], "+", prose)
        changes.append((publishing.PART_LABELS[part], prose, pieces))
    return changes


def _runs(items, op, prose):
    """Words as one run of text; items one each."""
    return [(op, " ".join(items))] if prose else [(op, item) for item in items]


@require_safe
def methodology(request):
    """How we rate claims (generated from the active rating scale) and correct mistakes."""
    return render(request, "checks/methodology.html", {
        "ratings": Rating.objects.filter(is_active=True).order_by("-value"),
        "evidence_statuses": Claim.EvidenceStatus.choices,
        "canonical_url": absolute_url(request.path),
    })
