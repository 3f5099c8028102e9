"""Sources, evidence and the evidence status of claims.

One function per write, doing the whole job in one transaction: citing a source on a
claim pins the evidence to the capture it is read in (the source's latest snapshot, or the
first one when it lands) and recomputes the claim's evidence status. The admin and the API
both call these and nothing else to write evidence or sources.

Lock order, as in claims.services and claims.workflow: the claim first
(claims.services.lock_claim; two claims in id order), then the evidence row; a source
last. The archiver (evidence.archiving) keeps the order too: it locks the claims citing a
source before the source, then updates their evidence status.
"""
import logging

from django.db import transaction

from claims import revisions
from claims.models import Claim
from claims.services import lock_claim, lock_claims

from .models import Evidence, Source
from .urls_canonical import canonicalize_url

logger = logging.getLogger(__name__)

Status = Claim.EvidenceStatus


def source_for_url(url, *, title="", publisher="", queue=True):
    """The Source for `url`, created if new. Raises InvalidURL for a URL we cannot archive.

    A new source, or a known one not archived yet (pending or failed), is queued for
    archiving once the transaction commits: citing a source again retries it. A caller
    that archives or queues the source itself (manage.py archive_sources) passes
    ``queue=False``, so that one citation makes one fetch.
    """
    canonical = canonicalize_url(url)
    source, created = Source.objects.get_or_create(
        canonical_url=canonical, defaults={"url": url, "title": title, "publisher": publisher}
    )
    if queue and (created or source.status in (Source.Status.PENDING, Source.Status.FAILED)):
        request_archive(source)
    elif (title and not source.title) or (publisher and not source.publisher):
        source.title = source.title or title
        source.publisher = source.publisher or publisher
        source.save(update_fields=["title", "publisher", "updated_at"])
    return source


def compute_evidence_status(evidence_items):
    """The evidence status of a claim, from its evidence and their sources.

    The rule, applied in this order (the first that matches wins):
    1. no evidence at all: none offered;
    2. any cited source is dead: source dead;
    3. any source's text changed since the snapshot the evidence was read in: source changed;
    4. any source still waiting for its first archive (pending or fetching): pending archive;
    5. otherwise by stance: only supporting: supported; only refuting: refuted;
       both: mixed; context only: inconclusive.
    `evidence_items` must come with `source`, `source__latest_snapshot` and `snapshot`.
    """
    items = list(evidence_items)
    if not items:
        return Status.NONE_OFFERED
    sources = [e.source for e in items]
    if any(s.status == Source.Status.DEAD for s in sources):
        return Status.SOURCE_DEAD
    if any(changed_since_read(e) for e in items):
        return Status.SOURCE_CHANGED
    if any(
        s.status in (Source.Status.PENDING, Source.Status.FETCHING) and s.latest_snapshot_id is None
        for s in sources
    ):
        return Status.PENDING_ARCHIVE
    stances = {e.stance for e in items}
    supports = Evidence.Stance.SUPPORTS in stances
    refutes = Evidence.Stance.REFUTES in stances
    if supports and refutes:
        return Status.MIXED
    if supports:
        return Status.SUPPORTED
    if refutes:
        return Status.REFUTED
    return Status.INCONCLUSIVE


def changed_since_read(evidence):
    """True when the source's latest capture has other text than the one `evidence` was
    read in."""
    latest = evidence.source.latest_snapshot
    read = evidence.snapshot
    return bool(latest and read and latest.text_sha256 != read.text_sha256)


def refresh_evidence_status(claim_ids):
    """Recompute and store the evidence status of the given claims. Returns how many changed."""
    items_by_claim = {pk: [] for pk in claim_ids}
    for item in Evidence.objects.filter(claim_id__in=claim_ids).select_related(
        "source__latest_snapshot", "snapshot"
    ):
        items_by_claim[item.claim_id].append(item)
    changed = 0
    for claim in Claim.objects.filter(pk__in=claim_ids).only("pk", "evidence_status"):
        status = compute_evidence_status(items_by_claim[claim.pk])
        if status != claim.evidence_status:
            Claim.objects.filter(pk=claim.pk).update(evidence_status=status)
            changed += 1
    return changed


