"""Claimants, appearances, responses, evidence, sources and snapshots, per role: written
through the same services as the admin (search text and evidence status stay current)."""
import uuid

import pytest
from django.utils import timezone

from claims.models import Appearance, Claim, Claimant, Correction, Response
from evidence.models import Evidence, Snapshot, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(seeded):
    return Claim.objects.get(slug="wagner-active-in-mali-since-2021")


def etag(client, url):
    return client.get(url)["ETag"]


def test_claimants(client_for, fact_checker, reviewer, seeded):
    writer = client_for(fact_checker)
    response = writer.post("/api/v1/claimants/", {
        "name": "Assimi Goïta", "slug": "assimi-goita", "kind": "person",
        "aliases": ["Goita"], "same_as": ["https://www.wikidata.org/wiki/Q56601396"],
    }, format="json")
    assert response.status_code == 201, response.content
    assert writer.get("/api/v1/claimants/?q=goïta").json()["results"][0]["slug"] == (
        "assimi-goita")
    bad = writer.post("/api/v1/claimants/", {"name": "X", "slug": "x", "kind": "alien",
                                             "same_as": ["not a url"]}, format="json")
    assert set(bad.json()["errors"]) == {"kind", "same_as"}
    assert client_for(reviewer).post("/api/v1/claimants/", {"name": "Y", "slug": "y",
                                     "kind": "person"}, format="json").status_code == 403
    pk = response.json()["id"]
    assert writer.delete(f"/api/v1/claimants/{pk}/").status_code == 405


def test_appearances_feed_search_and_claimants(client_for, fact_checker, claim):
    writer = client_for(fact_checker)
    claimant = Claimant.objects.get(slug="government-of-niger")
    response = writer.post("/api/v1/appearances/", {
        "claim": claim.pk, "claimant": claimant.pk, "quote": "Wagner left in 2023",
        "said_on": "2024-01-02", "medium": "tv",
    }, format="json")
    assert response.status_code == 201, response.content
    claim.refresh_from_db()
    assert claimant in claim.claimants.all() and "Wagner left in 2023" in claim.search_text

    url = f"/api/v1/appearances/{response.json()['id']}/"
    too_long = writer.patch(url, {"quote": "x" * 501}, format="json",
                            HTTP_IF_MATCH=etag(writer, url))
    assert "quote" in too_long.json()["errors"]
    moved = writer.patch(url, {"claim": Claim.objects.exclude(pk=claim.pk).first().pk},
                         format="json", HTTP_IF_MATCH=etag(writer, url))
    assert "claim" in moved.json()["errors"]
    edited = writer.patch(url, {"quote": "Wagner stayed"}, format="json",
                          HTTP_IF_MATCH=etag(writer, url))
    assert edited.status_code == 200
    claim.refresh_from_db()
    assert "Wagner stayed" in claim.search_text and "left in 2023" not in claim.search_text
    assert writer.delete(url).status_code == 204
    assert not Appearance.objects.filter(quote="Wagner stayed").exists()


def test_responses(client_for, fact_checker, reviewer, claim):
    writer = client_for(fact_checker)
    claimant = Claimant.objects.first()
    response = writer.post("/api/v1/responses/", {
        "claim": claim.pk, "claimant": claimant.pk, "kind": "denies", "quote": "No.",
    }, format="json")
    assert response.status_code == 201
    assert Response.objects.filter(claim=claim, kind="denies").exists()
    listed = client_for(reviewer).get(f"/api/v1/responses/?claim={claim.pk}&kind=denies")
    assert [r["quote"] for r in listed.json()["results"]] == ["No."]


