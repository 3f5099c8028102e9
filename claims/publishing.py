"""Publications: the frozen copy of a claim and its verdict that readers are shown.

`snapshot` reads what readers would see from the desk's live rows, as plain JSON;
`write_publication` stores it as an immutable Publication with its ClaimReview JSON-LD,
its correction log entry and the claim's pointer to it. The rules of *when* a claim may be
published, and by whom, are claims.workflow's; this module only freezes and writes.

The content is JSON so that it is the same in the page, the API and the migration that
turned the verdicts published before publications existed into first publications
(claims/migrations/0010): it names no row by its current state, only by what it said.
"""
import hashlib
import json
import logging

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils.dateparse import parse_date, parse_datetime

from .claimreview import claim_review, json_ld_text
from .rendering import render_markdown

logger = logging.getLogger(__name__)

# The parts of a publication whose change needs a public note (a correction, or a
# clarification when the rating stays): what the verdict says, and what it is about.
NOTED_PARTS = ("claim", "rating", "headline", "summary", "analysis")
# Every part a reader can see, in the order the versions view lists their changes.
PARTS = (
    "claim", "rating", "headline", "summary", "analysis", "claimants", "tags", "appearances",
    "responses", "evidence", "evidence_status", "related",
)
PART_LABELS = {
    "claim": "Claim wording", "rating": "Rating", "headline": "Headline",
    "summary": "Summary", "analysis": "Analysis", "claimants": "Claimed by",
    "tags": "Topics", "appearances": "Who said it, where and when",
    "responses": "Responses and denials", "evidence": "Evidence",
    "evidence_status": "Evidence status", "related": "Related fact checks",
}


def person_name(user):
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return full or user.username


def _iso(value):
    return value.isoformat() if value is not None else None


def _party(claimant):
    return {
        "name": claimant.name, "slug": claimant.slug, "kind": claimant.kind,
        "same_as": list(claimant.same_as or []),
        "organisation": claimant.organisation.name if claimant.organisation_id else "",
    }


def _source(source, snapshot):
    if source is None:
        return None
    return {
        "id": source.pk, "url": source.url, "canonical_url": source.canonical_url,
        "title": source.title, "publisher": source.publisher,
        "snapshot": None if snapshot is None else {
            "pk": snapshot.pk, "fetched_at": _iso(snapshot.fetched_at),
        },
    }


def _label(row, field):
    return dict(row._meta.get_field(field).flatchoices).get(getattr(row, field), "")


def snapshot(*, claim, verdict, appearances, responses, evidence, claimants, tags, related,
             scale, published_at, first_published_at, modified_at, authors, approver,
             corrections):
    """What readers will see, as JSON: `claim` and `verdict` (rows or history records) and
    the lists given (rows, in the order shown), `related` as [(wording, slug, text)],
    `scale` as (worst, best), `authors` and `approver` as names, `corrections` as the
    correction log entries (dicts: date, kind, note, previous_rating, new_rating).

    Two parts are completed when the page is shown (claims.selectors.with_archive_and_links):
    a source not archived yet at publication shows the capture the archive made since (its
    id is listed in `awaiting_capture`), and a related claim shows only while readers see
    it, named by its own current publication (`related` keeps every relation the desk
    recorded, and the other claim's published wording at the time, or "").
    """
    rating = verdict.rating
    content = {
        "claim": {"text": claim.text, "language": claim.language, "slug": claim.slug},
        "claimants": [_party(c) for c in claimants],
        "tags": [{"name": t.name, "slug": t.slug} for t in tags],
        "appearances": [{
            "claimant": _party(a.claimant), "quote": a.quote, "said_on": _iso(a.said_on),
            "medium": a.medium, "medium_label": _label(a, "medium"), "venue": a.venue,
            "source": _source(a.source, a.source.latest_snapshot if a.source_id else None),
        } for a in appearances],
        "responses": [{
            "claimant": _party(r.claimant), "kind": r.kind, "kind_label": _label(r, "kind"),
            "quote": r.quote, "summary": r.summary, "said_on": _iso(r.said_on),
            "source": _source(r.source, r.source.latest_snapshot if r.source_id else None),
        } for r in responses],
        "evidence": [{
            "stance": e.stance, "stance_label": _label(e, "stance"), "summary": e.summary,
            "source": _source(e.source, e.snapshot or e.source.latest_snapshot),
        } for e in evidence],
        "evidence_status": {
            "value": claim.evidence_status, "label": _label(claim, "evidence_status"),
        },
        "rating": {
            "id": rating.pk, "name": rating.name, "slug": rating.slug, "value": rating.value,
            "colour": rating.colour, "worst": scale[0], "best": scale[1],
        },
        "headline": verdict.headline,
        "summary": verdict.summary,
        "analysis": verdict.analysis,
        "analysis_html": str(render_markdown(verdict.analysis)),
        "authors": list(authors),
        "approver": approver,
        "published_at": _iso(published_at),
        "first_published_at": _iso(first_published_at),
        "modified_at": _iso(modified_at),
        "related": [{"wording": w, "slug": s, "text": t} for w, s, t in related],
        "corrections": list(corrections),
    }
    content["awaiting_capture"] = sorted({
        item["source"]["id"] for part in ("appearances", "responses", "evidence")
        for item in content[part] if item["source"] and not item["source"]["snapshot"]
    })
    return content


def digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def content_digest(content):
    return digest(json.dumps(content, cls=DjangoJSONEncoder, sort_keys=True))


def search_words(content):
    """What readers' search matches in a publication: the claim, its quotes, who made it,
    the headline and the summary."""
    parts = [content["claim"]["text"], content["headline"], content["summary"]]
    parts += [a["quote"] for a in content["appearances"]]
    parts += [c["name"] for c in content["claimants"]]
    parts += [a["claimant"]["name"] for a in content["appearances"]]
    return "\n".join(dict.fromkeys(p.strip() for p in parts if p and p.strip()))


def write_publication(publication_model, *, claim, verdict, content, number, kind, note,
                      approver, rating, claimant_ids, tag_ids, correction_comments,
                      archive_links=True):
    """Store `content` as publication `number` of `claim` and return it. Works with the
    models of a migration state as well as the real ones (`publication_model`);
    `archive_links` is claimreview.claim_review's."""
    review = claim_review(content, corrections=correction_comments, archive_links=archive_links)
    review_text = json_ld_text(review)
    publication = publication_model.objects.create(
        claim=claim, verdict=verdict, number=number, kind=kind, note=note,
        published_at=parse_datetime(content["published_at"]),
        first_published_at=parse_datetime(content["first_published_at"]),
        approver=approver, rating=rating, search_text=search_words(content),
        content=content, content_sha256=content_digest(content),
        claim_review=review_text, claim_review_sha256=digest(review_text),
    )
    publication.claimants.set(claimant_ids)
    publication.tags.set(tag_ids)
    return publication


def cite_sources(citation_model, publication):
    """Record which sources `publication` cites and the capture it shows for each
    (claims.models.PublicationSource): what makes those captures public and what goes
    into its evidence pack. A source cited in several parts is recorded once, with the
    capture any part pins."""
    cited = {}
    for part in ("appearances", "responses", "evidence"):
        for item in publication.content[part]:
            source = item["source"]
            if source:
                capture = source["snapshot"]["pk"] if source["snapshot"] else None
                cited[source["id"]] = cited.get(source["id"]) or capture
    citation_model.objects.bulk_create([
        citation_model(publication=publication, source_id=source, snapshot_id=capture)
        for source, capture in cited.items()
    ])


def request_evidence_pack(publication_id):
    """Queue the build of a publication's evidence pack once the transaction commits.

    Publishing never fails because the broker is down: the pack is built by the next
    `build_evidence_packs` run (or beat sweep) instead."""
    transaction.on_commit(lambda: _send_pack_task(publication_id))


def _send_pack_task(publication_id):
    from factcheck.celery import app

    try:
        app.send_task("evidence.tasks.build_evidence_pack", args=[publication_id])
    except Exception:  # kombu raises several types for a broker that is down
        logger.warning("Broker unavailable; the evidence pack of publication %s waits for "
                       "the sweep.", publication_id, exc_info=True)


def correction_comments(corrections):
    """The schema.org `correction` of a ClaimReview: the notes of revisions published
    under publications (the log entries marked `in_claim_review`)."""
    return [
        {"@type": "CorrectionComment", "text": c["note"], "datePublished": c["date"]}
        for c in corrections if c.get("in_claim_review")
    ]


# ---------------------------------------------------------------- reading and comparing


_DATETIME_KEYS = ("published_at", "first_published_at", "modified_at", "fetched_at", "date")


