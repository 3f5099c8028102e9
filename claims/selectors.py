"""What readers see, read: the publications of claims (claims.publishing) as the public
pages, the feed, the sitemap and the public API show them.

Which publications readers may see is not decided here: it is the rule of claims.models
(current_publication_q, with the answer to "what do readers see?" above it), reached
through Publication.objects.current() and its siblings. Full-text and look-alike search for
the desk live in claims.search, the public pages' version stamps in claims.page_versions.
"""
from django.db.models import Count

from evidence.models import EvidencePack, Source

from .models import Claimant, Correction, Publication, Rating, Tag, current_publication_q
from .publishing import readable


def current_publications():
    """The publications readers see (each published claim's latest), newest first by
    when the claim was first published, with the claim's slug loaded."""
    return (
        Publication.objects.current()
        .select_related("claim")
        .only("id", "claim__id", "claim__slug", "number", "kind", "published_at",
              "first_published_at", "rating_id", "content", "content_sha256",
              "claim_review", "claim_review_sha256", "verdict_id")
        .order_by("-first_published_at", "-pk")
    )


def search_publications(*, q="", rating="", claimant="", tag=""):
    """Current publications matching the reader's search and filters, newest first.

    `q` matches the published claim's words (its text, quotes and claimants' names), the
    headline and the summary; `rating`, `claimant` and `tag` are slugs. Unknown slugs
    match nothing.
    """
    publications = current_publications()
    if q:
        publications = publications.filter(search_text__icontains=q)
    if rating:
        publications = publications.filter(rating__slug=rating)
    if claimant:
        publications = publications.filter(claimants__slug=claimant)
    if tag:
        publications = publications.filter(tags__slug=tag)
    return publications


def published_facets():
    """The ratings, claimants and tags readers can filter by, each with how many current
    publications have it. Unpublished claims and drafts are never counted."""
    counted = Count("publications", filter=current_publication_q("publications"),
                    distinct=True)
    return {
        # In the scale's order: Meta.ordering does not apply to a query with a GROUP BY.
        "ratings": Rating.objects.filter(is_active=True).annotate(count=counted)
        .order_by("-value"),
        "claimants": Claimant.objects.in_published().annotate(count=counted).order_by("name"),
        "tags": Tag.objects.in_published().annotate(count=counted).order_by("name"),
    }


def current_publication(slug):
    """The publication readers see of the claim `slug`. Raises Publication.DoesNotExist."""
    return current_publications().get(claim__slug=slug)


def publications_of(slug):
    """Every publication of the claim `slug`, oldest first, while readers see the claim
    (an empty list otherwise)."""
    return list(
        Publication.objects.filter(claim__slug=slug, claim__in=Publication.objects.current()
                                   .values("claim")).order_by("number")
    )


def shown(publication):
    """The publication's content as templates read it (dates as dates)."""
    return readable(publication.content)


def archive_and_links(content):
    """What a page of a publication (its `content`) shows besides the frozen copy, in at
    most two queries: {source id: its capture} for the sources not archived yet when it
    was published (the archive's work, not the desk's), and {slug: published wording} of
    the related claims readers see now. Both are part of the page's version."""
    captures, related = {}, {}
    if content.get("awaiting_capture"):
        captures = {
            source: {"pk": snapshot, "fetched_at": fetched_at}
            for source, snapshot, fetched_at in Source.objects.filter(
                pk__in=content["awaiting_capture"], latest_snapshot__isnull=False,
            ).values_list("pk", "latest_snapshot", "latest_snapshot__fetched_at")
        }
    slugs = [r["slug"] for r in content.get("related", ())]
    if slugs:
        related = dict(Publication.objects.current().filter(claim__slug__in=slugs)
                       .values_list("claim__slug", "content__claim__text"))
    return captures, related


def evidence_pack(slug, number):
    """(SHA-256, size in bytes) of the evidence pack of publication `number` of the claim
    `slug`, or None before evidence.packs has built it."""
    return EvidencePack.objects.filter(
        publication__claim__slug=slug, publication__number=number,
    ).values_list("sha256", "size").first()


def with_archive_and_links(check, captures, related):
    """`check` (shown() content) completed with archive_and_links(): captures made since
    publication, related claims readers see by their current published wording."""
    for part in ("appearances", "responses", "evidence"):
        for item in check[part]:
            source = item["source"]
            if source and not source["snapshot"] and source.get("id") in captures:
                source["snapshot"] = captures[source["id"]]
    check["related"] = [dict(r, text=related[r["slug"]])
                        for r in check["related"] if r["slug"] in related]
    return check


def published_corrections():
    """The corrections readers see (Correction.objects.published()), oldest first, with
    the ratings each replaced and introduced."""
    return Correction.objects.published().select_related(
        "previous_rating", "new_rating", "publication").order_by("created_at", "pk")
