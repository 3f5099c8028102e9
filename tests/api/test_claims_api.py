"""The claim resource for the desk: its detail in one request, filters, ranked search,
ordering, cursor pages that hold still while claims are added, and edits."""
import pytest

from claims import workflow
from claims.models import Claim, ClaimRelation, Tag
from evidence import services as evidence_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client_for, fact_checker, seeded):
    return client_for(fact_checker)


def ids(response):
    assert response.status_code == 200, response.content
    return [c["id"] for c in response.json()["results"]]


def test_detail_embeds_what_a_reviewer_needs(staff, seeded):
    claim = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")
    body = staff.get(f"/api/v1/claims/{claim.pk}/").json()
    assert {c["slug"] for c in body["claimants"]} == set(
        claim.claimants.values_list("slug", flat=True))
    assert any(a["medium"] == "letter" for a in body["appearances"])
    assert body["responses"][0]["kind"] == "denies"
    assert body["relations"][0]["kind"] == "rests_on"
    assert body["verdict"]["rating"]["slug"] == "unsupported"
    assert body["allowed_moves"] == ["in_review"]
    assert "internal_note" in body and "assignee" in body
    claim2 = Claim.objects.get(slug="yusov-rebels-received-necessary-information")
    incoming = staff.get(f"/api/v1/claims/{claim2.pk}/").json()["related_from"]
    assert incoming[0]["from_claim"]["id"] == claim.pk


def test_evidence_comes_with_archive_status(staff, seeded):
    claim = Claim.objects.filter(evidence__isnull=False).first()
    item = staff.get(f"/api/v1/claims/{claim.pk}/").json()["evidence"][0]
    assert item["source"]["status"] == "pending"
    assert item["changed_since_read"] is False
    assert {"stance", "summary", "snapshot"} <= set(item)


def test_filters(staff, seeded, fact_checker):
    every = set(Claim.objects.values_list("pk", flat=True))
    assert set(ids(staff.get("/api/v1/claims/?state=new"))) == set(
        Claim.objects.filter(state="new").values_list("pk", flat=True))
    assert set(ids(staff.get("/api/v1/claims/?state=new&state=triaged"))) == set(
        Claim.objects.filter(state__in=["new", "triaged"]).values_list("pk", flat=True))
    mali = set(Claim.objects.filter(claimants__slug="government-of-mali").values_list(
        "pk", flat=True))
    assert set(ids(staff.get("/api/v1/claims/?claimant=government-of-mali"))) == mali
    tag = Tag.objects.first()
    assert set(ids(staff.get(f"/api/v1/claims/?tag={tag.slug}"))) == set(
        tag.claims.values_list("pk", flat=True))
    assert ids(staff.get("/api/v1/claims/?rating=unsupported")) == [
        Claim.objects.get(slug="ukraine-supports-terrorism-in-africa").pk]
    assert set(ids(staff.get("/api/v1/claims/?language=en"))) == every
    assert ids(staff.get("/api/v1/claims/?language=fr")) == []
    evidenced = set(Claim.objects.exclude(evidence_status="none_offered").values_list(
        "pk", flat=True))
    assert evidenced and set(ids(staff.get(
        "/api/v1/claims/?evidence_status=pending_archive"))) == evidenced

    claim = Claim.objects.get(slug="wagner-active-in-mali-since-2021")
    workflow.assign_claim(claim=claim, assignee=fact_checker, by=fact_checker)
    assert ids(staff.get(f"/api/v1/claims/?assignee={fact_checker.pk}")) == [claim.pk]
    assert claim.pk not in ids(staff.get("/api/v1/claims/?unassigned=true"))
    since = claim.updated_at.isoformat().replace("+00:00", "Z")
    assert ids(staff.get(f"/api/v1/claims/?updated_since={since}")) == [claim.pk]


