"""schema.org ClaimReview for a publication: one object, built once when the publication
is written (claims.publishing) and served as stored, by the verdict page (as JSON-LD) and
by the API alike.

Properties follow Google's ClaimReview guidance: claimReviewed, reviewRating (ratingValue,
bestRating, worstRating, alternateName), itemReviewed as a Claim (author,
datePublished, appearance with archivedAt, our public copy of the page), author (the
publishing organisation), datePublished, url;
dateModified and correction (CorrectionComment) once a revision is published.
"""
import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

PERSON = "person"

# What json_script escapes, so the JSON can never close its <script> element or open
# an HTML comment or entity, plus the two line separators JavaScript treats as newlines.
_JSON_ESCAPES = {
    ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028", ord("\u2029"): "\\u2029",
}


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def json_ld_text(data):
    """`data` as the text of a <script type="application/ld+json"> element, escaped like
    json_script: the exact bytes a page serves."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return payload.translate(_JSON_ESCAPES)


def claim_review(content, *, corrections=(), archive_links=True):
    """The ClaimReview dict for a publication's `content` (claims.publishing.snapshot),
    with `corrections` (CorrectionComment dicts) when there are any. Without
    `archive_links`, appearances do not name our archived copies (archivedAt), as the
    pages did before they were public."""
    claim = content["claim"]
    appearances = content["appearances"]
    first = appearances[0] if appearances else None
    item = {"@type": "Claim"}
    if first is not None:
        item["author"] = _party(first["claimant"])
        if first["said_on"]:
            item["datePublished"] = first["said_on"]
    elif content["claimants"]:
        # No recorded appearance: the claim's attributed claimant still names its author.
        item["author"] = _party(content["claimants"][0])
    cited = [a for a in appearances if a["source"]]
    if cited:
        item["appearance"] = [_appearance(a, archive_links) for a in cited]
        item["firstAppearance"] = _appearance(cited[0], archive_links)
    rating = content["rating"]
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute_url(reverse("checks:detail", kwargs={"slug": claim["slug"]})),
        "claimReviewed": claim["text"],
        "datePublished": content["first_published_at"][:10],
        "author": {
            "@type": "Organization",
            "name": settings.PUBLISHER_NAME,
            "url": settings.PUBLISHER_URL,
        },
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating["value"],
            "bestRating": rating["best"],
            "worstRating": rating["worst"],
            "alternateName": rating["name"],
        },
        "itemReviewed": item,
        "inLanguage": claim["language"],
    }
    if content["headline"]:
        review["headline"] = content["headline"]
    if content["modified_at"]:
        review["dateModified"] = content["modified_at"]
    if corrections:
        review["correction"] = list(corrections)
    return review


def _party(claimant):
    party = {"@type": "Person" if claimant["kind"] == PERSON else "Organization",
             "name": claimant["name"]}
    if claimant["same_as"]:
        party["sameAs"] = claimant["same_as"]
    return party


def _appearance(appearance, archive_links):
    source = appearance["source"]
    work = {"@type": "CreativeWork", "url": source["url"]}
    if appearance["said_on"]:
        work["datePublished"] = appearance["said_on"]
    if source["title"]:
        work["headline"] = source["title"]
    if archive_links and source["snapshot"]:
        # Our public copy of the page as it was read (evidence/views.py).
        work["archivedAt"] = absolute_url(
            reverse("evidence:capture", kwargs={"pk": source["snapshot"]["pk"]})
        )
    return work
