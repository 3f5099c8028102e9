"""Every list and detail endpoint runs a fixed number of queries, whatever the page size:
each is measured at 5 and at 50 items against the same ceiling."""
import uuid

import pytest
from django.utils import timezone

from claims import workflow
from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Correction,
    Publication,
    Rating,
    Response,
    Review,
    Tag,
    Verdict,
)
from evidence.models import Evidence, Snapshot, Source
from tests.data import desk

pytestmark = pytest.mark.django_db


def populate(n, author, approver):
    """n published claims, each with a claimant, tags, an appearance and a response citing
    an archived source, evidence, a relation, a reviewed verdict and a published
    correction (two publications).

    The rows are made directly (they are what the lists read); the verdicts are drafted,
    approved, published and corrected through the workflow, as the desk does it."""
    rating = Rating.objects.create(name="False", slug="false", value=1)
    now = timezone.now()
    claims = []
    for i in range(n):
        claimant = Claimant.objects.create(name=f"Claimant {i}", slug=f"claimant-{i}",
                                           kind="person")
        source = Source.objects.create(url=f"https://example.org/{i}", status="archived")
        snapshot = Snapshot.objects.create(
            source=source, fetch_id=uuid.uuid4(), fetched_at=now, final_url=source.url,
            http_status=200, payload_sha256="0" * 64, warc_path=f"{i}.warc.gz")
        source.latest_snapshot = snapshot
        source.save()
        claim = Claim.objects.create(text=f"Claim number {i}", slug=f"claim-{i}",
                                     assignee=author, search_text=f"claim number {i}")
        claim.claimants.add(claimant)
        claim.tags.add(Tag.objects.create(name=f"Tag {i}", slug=f"tag-{i}"))
        Appearance.objects.create(claim=claim, claimant=claimant, quote="q", source=source)
        Response.objects.create(claim=claim, claimant=claimant, kind="denies", source=source)
        Evidence.objects.create(claim=claim, source=source, stance="refutes", snapshot=snapshot)
        if claims:
            ClaimRelation.objects.create(from_claim=claim, to_claim=claims[-1], kind="rests_on")
        desk.research(claim, by=author)
        desk.draft(claim, fact_checker=author, rating=rating, summary="s")
        workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=author)
        workflow.add_review(verdict=workflow.current_verdict(claim), by=approver,
                            kind=Review.Kind.APPROVE)
        workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=approver)
        # A revision, published: its note is a correction readers see.
        desk.draft(claim, fact_checker=author, rating=rating, summary="s, fixed",
                   correction_note="fixed")
        desk.publish(claim, fact_checker=author, editor=approver)
        claims.append(claim)
    return claims


LISTS = ["/api/v1/claims/", "/api/v1/claimants/", "/api/v1/appearances/",
         "/api/v1/responses/", "/api/v1/evidence/", "/api/v1/sources/", "/api/v1/snapshots/",
         "/api/v1/verdicts/", "/api/v1/corrections/", "/api/v1/reviews/",
         "/api/v1/claimreview/", "/api/v1/publications/"]
PUBLIC_LISTS = ["/api/v1/claims/", "/api/v1/verdicts/", "/api/v1/corrections/",
                "/api/v1/claimreview/", "/api/v1/publications/"]
DETAILS = {
    "claims": Claim, "claimants": Claimant, "appearances": Appearance,
    "responses": Response, "evidence": Evidence, "sources": Source, "snapshots": Snapshot,
    "verdicts": Verdict, "corrections": Correction, "reviews": Review,
    "publications": Publication,
}
# The token and the role's permissions (3 queries), the page and its count, and one query
# per prefetched relation. The claim detail prefetches eleven relations (its contributors
# among them).
MAX_QUERIES = 7
MAX_CLAIM_DETAIL = 15


@pytest.fixture(params=[5, 50])
def world(request, fact_checker, editor):
    return populate(request.param, fact_checker, editor)


def items(url, world):
    # Each claim has been published twice (populate); every other list has one per claim.
    return 2 * len(world) if url == "/api/v1/publications/" else len(world)


def test_staff_lists(client_for, editor, world, django_assert_max_num_queries):
    client = client_for(editor)
    for url in LISTS:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(url, {"page_size": items(url, world)})
        assert response.status_code == 200, url
        assert len(response.json()["results"]) == items(url, world), url


def test_public_lists(anon, world, django_assert_max_num_queries):
    for url in PUBLIC_LISTS:
        with django_assert_max_num_queries(MAX_QUERIES):
            response = anon.get(url, {"page_size": items(url, world)})
        assert response.status_code == 200, url
        assert len(response.json()["results"]) == items(url, world), url


def test_staff_details(client_for, editor, world, django_assert_max_num_queries):
    client = client_for(editor)
    for name, model in DETAILS.items():
        obj = model.objects.order_by("-pk").first()
        ceiling = MAX_CLAIM_DETAIL if name == "claims" else MAX_QUERIES
        with django_assert_max_num_queries(ceiling):
            response = client.get(f"/api/v1/{name}/{obj.pk}/")
        assert response.status_code == 200, name


def test_public_details(anon, world, django_assert_max_num_queries):
    claim = world[-1]
    verdict = claim.verdicts.get()
    for url in [f"/api/v1/claims/{claim.pk}/", f"/api/v1/claims/{claim.pk}/claimreview/",
                f"/api/v1/verdicts/{verdict.pk}/",
                f"/api/v1/corrections/{verdict.corrections.get().pk}/",
                f"/api/v1/publications/{claim.publications.first().pk}/"]:
        # Readers' claims are read from their publication, whatever it shows.
        with django_assert_max_num_queries(MAX_QUERIES):
            response = anon.get(url)
        assert response.status_code == 200, url


def test_claim_detail_cost_does_not_grow_with_its_parts(
    client_for, editor, fact_checker, django_assert_max_num_queries
):
    """One claim with 40 appearances, responses and pieces of evidence costs the same."""
    claim = populate(1, fact_checker, editor)[0]
    claimant = claim.claimants.get()
    for i in range(40):
        source = Source.objects.create(url=f"https://example.net/{i}")
        Appearance.objects.create(claim=claim, claimant=claimant, source=source)
        Response.objects.create(claim=claim, claimant=claimant, kind="comments", source=source)
        Evidence.objects.create(claim=claim, source=source, stance="context")
    client = client_for(editor)
    with django_assert_max_num_queries(MAX_CLAIM_DETAIL):
        body = client.get(f"/api/v1/claims/{claim.pk}/").json()
    assert len(body["evidence"]) == 41
