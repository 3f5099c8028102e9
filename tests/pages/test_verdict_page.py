"""The public verdict page: what it shows, and what it never shows."""
import pytest
from django.urls import reverse

from claims import services, workflow
from claims.models import Claim, Rating
from tests.data.desk import SEED_CLAIM, draft, make_claim, publish

pytestmark = pytest.mark.django_db


def test_seed_claim_page_shows_the_whole_fact_check(client, published_seed_claim, editor):
    response = client.get(f"/checks/{SEED_CLAIM}/")
    assert response.status_code == 200
    html = response.content.decode()
    claim = published_seed_claim
    assert claim.get_absolute_url() == f"/checks/{SEED_CLAIM}/"
    assert "Ukraine supports terrorism in Africa" in html
    # Who said it, where and when, with the quotes.
    assert "Alliance of Sahel States" in html and "Government of Mali" in html
    assert "UN Security Council" in html and "20 August 2024" in html
    assert "“take responsibility”" in html
    # The denial.
    assert "Denies" in html and "Ministry of Foreign Affairs of Ukraine" in html
    assert "short-sighted" in html
    # The rating, in words as well as colour.
    assert 'class="rating-badge"' in html and ">Unsupported</span>" in html
    assert "2 on our scale from 1 (false) to 7 (true)" in html
    # Summary, Markdown analysis rendered, evidence status, dates, people.
    assert "offers no evidence that Ukraine supports terrorism" in html
    assert "<strong>Andriy Yusov</strong>" in html and "<h3>What was claimed</h3>" in html
    assert "No evidence offered" in html
    assert "Fact-checked by</dt><dd>Seed Desk" in html
    assert f"Approved by</dt><dd>{editor.username}, editor" in html
    assert "No corrections to this fact check" in html
    # Sources link to the live page and say when we archived them.
    assert "https://euromaidanpress.com/2024/08/20/african-juntas" in html
    assert "Not archived yet." in html
    # Accessibility landmarks.
    assert 'href="#main"' in html and '<main id="main"' in html and "<nav" in html


@pytest.mark.parametrize("url", [f"/checks/{SEED_CLAIM}/", "/checks/", "/methodology/"])
def test_headings_are_in_order(client, published_seed_claim, url):
    import re

    html = client.get(url).content.decode()
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", html)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels


def contrast(foreground, background):
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_rating_badges_meet_wcag_aa_contrast(seeded):
    from claims.templatetags.checks import text_colour

    for colour in list(Rating.objects.values_list("colour", flat=True)) + [
        "#ffff00", "#000080", "#777777", "#00ff00",
    ]:
        assert contrast(text_colour(colour), colour) >= 4.5, colour


def test_archived_snapshot_is_shown(client, published_seed_claim):
    from datetime import UTC, datetime

    from evidence.models import Snapshot, Source

    source = Source.objects.get()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id="00000000-0000-0000-0000-000000000001",
        fetched_at=datetime(2024, 8, 21, 9, 30, tzinfo=UTC),
        final_url=source.url, http_status=200, payload_sha256="0" * 64, warc_path="a.warc.gz",
    )
    source.latest_snapshot = snapshot
    source.status = Source.Status.ARCHIVED
    source.save()
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    # The archive views (evidence/urls.py) are mounted, so the capture is a link.
    assert f'href="/archive/{snapshot.pk}/">Our archived copy</a>' in html
    assert "21 August 2024" in html


def test_links_to_the_archived_copy_when_the_archive_is_served(client, published_seed_claim):
    from datetime import UTC, datetime

    from evidence.models import Snapshot, Source

    source = Source.objects.get()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id="00000000-0000-0000-0000-000000000002",
        fetched_at=datetime(2024, 8, 21, 9, 30, tzinfo=UTC), final_url=source.url,
        http_status=200, payload_sha256="0" * 64, warc_path="a.warc.gz",
    )
    Source.objects.filter(pk=source.pk).update(latest_snapshot=snapshot)
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    assert f'href="/archive/{snapshot.pk}/">Our archived copy</a>' in html


@pytest.mark.parametrize("slug", ["no-such-claim", "yusov-rebels-received-necessary-information"])
def test_unknown_and_unpublished_claims_answer_404(client, published_seed_claim, slug):
    assert client.get(f"/checks/{slug}/").status_code == 404


def test_draft_verdict_in_review_is_not_public(client, seeded, fact_checker):
    claim = Claim.objects.get(slug=SEED_CLAIM)
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    assert client.get(f"/checks/{SEED_CLAIM}/").status_code == 404


