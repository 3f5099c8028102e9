"""schema.org ClaimReview for a published verdict: one object, served by the verdict page
(as JSON-LD) and by the API alike.

Properties follow Google's ClaimReview guidance: claimReviewed, reviewRating (ratingValue,
bestRating, worstRating, alternateName), itemReviewed as a Claim (author,
datePublished, appearance), author (the publishing organisation), datePublished, url.
"""
from django.conf import settings

from .models import Claimant, Rating

SCHEMA_TYPES = {Claimant.Kind.PERSON: "Person"}


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def claim_review(verdict, *, scale_bounds=None):
    """The ClaimReview dict for a published `verdict`.

    Expects `verdict.claim.appearances` prefetched with claimant and source (see
    selectors.claim_for_review); `scale_bounds` is (worst, best), looked up if not given.
    """
    claim = verdict.claim
    worst, best = scale_bounds or Rating.scale_bounds()
    appearances = list(claim.appearances.all())
    first = appearances[0] if appearances else None
    item = {"@type": "Claim"}
    if first is not None:
        item["author"] = _party(first.claimant)
        if first.said_on:
            item["datePublished"] = first.said_on.isoformat()
    else:
        # No recorded appearance: the claim's attributed claimant still names its author.
        claimant = next(iter(claim.claimants.all()), None)
        if claimant is not None:
            item["author"] = _party(claimant)
    cited = [a for a in appearances if a.source_id]
    if cited:
        item["appearance"] = [_appearance(a) for a in cited]
        item["firstAppearance"] = _appearance(cited[0])
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(claim.get_absolute_url()),
        "claimReviewed": claim.text,
        "datePublished": verdict.published_at.date().isoformat(),
        "author": {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": verdict.rating.value,
            "bestRating": best,
            "worstRating": worst,
            "alternateName": verdict.rating.name,
        },
        "itemReviewed": item,
        "inLanguage": claim.language,
    }
    if verdict.headline:
        review["headline"] = verdict.headline
    if verdict.last_published_at and verdict.last_published_at != verdict.published_at:
        review["dateModified"] = verdict.last_published_at.isoformat()
    return review


def _party(claimant):
    party = {"@type": SCHEMA_TYPES.get(claimant.kind, "Organization"), "name": claimant.name}
    if claimant.same_as:
        party["sameAs"] = claimant.same_as
    return party


def _appearance(appearance):
    work = {"@type": "CreativeWork", "url": appearance.source.url}
    if appearance.said_on:
        work["datePublished"] = appearance.said_on.isoformat()
    if appearance.source.title:
        work["headline"] = appearance.source.title
    return work