def test_search_is_ranked_full_text(staff, seeded):
    results = staff.get("/api/v1/claims/?q=Yusov").json()["results"]
    found = [c["slug"] for c in results]
    assert "yusov-rebels-received-necessary-information" in found
    assert "wagner-active-in-mali-since-2021" not in found
    # The claim that names Yusov in its own words ranks above one that only quotes him.
    assert found[0] == "yusov-rebels-received-necessary-information"
    assert ids(staff.get('/api/v1/claims/?q="no such words here"')) == []
    assert ids(staff.get("/api/v1/claims/?q=wagner -mali")) == [
        c.pk for c in Claim.objects.filter(search_text__icontains="wagner").exclude(
            search_text__icontains="mali")]


def test_search_uses_the_gin_index(seeded):
    from django.db import connection

    from claims.search import search_claims

    sql, params = search_claims(Claim.objects.all(), "wagner").query.sql_with_params()
    assert "to_tsvector('simple'::regconfig, \"claims_claim\".\"search_text\")" in sql
    assert "COALESCE" not in sql
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "claim_search_fts" in plan


def test_ordering(staff, seeded):
    claims = staff.get("/api/v1/claims/?ordering=-priority").json()["results"]
    priorities = [c["priority"] for c in claims]
    assert priorities == sorted(priorities, reverse=True)


def test_cursor_pages_are_stable_under_inserts(staff, fact_checker, seeded):
    first = staff.get("/api/v1/claims/?page_size=2").json()
    seen = [c["id"] for c in first["results"]]
    # New claims arrive at the top while the reader pages on.
    for n in range(3):
        Claim.objects.create(text=f"Fresh claim {n}", slug=f"fresh-{n}")
    url = first["next"]
    while url:
        page = staff.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    original = Claim.objects.exclude(slug__startswith="fresh-")
    assert len(seen) == len(set(seen)) == original.count()
    assert set(seen) == set(original.values_list("pk", flat=True))


def test_create_claim_makes_a_slug_and_indexes_search(staff, seeded):
    response = staff.post("/api/v1/claims/", {
        "text": "Niger expelled the French ambassador", "tags": ["sahel"],
        "claimants": [seeded_claimant_pk()], "priority": 3,
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "niger-expelled-the-french-ambassador"
    assert body["state"] == "new" and body["tags"] == ["sahel"] and response["ETag"]
    assert "ambassador" in Claim.objects.get(pk=body["id"]).search_text
    again = staff.post("/api/v1/claims/", {"text": "Niger expelled the French ambassador"},
                       format="json")
    assert again.json()["slug"] == "niger-expelled-the-french-ambassador-2"


def seeded_claimant_pk():
    from claims.models import Claimant

    return Claimant.objects.get(slug="government-of-niger").pk


def test_reviewers_read_but_do_not_write_claims(client_for, reviewer, seeded):
    client = client_for(reviewer)
    assert client.get("/api/v1/claims/").status_code == 200
    assert client.post("/api/v1/claims/", {"text": "x"}, format="json").status_code == 403


def test_only_editors_delete_claims(client_for, fact_checker, editor, seeded):
    claim = Claim.objects.get(slug="wagner-active-in-mali-since-2021")
    assert client_for(fact_checker).delete(f"/api/v1/claims/{claim.pk}/").status_code == 403
    assert client_for(editor).delete(f"/api/v1/claims/{claim.pk}/").status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_relation_and_evidence_status_reach_the_detail(staff, seeded, fact_checker):
    claim = Claim.objects.get(slug="wagner-active-in-mali-since-2021")
    other = Claim.objects.exclude(pk=claim.pk).first()
    ClaimRelation.objects.create(from_claim=claim, to_claim=other, kind="contradicts")
    evidence_services.attach_evidence(claim=claim, url="https://example.org/report",
                                      stance="refutes", by=fact_checker)
    body = staff.get(f"/api/v1/claims/{claim.pk}/").json()
    assert body["relations"][0]["to_claim"]["id"] == other.pk
    assert body["evidence_status"] == "pending_archive"