def readable(content):
    """A copy of `content` with its dates as date and datetime objects, for templates."""
    if isinstance(content, list):
        return [readable(item) for item in content]
    if not isinstance(content, dict):
        return content
    shown = {}
    for key, value in content.items():
        if key in _DATETIME_KEYS and isinstance(value, str):
            shown[key] = parse_datetime(value)
        elif key == "said_on" and isinstance(value, str):
            shown[key] = parse_date(value)
        else:
            shown[key] = readable(value)
    return shown


def part_lines(content, part):
    """One part of a publication as lines of text, as the versions view compares them."""
    value = content.get(part)
    if part == "claim":
        return [value["text"]]
    if part == "rating":
        return [f"{value['name']} ({value['value']} on a scale from {value['worst']} "
                f"to {value['best']})"]
    if part == "evidence_status":
        return [value["label"]]
    if part in ("claimants", "tags"):
        return [item["name"] for item in value]
    if part == "appearances":
        return [_record_line(a["claimant"]["name"], a["medium_label"], a["said_on"],
                             a["quote"], a["venue"], a["source"]) for a in value]
    if part == "responses":
        return [_record_line(r["claimant"]["name"], r["kind_label"], r["said_on"],
                             r["quote"], r["summary"], r["source"]) for r in value]
    if part == "evidence":
        return [_record_line(e["stance_label"], "", None, "", e["summary"], e["source"])
                for e in value]
    if part == "related":
        # By the other claim's address: its wording is its own publications' business.
        return [f"{r['wording']}: /checks/{r['slug']}/" for r in value]
    return (value or "").splitlines()


def _record_line(who, what, when, quote, note, source):
    parts = [who, what, when or "", f"“{quote}”" if quote else "", note,
             (source or {}).get("url", "")]
    return " · ".join(p for p in parts if p)


def changed_parts(before, after):
    """The parts (PARTS) whose lines differ between two publications' contents."""
    return [part for part in PARTS if part_lines(before, part) != part_lines(after, part)]


def same_rating(before, after):
    """Whether two publications' contents give the same step of the scale, perhaps named
    or valued differently since (the scale was edited in between)."""
    old, new = before["rating"], after["rating"]
    return old.get("id", old["slug"]) == new.get("id", new["slug"])


# ---------------------------------------------------------------- from the desk's rows


RELATION_WORDING = {
    "duplicate_of": ("This claim is a duplicate of", "Repeated as"),
    "rests_on": ("This claim rests on", "This claim is the basis of"),
    "contradicts": ("This claim contradicts", "This claim is contradicted by"),
}


def live_related(claim):
    """[(wording, slug, text)] for every relation of `claim` with another claim, the other
    named by its published wording ("" while unpublished: never by its desk's draft)."""
    from .models import ClaimRelation

    relations = ClaimRelation.objects.filter(
        Q(from_claim=claim) | Q(to_claim=claim)
    ).select_related("from_claim__current_publication", "to_claim__current_publication")
    related = []
    for relation in relations.order_by("kind", "pk"):
        outgoing = relation.from_claim_id == claim.pk
        other = relation.to_claim if outgoing else relation.from_claim
        wording = RELATION_WORDING[relation.kind][0 if outgoing else 1]
        shown = other.current_publication
        related.append((wording, other.slug, shown.content["claim"]["text"] if shown else ""))
    return related


def live_snapshot(claim, verdict, *, published_at, first_published_at, modified_at,
                  authors, approver, corrections):
    """snapshot() of the desk's rows of `claim` and its current `verdict` as they are now."""
    from .models import Rating

    return snapshot(
        claim=claim, verdict=verdict,
        appearances=claim.appearances.select_related(
            "claimant__organisation", "source__latest_snapshot").order_by("said_on", "pk"),
        responses=claim.responses.select_related(
            "claimant__organisation", "source__latest_snapshot").order_by("said_on", "pk"),
        evidence=claim.evidence.select_related(
            "source__latest_snapshot", "snapshot").order_by("stance", "pk"),
        claimants=claim.claimants.select_related("organisation").order_by("name", "pk"),
        tags=claim.tags.order_by("name", "pk"),
        related=live_related(claim),
        scale=Rating.scale_bounds(),
        published_at=published_at, first_published_at=first_published_at,
        modified_at=modified_at, authors=authors, approver=approver, corrections=corrections,
    )