@transaction.atomic
def update_source(source, **changes):
    """Correct what the desk may correct about a source (its title, its publisher);
    returns it as saved. Its URL is its identity and its archive state the archiver's."""
    source = Source.objects.select_for_update(no_key=True).get(pk=source.pk)
    for name, value in changes.items():
        setattr(source, name, value)
    source.save(update_fields=[*changes, "updated_at"])
    return source


@transaction.atomic
def delete_source(source):
    """Delete a source with its snapshots. Raises ProtectedError while evidence cites it;
    appearances and responses citing it keep their quote, without a source."""
    source.delete()


def _cited_source(source, url):
    """The source picked, or the one for the pasted `url` (source_for_url)."""
    return source_for_url(url) if url else source


@transaction.atomic
def attach_evidence(*, claim, stance, url="", source=None, summary="", by=None):
    """Cite a source on `claim` with a stance: the one picked (`source`) or the page at
    `url` (found or created, and queued for archiving). Citing a source the claim already
    cites updates that evidence. Either way the evidence is pinned to the source's latest
    snapshot (the capture it is read in), and the claim's evidence status follows.

    Raises InvalidURL for a URL we cannot archive.
    """
    claim = lock_claim(claim)
    source = _cited_source(source, url)
    read = {"stance": stance, "summary": summary, "snapshot": source.latest_snapshot}
    # Whoever cited it first stays its citer; citing it again only re-reads it.
    evidence, _ = Evidence.objects.update_or_create(
        claim=claim, source=source, defaults=read, create_defaults={**read, "created_by": by},
    )
    refresh_evidence_status([claim.pk])
    revisions.edited(claim, by)
    return evidence


@transaction.atomic
def update_evidence(evidence, *, by=None, source_url="", **changes):
    """Edit evidence (`claim`, `source` or `source_url`, `stance`, `summary`); returns it
    as saved. Given another source, it is pinned to that source's latest snapshot. The
    evidence status of its claim follows (of both claims, when it moves to another).
    """
    if source_url:
        changes["source"] = source_for_url(source_url)
    # The claim it is on as stored (the caller's copy may already hold the new one).
    claim_ids = set(Evidence.objects.filter(pk=evidence.pk).values_list("claim_id", flat=True))
    if "claim" in changes:
        claim_ids.add(changes["claim"].pk)
    claims = lock_claims(claim_ids)
    evidence = Evidence.objects.select_for_update(no_key=True).get(pk=evidence.pk)
    claim_ids.add(evidence.claim_id)
    source_before = evidence.source_id
    for name, value in changes.items():
        setattr(evidence, name, value)
    if evidence.source_id != source_before:
        evidence.snapshot = evidence.source.latest_snapshot
    evidence.save()
    refresh_evidence_status(claim_ids)
    for claim in claims:
        revisions.edited(claim, by)
    return evidence


@transaction.atomic
def delete_evidence(evidence, *, by=None):
    """Remove evidence from its claim; the claim's evidence status follows."""
    claim = lock_claim(evidence.claim_id)
    evidence.delete()
    refresh_evidence_status([claim.pk])
    revisions.edited(claim, by)


def request_archive(source):
    """Queue an archive of `source` once the current transaction commits.

    The save that cites the source never fails because the broker is down: the source
    stays pending and the periodic sweep (evidence.tasks.queue_pending_sources) queues it.
    """
    source_id = source.pk
    transaction.on_commit(lambda: _send_archive_task(source_id))


def _send_archive_task(source_id):
    from factcheck.celery import app

    try:
        app.send_task("evidence.tasks.archive_source", args=[source_id])
    except Exception:  # kombu raises several types for a broker that is down
        logger.warning("Broker unavailable; source %s stays pending for the sweep.", source_id,
                       exc_info=True)