def test_evidence_attaches_sources_and_recomputes_status(client_for, fact_checker, seeded):
    claim = Claim.objects.filter(evidence__isnull=True).first()
    writer = client_for(fact_checker)
    response = writer.post("/api/v1/evidence/", {
        "claim": claim.pk, "url": "https://Example.org/report?utm_source=x#top",
        "stance": "supports", "summary": "Names the units",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source"]["canonical_url"] == "https://example.org/report"
    assert body["source"]["status"] == "pending"
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.PENDING_ARCHIVE

    source = Source.objects.get(canonical_url="https://example.org/report")
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(),
        final_url=source.url, http_status=200, payload_sha256="1" * 64, warc_path="a")
    source.latest_snapshot, source.status = snapshot, Source.Status.ARCHIVED
    source.save()
    url = f"/api/v1/evidence/{body['id']}/"
    edited = writer.patch(url, {"stance": "refutes"}, format="json",
                          HTTP_IF_MATCH=etag(writer, url))
    assert edited.status_code == 200
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.REFUTED
    assert writer.patch(url, {"url": "https://other.org/"}, format="json",
                        HTTP_IF_MATCH=etag(writer, url)).status_code == 400
    assert writer.delete(url).status_code == 204
    claim.refresh_from_db()
    assert claim.evidence_status == Claim.EvidenceStatus.NONE_OFFERED
    assert not Evidence.objects.filter(claim=claim).exists()


def test_sources_and_snapshots(client_for, fact_checker, reviewer, seeded):
    source = Source.objects.first()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), final_url=source.url,
        http_status=200, payload_sha256="2" * 64, warc_path="b")
    source.latest_snapshot = snapshot
    source.save()
    reader = client_for(reviewer)
    detail = reader.get(f"/api/v1/sources/{source.pk}/").json()
    assert detail["latest_snapshot"]["id"] == snapshot.pk and detail["snapshot_count"] == 1
    listed = reader.get(f"/api/v1/snapshots/?source={source.pk}").json()["results"]
    assert [s["id"] for s in listed] == [snapshot.pk]
    assert reader.get("/api/v1/sources/?status=pending").status_code == 200

    url = f"/api/v1/sources/{source.pk}/"
    assert reader.patch(url, {"title": "x"}, format="json",
                        HTTP_IF_MATCH=etag(reader, url)).status_code == 403
    assert reader.post(f"{url}archive/").status_code == 403
    writer = client_for(fact_checker)
    renamed = writer.patch(url, {"title": "Better title"}, format="json",
                           HTTP_IF_MATCH=etag(writer, url))
    assert renamed.status_code == 200 and renamed.json()["title"] == "Better title"
    assert writer.patch(url, {"status": "archived"}, format="json",
                        HTTP_IF_MATCH=etag(writer, url)).status_code == 400
    queued = writer.post(f"{url}archive/")
    assert queued.status_code == 202 and queued.json()["queued"] is True


def test_corrections_are_read_only(client_for, editor, seeded):
    client = client_for(editor)
    assert client.get("/api/v1/corrections/").json()["count"] == Correction.objects.count()
    assert client.post("/api/v1/corrections/", {"note": "x"}, format="json").status_code == 405


PUBLIC_LISTS = ["claims", "verdicts", "corrections"]
READ_LISTS = PUBLIC_LISTS + ["claimants", "appearances", "responses", "evidence", "sources",
                             "snapshots", "reviews"]


@pytest.mark.parametrize("role,expected", [
    ("fact_checker", 200), ("editor", 200), ("reviewer", 200), ("nobody", 403),
])
def test_every_role_reads_every_list(request, client_for, seeded, role, expected):
    client = client_for(request.getfixturevalue(role))
    for name in READ_LISTS:
        # Without a role, the lists readers may read answer as they answer readers.
        want = 200 if name in PUBLIC_LISTS else expected
        assert client.get(f"/api/v1/{name}/").status_code == want, name


@pytest.mark.parametrize("role,expected", [
    ("fact_checker", 201), ("editor", 201), ("reviewer", 403), ("nobody", 403),
])
def test_who_writes_content(request, client_for, claim, role, expected):
    client = client_for(request.getfixturevalue(role))
    claimant = Claimant.objects.first()
    responses = [
        client.post("/api/v1/claims/", {"text": f"By {role}"}, format="json"),
        client.post("/api/v1/claimants/", {"name": role, "slug": role, "kind": "person"},
                    format="json"),
        client.post("/api/v1/responses/", {"claim": claim.pk, "claimant": claimant.pk,
                                           "kind": "comments"}, format="json"),
    ]
    assert [r.status_code for r in responses] == [expected] * 3
