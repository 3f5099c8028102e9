"""The documented rule deriving a claim's evidence status (evidence.services)."""
import uuid

import pytest
from django.utils import timezone

from claims.models import Claim
from evidence.models import Evidence, Snapshot, Source
from evidence.services import refresh_evidence_status

Status = Claim.EvidenceStatus


@pytest.fixture
def claim(db):
    return Claim.objects.create(text="Something checkable", slug="something")


def archived_source(url, text_hash="t1"):
    source = Source.objects.create(url=url, status=Source.Status.ARCHIVED)
    snapshot = snap(source, text_hash)
    source.latest_snapshot = snapshot
    source.save()
    return source


def snap(source, text_hash):
    return Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), final_url=source.url,
        http_status=200, payload_sha256="p" * 64, text_sha256=text_hash, warc_path="x.warc.gz",
    )


def status_of(claim, *evidence):
    for source, stance in evidence:
        Evidence.objects.create(claim=claim, source=source, stance=stance,
                                snapshot=source.latest_snapshot)
    refresh_evidence_status([claim.pk])
    claim.refresh_from_db()
    return claim.evidence_status


def test_no_evidence_means_none_offered(claim):
    assert status_of(claim) == Status.NONE_OFFERED


@pytest.mark.parametrize(("stances", "expected"), [
    (["supports"], Status.SUPPORTED),
    (["refutes"], Status.REFUTED),
    (["supports", "refutes"], Status.MIXED),
    (["supports", "context"], Status.SUPPORTED),
    (["context"], Status.INCONCLUSIVE),
])
def test_status_follows_the_stances(claim, stances, expected):
    items = [(archived_source(f"https://example.com/{i}"), s) for i, s in enumerate(stances)]
    assert status_of(claim, *items) == expected


def test_a_source_waiting_for_its_first_archive_means_pending(claim):
    pending = Source.objects.create(url="https://example.com/new")
    assert status_of(claim, (archived_source("https://example.com/a"), "supports"),
                     (pending, "refutes")) == Status.PENDING_ARCHIVE


def test_a_dead_source_wins_over_everything(claim):
    dead = archived_source("https://example.com/gone")
    Source.objects.filter(pk=dead.pk).update(status=Source.Status.DEAD)
    dead.refresh_from_db()
    assert status_of(claim, (dead, "supports"),
                     (Source.objects.create(url="https://example.com/p"), "refutes")
                     ) == Status.SOURCE_DEAD


def test_text_changed_since_the_evidence_was_read(claim):
    source = archived_source("https://example.com/edited", text_hash="before")
    assert status_of(claim, (source, "supports")) == Status.SUPPORTED
    source.latest_snapshot = snap(source, "after")
    source.save()
    refresh_evidence_status([claim.pk])
    claim.refresh_from_db()
    assert claim.evidence_status == Status.SOURCE_CHANGED
