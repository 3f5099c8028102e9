"""Migration claims 0010 turns every verdict published before publications existed into its
claim's first publication: readers are shown the same pages, the same ClaimReview JSON-LD
(byte for byte), the same feed, sitemap and listing as before, read off the old code's
output (tests/claims/golden/legacy_reader_output.json, captured from tests/claims/
legacy_rows.py at the commit before publications).

Three differences are deliberate, and asserted as such: readers no longer see that a claim
is "under review" (a reopened claim shows its last publication and nothing of the desk's
state), readers' search no longer matches words recorded after the last publication
(the old code's search text included a reopened claim's new appearance: a leak), and
"Our archived copy" leads to the public copy (/archive/<pk>/), where the old address, a
desk-only page, now redirects.
"""
import json
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from claims.models import Claim, Correction, Publication, PublicationSource, Verdict
from evidence.models import Snapshot
from tests.claims import legacy_rows, reader_output

pytestmark = pytest.mark.django_db(transaction=True)

GOLDEN = json.loads(
    (Path(__file__).parent / "golden" / "legacy_reader_output.json").read_text())
BEFORE = [("claims", "0008_history_of_reviews"), ("evidence", "0002_history_of_sources")]
UNDER_REVIEW = (
    "Under review. We are checking this claim again. The verdict below is the one we "
    "published on 4 March 2025; any change to it will be recorded in the corrections below. "
)


@pytest.fixture
def migrated():
    """The legacy rows written at the migration state before publications, then the
    database migrated to the latest state; yields an anonymous client."""
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    executor.loader.build_graph()
    legacy_rows.build(executor.loader.project_state(BEFORE).apps.get_model)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    cache.clear()  # the API's anonymous throttle counts
    yield Client()


def moved_capture(client, link):
    """Where `link` leads now: the old desk-only archived copy redirects to the public one."""
    if not link.startswith("/archive/snapshots/"):
        return link
    response = client.get(link)
    assert response.status_code == 301, link
    return response["Location"]


def test_pages_json_ld_and_claimreview_api_are_what_readers_were_shown_before(migrated):
    """(The migration runs once per test, some seconds: what it must keep is checked in
    two tests, not one per page.)"""
    for slug, before in GOLDEN["pages"].items():
        now = reader_output.detail(migrated, slug)
        if before["status"] != 200:
            assert now == before, slug
            continue
        assert now["ld_json"] == before["ld_json"], slug  # byte for byte
        assert now["head"] == before["head"], slug
        assert now["article_links"] == [moved_capture(migrated, link)
                                        for link in before["article_links"]], slug
        expected = before["article_text"]
        if slug == legacy_rows.REOPENED:
            assert expected.startswith(UNDER_REVIEW)
            expected = expected.removeprefix(UNDER_REVIEW)
        assert now["article_text"] == expected, slug
    for url, before in GOLDEN["api"].items():
        if "claimreview" not in url:
            continue
        now = reader_output.api(migrated, url)
        assert now["status"] == before["status"], url
        if before["status"] == 200:
            assert now["json"] == before["json"], url
            assert now["body"] == before["body"], url


def test_listing_feed_sitemap_searches_and_records_after_the_migration(migrated):
    listing = reader_output.listing(migrated)
    before = GOLDEN["listing"]
    # The same options; ratings now in the scale's order (the old query's order was
    # whatever PostgreSQL's grouping gave: Meta.ordering does not apply to a GROUP BY).
    assert listing["facets"]["claimant"] == before["facets"]["claimant"]
    assert listing["facets"]["tag"] == before["facets"]["tag"]
    assert sorted(listing["facets"]["rating"]) == sorted(before["facets"]["rating"])
    assert [slug for slug, _ in listing["facets"]["rating"]] == [
        "", "true", "mostly-true", "misleading", "false"]
    assert listing["result_count"] == before["result_count"]
    assert listing["article_links"] == before["article_links"]
    assert listing["articles"] == [a.removesuffix(" · under review") for a in before["articles"]]
    assert reader_output.feed(migrated) == GOLDEN["feed"]
    assert reader_output.sitemap(migrated) == GOLDEN["sitemap"]
    # Searches find what they found, except work recorded after a publication.
    for query, before in GOLDEN["listing_searches"].items():
        found = reader_output.listing(migrated, query)["articles"]
        expected = [a.removesuffix(" · under review") for a in before]
        if query == "q=WIP":
            # The old search text held the quote of an appearance recorded after the
            # reopened claim's publication; publications never do.
            assert expected and found == [], found
            continue
        assert found == expected, query
    # Each published verdict is recorded as its claim's first publication.
    published = Claim.objects.get(slug=legacy_rows.PUBLISHED)
    reopened = Claim.objects.get(slug=legacy_rows.REOPENED)
    unpublished = Claim.objects.get(slug=legacy_rows.UNPUBLISHED)
    assert published.current_publication.number == 1
    assert published.current_publication.kind == Publication.Kind.FIRST
    assert reopened.current_publication.content["headline"] != reopened.verdicts.get().headline
    assert unpublished.current_publication is None
    assert Publication.objects.count() == 2
    # The correction readers saw is attached to the publication; the one drafted while the
    # claim was reopened is not public, and its note waits in the revision's draft.
    shown = Correction.objects.published()
    assert {c.verdict.claim_id for c in shown} == {published.pk}
    drafted = Correction.objects.filter(publication__isnull=True).get()
    assert reopened.verdicts.get().correction_note == drafted.note
    assert reopened.verdicts.get().status == Verdict.Status.DRAFT
    # Migration 0014 reads which sources each publication cites, and in which capture,
    # from its content: that capture is public now, the source cited without one is
    # recorded as waiting for it, a source cited only since is not.
    cited = dict(PublicationSource.objects.filter(publication=published.current_publication)
                 .values_list("source_id", "snapshot_id"))
    assert cited[9001] == 9001
    assert set(Snapshot.objects.public().values_list("pk", flat=True)) >= {9001}
    assert not PublicationSource.objects.filter(source_id=9004).exists()
    page = migrated.get("/archive/9001/")  # its files were never written: still a page
    assert page.status_code == 200
    assert "cannot be read from our archive" in page.content.decode()
    # ...and the database refuses to change a publication.
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.filter(pk=published.current_publication_id).update(note="x")