def test_reopened_claim_keeps_its_last_published_verdict(
    client, published_seed_claim, fact_checker, editor
):
    claim = published_seed_claim
    workflow.transition_claim(claim=claim, to_state=Claim.State.RESEARCHING, by=fact_checker)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline="WIP HEADLINE", summary="WIP SUMMARY", analysis="WIP ANALYSIS",
        correction_note="WIP CORRECTION",
    )
    html = client.get(claim.get_absolute_url()).content.decode()
    # Readers see the publication, and nothing of the desk's state.
    assert "Under review." not in html
    assert ">Unsupported</span>" in html
    for unpublished in ("WIP HEADLINE", "WIP SUMMARY", "WIP ANALYSIS", "WIP CORRECTION"):
        assert unpublished not in html
    # Once an editor publishes again, the new verdict and its correction are public.
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=editor)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert "Under review." not in html
    assert "WIP SUMMARY" in html and "WIP CORRECTION" in html
    assert "rating changed from “Unsupported” to “False”" in html and ">False</span>" in html
    assert "Updated</dt>" in html and "Corrected on" in html


def test_reopened_claim_lists_and_feeds_its_last_published_verdict(
    client, published_seed_claim, fact_checker
):
    claim = published_seed_claim
    workflow.transition_claim(claim=claim, to_state=Claim.State.RESEARCHING, by=fact_checker)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline="WIP HEADLINE", summary="WIP SUMMARY", correction_note="WIP CORRECTION",
    )
    listing = client.get("/checks/").content.decode()
    assert "under review" not in listing and ">Unsupported</span>" in listing
    feed = client.get("/feeds/checks.atom").content.decode()
    assert "Unsupported: " in feed
    for page in (listing, feed):
        assert "WIP" not in page


def test_related_claims_name_only_published_ones(
    client, published_seed_claim, make_published, fact_checker, editor
):
    from claims.models import ClaimRelation

    # Claim 1 rests on Yusov's remark, which is not published: it must not be named.
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    assert "Related fact checks" not in html
    assert "Tuareg rebels in Mali the information" not in html

    yusov = Claim.objects.get(slug="yusov-rebels-received-necessary-information")
    workflow.transition_claim(claim=yusov, to_state=Claim.State.RESEARCHING, by=fact_checker)
    draft(yusov, fact_checker=fact_checker, rating="mixed")
    workflow.transition_claim(claim=yusov, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=yusov, to_state=Claim.State.PUBLISHED, by=editor)
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    assert "This claim rests on" in html
    assert f'href="{yusov.get_absolute_url()}"' in html

    # A relation recorded by another claim's desk shows on that claim's page once its
    # revision is published, and on this one once this one is published again.
    other = make_published("contradicting-claim")
    services.add_relation(from_claim=other, to_claim=published_seed_claim,
                          kind=ClaimRelation.Kind.CONTRADICTS, by=fact_checker)
    assert "This claim contradicts" not in client.get(other.get_absolute_url()).content.decode()
    publish(other, fact_checker=fact_checker, editor=editor)
    html = client.get(other.get_absolute_url()).content.decode()
    assert "This claim contradicts" in html and published_seed_claim.get_absolute_url() in html
    services.add_appearance(claim=published_seed_claim, by=fact_checker,
                            claimant=published_seed_claim.claimants.first(), quote="More")
    publish(published_seed_claim, fact_checker=fact_checker, editor=editor)
    html = client.get(f"/checks/{SEED_CLAIM}/").content.decode()
    assert "This claim is contradicted by" in html and other.get_absolute_url() in html


def test_internal_fields_never_appear(client, published_seed_claim, fact_checker, reviewer):
    claim = published_seed_claim
    fact_checker.first_name, fact_checker.last_name = "Assigned", "Person"
    fact_checker.save()
    workflow.assign_claim(claim=claim, assignee=fact_checker, by=fact_checker)
    Claim.objects.filter(pk=claim.pk).update(internal_note="SECRET INTERNAL NOTE")
    workflow.add_review(verdict=claim.verdicts.get(), by=reviewer, kind="comment",
                        body="SECRET REVIEW COMMENT")
    html = client.get(claim.get_absolute_url()).content.decode()
    for secret in ("SECRET INTERNAL NOTE", "SECRET REVIEW COMMENT", "Assigned Person",
                   fact_checker.username, reviewer.username):
        assert secret not in html


def test_methodology_page_is_generated_from_the_rating_table(client, seeded):
    Rating.objects.create(name="Satire", slug="satire", value=0, colour="#333333",
                          description="A joke taken for fact.", is_active=True)
    Rating.objects.filter(slug="mixed").update(is_active=False)
    response = client.get(reverse("methodology"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Satire" in html and "A joke taken for fact." in html
    assert 'id="rating-mixed"' not in html
    assert html.index('id="rating-true"') < html.index('id="rating-false"')
    assert 'id="corrections"' in html and "Corrections policy" in html


def test_claim_on_draft_is_not_public_even_with_verdict_object(client, seeded, fact_checker):
    claim = make_claim("drafted-only", fact_checker=fact_checker)
    draft(claim, fact_checker=fact_checker)
    assert client.get(claim.get_absolute_url()).status_code == 404
