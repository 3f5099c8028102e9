"""Every verdict published before publications existed becomes its claim's first
publication, showing readers exactly what they were shown before (the same page and the
same ClaimReview JSON-LD, byte for byte: tests/claims/test_publication_migration.py); and
the database starts refusing any change to a publication.

What readers were shown, under the old rules: the current verdict once published, with all
its claim's appearances, responses, evidence and corrections; of a claim reopened for
research, the verdict as it stood when last published (its first history record carrying
that publication's time) and only the rows recorded by then. A correction drafted since
(under the old rules it was written at once, though readers did not see it yet) stays
unpublished, and its note becomes the draft note of the claim's next revision, so nothing
the desk wrote is lost.

This migration uses claims.publishing to build the content, so that the copy is built the
way every later publication is. On a new database there is nothing to convert.
"""
from django.db import migrations
from django.db.models import Max, Min

from claims import publishing

IMMUTABLE_POSTGRESQL = """
CREATE OR REPLACE FUNCTION claims_publication_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'A publication is never changed once written (publication %%).', OLD.id
        USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER claims_publication_immutable BEFORE UPDATE ON claims_publication
    FOR EACH ROW EXECUTE FUNCTION claims_publication_immutable();
"""
MUTABLE_POSTGRESQL = """
DROP TRIGGER IF EXISTS claims_publication_immutable ON claims_publication;
DROP FUNCTION IF EXISTS claims_publication_immutable();
"""
IMMUTABLE_SQLITE = """
CREATE TRIGGER claims_publication_immutable BEFORE UPDATE ON claims_publication
BEGIN SELECT RAISE(ABORT, 'A publication is never changed once written.'); END;
"""
MUTABLE_SQLITE = "DROP TRIGGER IF EXISTS claims_publication_immutable;"


def refuse_updates(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("postgresql", "sqlite"):
        schema_editor.execute(IMMUTABLE_POSTGRESQL if vendor == "postgresql" else IMMUTABLE_SQLITE)


def allow_updates(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("postgresql", "sqlite"):
        schema_editor.execute(MUTABLE_POSTGRESQL if vendor == "postgresql" else MUTABLE_SQLITE)


def _as_published(verdict, history):
    """The verdict as readers were last shown it: itself, or for a reopened claim the first
    history record of its last publication."""
    if verdict.claim.state == "published":
        return verdict
    record = (history.objects.filter(id=verdict.pk, last_published_at=verdict.last_published_at)
              .select_related("rating", "author", "approver").order_by("history_date").first())
    return record or verdict


def first_publications(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    ClaimRelation = apps.get_model("claims", "ClaimRelation")
    Correction = apps.get_model("claims", "Correction")
    HistoricalVerdict = apps.get_model("claims", "HistoricalVerdict")
    Publication = apps.get_model("claims", "Publication")
    Rating = apps.get_model("claims", "Rating")
    Verdict = apps.get_model("claims", "Verdict")

    published = Verdict.objects.filter(is_current=True, published_at__isnull=False)
    if not published.exists():
        return
    bounds = Rating.objects.filter(is_active=True).aggregate(worst=Min("value"), best=Max("value"))
    scale = (bounds["worst"], bounds["best"])
    published_claims = set(published.values_list("claim_id", flat=True))
    for verdict in published.select_related("claim", "rating", "author", "approver").order_by("pk"):
        claim = verdict.claim
        shown = _as_published(verdict, HistoricalVerdict)
        reopened = claim.state != "published"
        # Under the old rules, of a reopened claim readers saw what was recorded by its
        # last publication.
        recorded = {"created_at__lte": verdict.last_published_at} if reopened else {}
        corrections = Correction.objects.filter(verdict=verdict).select_related(
            "previous_rating").order_by("created_at", "pk")
        shown_corrections = [c for c in corrections
                             if not reopened or c.created_at <= verdict.last_published_at]
        drafted = [c for c in corrections if c not in shown_corrections]
        related = []
        relations = ClaimRelation.objects.filter(from_claim=claim).select_related("to_claim")
        inverse = ClaimRelation.objects.filter(to_claim=claim).select_related("from_claim")
        for relation in sorted([*relations, *inverse], key=lambda r: (r.kind, r.pk)):
            outgoing = relation.from_claim_id == claim.pk
            other = relation.to_claim if outgoing else relation.from_claim
            wording = publishing.RELATION_WORDING[relation.kind][0 if outgoing else 1]
            # Every relation is kept; the page names those readers see (claims.selectors).
            related.append((wording, other.slug,
                            other.text if other.pk in published_claims else ""))
        modified = (shown.last_published_at
                    if shown.last_published_at != shown.published_at else None)
        content = publishing.snapshot(
            claim=claim, verdict=shown,
            appearances=claim.appearances.filter(**recorded).select_related(
                "claimant__organisation", "source__latest_snapshot").order_by("said_on", "pk"),
            responses=claim.responses.filter(**recorded).select_related(
                "claimant__organisation", "source__latest_snapshot").order_by("said_on", "pk"),
            evidence=claim.evidence.filter(**recorded).select_related(
                "source__latest_snapshot", "snapshot").order_by("stance", "pk"),
            claimants=claim.claimants.select_related("organisation").order_by("name", "pk"),
            tags=claim.tags.order_by("name", "pk"),
            related=related, scale=scale,
            published_at=shown.last_published_at, first_published_at=shown.published_at,
            modified_at=modified,
            authors=[publishing.person_name(shown.author)] if shown.author else [],
            approver=publishing.person_name(shown.approver),
            corrections=[{
                "date": c.created_at.isoformat(), "kind": "correction", "note": c.note,
                "previous_rating": c.previous_rating.name if c.previous_rating else None,
                "new_rating": None, "number": 1, "in_claim_review": False,
            } for c in shown_corrections],
        )
        publication = publishing.write_publication(
            Publication, claim=claim, verdict=verdict, content=content, number=1,
            kind="first", note="", approver=shown.approver, rating=shown.rating,
            claimant_ids=claim.claimants.values_list("pk", flat=True),
            tag_ids=claim.tags.values_list("pk", flat=True), correction_comments=[],
            # The ClaimReview exactly as the pages served it then: archivedAt came later.
            archive_links=False,
        )
        Claim.objects.filter(pk=claim.pk).update(current_publication=publication)
        Correction.objects.filter(pk__in=[c.pk for c in shown_corrections]).update(
            publication=publication)
        if reopened:
            # The revision in progress: a draft again, its drafted notes kept for it.
            note = "\n\n".join(c.note for c in drafted)
            Verdict.objects.filter(pk=verdict.pk).update(
                status="draft", approver=None, correction_note=note)


def forget_publications(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Publication = apps.get_model("claims", "Publication")
    Claim.objects.update(current_publication=None)
    Publication.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("claims", "0009_publications"),
        ("evidence", "0002_history_of_sources"),
    ]

    operations = [
        migrations.RunPython(first_publications, forget_publications),
        migrations.RunPython(refuse_updates, allow_updates),
    ]
