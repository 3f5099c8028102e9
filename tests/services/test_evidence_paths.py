"""Evidence written through the API, the claim page's evidence rows or the evidence admin
comes out the same (evidence.services does the whole job): pinned to the capture of the
source it is read in, and the claim's evidence status recomputed on every change."""
import hashlib
import uuid

import pytest
from django.utils import timezone

from claims import services
from claims.models import Claim
from evidence.models import Evidence, Snapshot, Source
from evidence.services import source_for_url

from .desks import (
    API,
    admin_client,
    admin_save,
    admin_url,
    api_client,
    api_delete,
    api_patch,
    api_post,
)

pytestmark = pytest.mark.django_db

DESKS = ["api", "claim page", "evidence admin"]
Status = Claim.EvidenceStatus


def archived(url, text="the text"):
    """The source at `url`, archived once: its latest snapshot is that capture (written as
    the archiver writes it, evidence.archiving)."""
    source = source_for_url(url)
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), final_url=url,
        http_status=200, payload_sha256=uuid.uuid4().hex * 2,
        text_sha256=hashlib.sha256(text.encode()).hexdigest(), warc_path="warc/x.warc.gz",
    )
    Source.objects.filter(pk=source.pk).update(
        latest_snapshot=snapshot, status=Source.Status.ARCHIVED)
    return Source.objects.get(pk=source.pk)


@pytest.fixture
def claim(fact_checker):
    return services.create_claim(by=fact_checker, text="The dam holds a billion litres.",
                                 slug="dam-billion")


@pytest.fixture
def source(db):
    return archived("https://example.org/dam-report")


def cite(desk, user, claim, source, stance):
    if desk == "api":
        api_post(api_client(user), f"{API}/evidence/",
                 {"claim": claim.pk, "url": source.url, "stance": stance})
    elif desk == "claim page":
        admin_save(admin_client(user), admin_url(Claim, claim.pk), new_rows={
            "evidence": [{"source_url": source.url, "stance": stance}]})
    else:
        admin_save(admin_client(user), admin_url(Evidence), fields={
            "claim": claim.pk, "source": source.pk, "stance": stance})
    return Evidence.objects.get(claim=claim, source=source)


def edit(desk, user, evidence, **changes):
    if desk == "api":
        api_patch(api_client(user), f"{API}/evidence/{evidence.pk}/", changes)
    elif desk == "claim page":
        admin_save(admin_client(user), admin_url(Claim, evidence.claim_id),
                   rows={"evidence": {0: changes}})
    else:
        admin_save(admin_client(user), admin_url(Evidence, evidence.pk), fields=changes)


def remove(desk, user, evidence):
    if desk == "api":
        api_delete(api_client(user), f"{API}/evidence/{evidence.pk}/")
    elif desk == "claim page":
        admin_save(admin_client(user), admin_url(Claim, evidence.claim_id),
                   deleted={"evidence": [0]})
    else:
        response = admin_client(user).post(
            f"/admin/evidence/evidence/{evidence.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302


def status_of(claim):
    return Claim.objects.get(pk=claim.pk).evidence_status


@pytest.mark.parametrize("desk", DESKS)
def test_cited_evidence_is_pinned_to_the_capture_it_is_read_in(
    desk, fact_checker, claim, source
):
    evidence = cite(desk, fact_checker, claim, source, "supports")
    assert evidence.snapshot == source.latest_snapshot is not None
    assert evidence.created_by == fact_checker


@pytest.mark.parametrize("desk", DESKS)
def test_every_change_of_evidence_recomputes_the_claims_evidence_status(
    desk, fact_checker, claim, source
):
    assert status_of(claim) == Status.NONE_OFFERED
    evidence = cite(desk, fact_checker, claim, source, "supports")
    assert status_of(claim) == Status.SUPPORTED
    edit(desk, fact_checker, evidence, stance="refutes")
    assert status_of(claim) == Status.REFUTED
    remove(desk, fact_checker, evidence)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert status_of(claim) == Status.NONE_OFFERED


@pytest.mark.parametrize("desk", DESKS)
def test_a_source_changed_since_it_was_read_shows_on_the_claim(
    desk, fact_checker, claim, source
):
    evidence = cite(desk, fact_checker, claim, source, "supports")
    # A later capture of the page with other text (the archiver's re-check), written
    # without recomputing anything: the next edit of the evidence does.
    archived(source.url, text="the text, edited since")
    assert status_of(claim) == Status.SUPPORTED
    edit(desk, fact_checker, evidence, stance="context")
    assert status_of(claim) == Status.SOURCE_CHANGED


@pytest.mark.parametrize("desk", ["claim page", "evidence admin"])
def test_evidence_given_another_source_is_pinned_to_that_sources_capture(
    desk, fact_checker, claim, source
):
    evidence = cite(desk, fact_checker, claim, source, "supports")
    other = archived("https://example.org/other-report")
    edit(desk, fact_checker, evidence, source=other.pk)
    evidence.refresh_from_db()
    assert evidence.source == other and evidence.snapshot == other.latest_snapshot


def test_a_pasted_url_on_the_claim_page_becomes_a_source_queued_for_archiving(
    fact_checker, claim, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        admin_save(admin_client(fact_checker), admin_url(Claim, claim.pk), new_rows={
            "evidence": [{"source_url": "https://example.org/new-page", "stance": "context"}]})
    evidence = Evidence.objects.get(claim=claim)
    assert evidence.source.canonical_url == "https://example.org/new-page"
    assert evidence.snapshot is None  # the archiver pins it when the first capture lands
    assert len(queued) == 1
    assert status_of(claim) == Status.PENDING_ARCHIVE


def test_evidence_moved_to_another_claim_recomputes_both(fact_checker, claim, source):
    other = services.create_claim(by=fact_checker, text="The reservoir is half empty.",
                                  slug="reservoir-half")
    evidence = cite("evidence admin", fact_checker, claim, source, "refutes")
    edit("evidence admin", fact_checker, evidence, claim=other.pk)
    assert Evidence.objects.get(pk=evidence.pk).claim == other
    assert (status_of(claim), status_of(other)) == (Status.NONE_OFFERED, Status.REFUTED)


def test_deleting_evidence_in_bulk_from_the_list_recomputes_each_claim(
    fact_checker, claim, source
):
    """The changelist's "delete selected" goes row by row through the service (the admins'
    base, factcheck.history_admin), not through a bulk delete that would leave each
    claim's evidence status as it was."""
    other = services.create_claim(by=fact_checker, text="The dam leaks.", slug="dam-leaks")
    rows = [cite("api", fact_checker, c, source, "supports") for c in (claim, other)]
    assert status_of(claim) == status_of(other) == Status.SUPPORTED
    browser = admin_client(fact_checker)
    selected = {"action": "delete_selected", "_selected_action": [e.pk for e in rows]}
    confirm = browser.post("/admin/evidence/evidence/", selected)
    assert confirm.status_code == 200  # "Are you sure?"
    done = browser.post("/admin/evidence/evidence/", {**selected, "post": "yes"})
    assert done.status_code == 302
    assert not Evidence.objects.filter(pk__in=[e.pk for e in rows]).exists()
    assert status_of(claim) == status_of(other) == Status.NONE_OFFERED


def test_citing_a_source_again_keeps_who_cited_it_first(
    fact_checker, other_fact_checker, claim, source
):
    first = cite("api", fact_checker, claim, source, "supports")
    again = cite("api", other_fact_checker, claim, source, "refutes")
    assert again.pk == first.pk
    assert (again.stance, again.created_by) == ("refutes", fact_checker)
