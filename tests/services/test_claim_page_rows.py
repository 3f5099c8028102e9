"""The claim page saves each inline row by its own service call (claims.services): rows
added, changed and deleted in one post each come out as the service makes them, and the
claim's history says what was done to them."""
import pytest
from django.contrib.admin.models import LogEntry

from claims import services
from claims.models import Claim, Claimant, ClaimRelation

from .desks import admin_client, admin_save, admin_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(fact_checker):
    return [
        services.create_claim(by=fact_checker, text=f"Claim {n} about the harbour.",
                              slug=f"harbour-{n}")
        for n in range(3)
    ]


@pytest.fixture
def ministry(fact_checker):
    return services.create_claimant(by=fact_checker, name="Ministry of Ports",
                                    slug="ministry-of-ports", kind=Claimant.Kind.GOVERNMENT)


def test_relations_are_added_changed_and_removed_from_the_claim_page(
    fact_checker, claims
):
    claim, second, third = claims
    services.add_relation(from_claim=claim, to_claim=second,
                          kind=ClaimRelation.Kind.RESTS_ON, by=fact_checker)
    admin_save(admin_client(fact_checker), admin_url(Claim, claim.pk),
               rows={"relations": {0: {"note": "Same harbour"}}},
               new_rows={"relations": [{"kind": "contradicts", "to_claim": third.pk}]})

    relations = {r.to_claim_id: r for r in ClaimRelation.objects.filter(from_claim=claim)}
    assert set(relations) == {second.pk, third.pk}
    assert relations[second.pk].note == "Same harbour"
    assert relations[third.pk].kind == ClaimRelation.Kind.CONTRADICTS
    assert relations[third.pk].created_by == fact_checker

    admin_save(admin_client(fact_checker), admin_url(Claim, claim.pk),
               deleted={"relations": [0, 1]})
    assert not ClaimRelation.objects.filter(from_claim=claim).exists()


def test_responses_are_added_changed_and_removed_from_the_claim_page(
    fact_checker, other_fact_checker, claims, ministry
):
    claim = claims[0]
    services.add_response(claim=claim, claimant=ministry, kind="denies", by=fact_checker)
    admin_save(admin_client(other_fact_checker), admin_url(Claim, claim.pk),
               rows={"responses": {0: {"kind": "disputes"}}},
               new_rows={"responses": [{"claimant": ministry.pk, "kind": "declines",
                                        "source_url": "https://example.org/statement"}]})

    kinds = dict(claim.responses.values_list("kind", "updated_by"))
    assert kinds == {"disputes": other_fact_checker.pk, "declines": other_fact_checker.pk}
    declined = claim.responses.get(kind="declines")
    assert declined.source.canonical_url == "https://example.org/statement"
    assert last_change_message(claim) == (
        "Added response “Ministry of Ports declines to comment”. "
        "Changed Kind for response “Ministry of Ports disputes”."
    )

    # Row 0 is the dispute: the page lists denials first, then by date and id.
    admin_save(admin_client(fact_checker), admin_url(Claim, claim.pk),
               deleted={"responses": [0]})
    assert list(claim.responses.values_list("kind", flat=True)) == ["declines"]
    assert last_change_message(claim) == (
        "Deleted response “Ministry of Ports disputes”.")


def last_change_message(claim):
    entry = LogEntry.objects.filter(object_id=str(claim.pk)).order_by("-pk").first()
    return entry.get_change_message()
