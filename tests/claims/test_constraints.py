"""Rules the database itself holds, whatever code (or a bulk update) writes the rows."""
import pytest
from django.db import IntegrityError, transaction

from claims.models import Appearance, Claim, Claimant, ClaimRelation, Rating, Verdict
from evidence.models import Evidence, Source


@pytest.fixture
def claim(db):
    return Claim.objects.create(text="The moon is made of cheese", slug="moon-cheese")


@pytest.fixture
def claimant(db):
    return Claimant.objects.create(name="A. Person", slug="a-person", kind="person")


def refused(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_one_source_per_canonical_url(db):
    Source.objects.create(url="https://Example.com:443/page?utm_source=x&b=2&a=1#top")
    refused(lambda: Source.objects.create(url="HTTPS://example.com/page?a=1&b=2"))
    assert Source.objects.get().canonical_url == "https://example.com/page?a=1&b=2"


def test_source_uniqueness_holds_even_for_bulk_writes(db):
    Source.objects.create(url="https://example.com/a")
    refused(lambda: Source.objects.bulk_create(
        [Source(url="https://example.com/a", canonical_url="https://example.com/a")]
    ))


def test_state_and_evidence_status_are_checked(claim):
    refused(lambda: Claim.objects.filter(pk=claim.pk).update(state="approved-by-magic"))
    refused(lambda: Claim.objects.filter(pk=claim.pk).update(evidence_status="vibes"))
    refused(lambda: Claim.objects.filter(pk=claim.pk).update(priority=9))


def test_at_most_one_current_verdict_per_claim(claim):
    Verdict.objects.create(claim=claim)
    refused(lambda: Verdict.objects.create(claim=claim))
    Verdict.objects.create(claim=claim, is_current=False)  # old versions may stay
    assert claim.verdicts.count() == 2


def test_verdict_approver_is_never_its_author(claim, fact_checker):
    refused(lambda: Verdict.objects.create(claim=claim, author=fact_checker,
                                           approver=fact_checker))


def test_published_verdict_needs_rating_and_summary(claim):
    from django.utils import timezone

    refused(lambda: Verdict.objects.create(claim=claim, published_at=timezone.now()))
    rating = Rating.objects.create(name="False", slug="false", value=1)
    Verdict.objects.create(claim=claim, rating=rating, summary="No.", published_at=timezone.now())


def test_quotes_are_at_most_500_characters(claim, claimant):
    Appearance.objects.create(claim=claim, claimant=claimant, quote="x" * 500)
    refused(lambda: Appearance.objects.create(claim=claim, claimant=claimant, quote="x" * 501))


def test_a_claim_cannot_relate_to_itself_or_twice(claim):
    other = Claim.objects.create(text="Other", slug="other")
    refused(lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=claim,
                                                 kind="rests_on"))
    ClaimRelation.objects.create(from_claim=claim, to_claim=other, kind="rests_on")
    refused(lambda: ClaimRelation.objects.create(from_claim=claim, to_claim=other,
                                                 kind="rests_on"))


def test_evidence_stance_checked_and_one_per_source(claim):
    source = Source.objects.create(url="https://example.com/report")
    Evidence.objects.create(claim=claim, source=source, stance="supports")
    refused(lambda: Evidence.objects.create(claim=claim, source=source, stance="refutes"))
    refused(lambda: Evidence.objects.filter(claim=claim).update(stance="maybe"))


def test_source_status_checked(db):
    source = Source.objects.create(url="https://example.com/")
    refused(lambda: Source.objects.filter(pk=source.pk).update(status="lost"))


def test_changes_are_kept_in_the_audit_history(claim, fact_checker):
    claim.text = "The moon is made of green cheese"
    claim.save()
    assert [h.text for h in claim.history.order_by("history_date")] == [
        "The moon is made of cheese", "The moon is made of green cheese",
    ]
