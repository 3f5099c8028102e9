"""Claimants and sources pages: a claimant's claims, a source's archive and "fetch again"."""
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claimant
from evidence.models import Evidence, Snapshot, Source
from tests.data import rows
from tests.data.desk import staff

SOURCES = reverse("admin:evidence_source_changelist")


def snapshot(source, **extra):
    return Snapshot.objects.create(
        source=source, fetch_id=uuid.uuid4(), fetched_at=timezone.now(), final_url=source.url,
        http_status=200, payload_sha256="a" * 64, warc_path="x.warc.gz", **extra
    )


def test_adding_a_source_goes_through_source_for_url(
    fc_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as archive_requests:
        response = fc_client.post(reverse("admin:evidence_source_add"), {
            "url": "https://Example.org/report/?utm_campaign=x", "title": "UN report",
            "publisher": "UN",
        })
    source = Source.objects.get()
    assert response.status_code == 302
    assert source.canonical_url == "https://example.org/report/"
    assert len(archive_requests) == 1


def test_a_page_already_archived_is_not_added_twice(fc_client):
    existing = Source.objects.create(url="https://example.org/report")
    response = fc_client.post(reverse("admin:evidence_source_add"),
                              {"url": "https://example.org/report?fbclid=z"})
    assert response.status_code == 200
    assert f"already in the archive as source #{existing.pk}" in response.content.decode()
    assert Source.objects.count() == 1


def test_fetch_again_queues_each_source(fc_client, django_capture_on_commit_callbacks):
    sources = [Source.objects.create(url=f"https://example.org/{i}",
                                     status=Source.Status.FAILED) for i in range(2)]
    with django_capture_on_commit_callbacks() as archive_requests:
        response = fc_client.post(SOURCES, {
            "action": "fetch_again", "_selected_action": [s.pk for s in sources],
        }, follow=True)
    assert len(archive_requests) == 2
    assert any("2 source(s) queued" in str(m) for m in response.context["messages"])


def test_a_reviewer_cannot_fetch_again(client, reviewer, django_capture_on_commit_callbacks):
    client.force_login(staff(reviewer))
    source = Source.objects.create(url="https://example.org/x")
    with django_capture_on_commit_callbacks() as archive_requests:
        client.post(SOURCES, {"action": "fetch_again", "_selected_action": [source.pk]})
    assert archive_requests == []


def test_the_source_page_shows_status_snapshots_and_citing_claims(fc_client):
    claim = rows.claim()
    source = Source.objects.create(url="https://example.org/r", status=Source.Status.ARCHIVED)
    latest = snapshot(source)
    Source.objects.filter(pk=source.pk).update(latest_snapshot=latest)
    Evidence.objects.create(claim=claim, source=source, stance="refutes")
    html = fc_client.get(reverse("admin:evidence_source_change", args=[source.pk])).content
    html = html.decode()
    assert "Archived" in html
    assert reverse("admin:evidence_snapshot_change", args=[latest.pk]) in html
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in html


@pytest.mark.parametrize("size", [10, 100])
def test_the_sources_list_costs_the_same_whatever_it_holds(
    size, fc_client, django_assert_max_num_queries
):
    for i in range(size):
        source = Source.objects.create(url=f"https://example.org/{i}")
        Source.objects.filter(pk=source.pk).update(latest_snapshot=snapshot(source))
    fc_client.get(SOURCES)
    with django_assert_max_num_queries(8):
        assert fc_client.get(SOURCES + "?all=").status_code == 200


def test_the_claimant_page_lists_its_claims_and_organisation(fc_client):
    ministry = rows.claimant("Ministry of Defence of Ukraine")
    yusov = Claimant.objects.create(name="Andriy Yusov", slug="yusov", kind="person",
                                    organisation=ministry)
    claim = rows.claim("The rebels received the necessary information")
    claim.claimants.add(yusov)
    html = fc_client.get(reverse("admin:claims_claimant_change", args=[yusov.pk])).content
    html = html.decode()
    assert "The rebels received the necessary information" in html
    assert reverse("admin:claims_claim_change", args=[claim.pk]) in html
    assert reverse("admin:claims_claim_changelist") + f"?claimant={yusov.pk}" in html
    assert "Ministry of Defence of Ukraine" in html
    ministry_page = fc_client.get(
        reverse("admin:claims_claimant_change", args=[ministry.pk])
    ).content.decode()
    assert reverse("admin:claims_claimant_change", args=[yusov.pk]) in ministry_page


def test_autocomplete_finds_claimants_sources_and_claims(fc_client):
    rows.claimant("Government of Mali")
    Source.objects.create(url="https://example.org/mali-letter", title="The letter")
    rows.claim("Mali cut ties with Ukraine")
    url = reverse("admin:autocomplete")
    for model, field, term in [("appearance", "claimant", "Mali"),
                               ("appearance", "source", "letter"),
                               ("claimrelation", "to_claim", "Mali")]:
        response = fc_client.get(url, {"app_label": "claims", "model_name": model,
                                       "field_name": field, "term": term})
        assert response.status_code == 200, (model, field)
        assert len(response.json()["results"]) == 1, (model, field)


def test_a_sources_history_shows_the_desks_edits_and_reverts_them(fc_client, fact_checker):
    from tests.services.desks import admin_save

    source = Source.objects.create(url="https://example.org/report", title="UN report")
    change = reverse("admin:evidence_source_change", args=[source.pk])
    admin_save(fc_client, change, fields={"title": "UN report, final", "publisher": "UN"})

    history = fc_client.get(reverse("admin:evidence_source_history", args=[source.pk]))
    assert history.status_code == 200
    first, edit = source.history.order_by("history_id")
    assert (edit.title, edit.publisher, edit.history_user) == (
        "UN report, final", "UN", fact_checker)
    assert "UN report, final" in history.content.decode()

    # Reverting brings the title back through the admin's save (update_source).
    revert = reverse("admin:evidence_source_simple_history", args=[source.pk, first.history_id])
    admin_save(fc_client, revert)
    source.refresh_from_db()
    assert (source.title, source.publisher) == ("UN report", "")
    assert source.canonical_url == "https://example.org/report"
    assert source.history.count() == 3
