from django.core.management import call_command

from claims.models import (
    Appearance,
    Claim,
    Claimant,
    ClaimRelation,
    Rating,
    Response,
    Verdict,
)
from evidence.models import Evidence, Source

SEEDED_MODELS = [Claim, Claimant, Appearance, Response, ClaimRelation, Rating, Verdict,
                 Evidence, Source]


def counts():
    return {m.__name__: m.objects.count() for m in SEEDED_MODELS}


def test_load_seeds_twice_leaves_the_same_rows(db):
    call_command("load_seeds")
    first = counts()
    call_command("load_seeds")
    assert counts() == first
    assert first["Claim"] == 6


def test_seeds_keep_what_the_desk_edited(db):
    call_command("load_seeds")
    claim = Claim.objects.get(slug="wagner-active-in-mali-since-2021")
    claim.text = "Edited by the desk"
    claim.save()
    call_command("load_seeds")
    claim.refresh_from_db()
    assert claim.text == "Edited by the desk"


def test_seed_case_content(seeded):
    claim1 = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")
    assert set(claim1.claimants.values_list("slug", flat=True)) == {
        "alliance-of-sahel-states", "government-of-burkina-faso", "government-of-mali",
        "government-of-niger",
    }
    assert claim1.evidence_status == Claim.EvidenceStatus.NONE_OFFERED
    denial = claim1.responses.get(kind=Response.Kind.DENIES)
    assert denial.claimant.slug == "ministry-of-foreign-affairs-of-ukraine"
    assert "short-sighted" in denial.quote
    letter = claim1.appearances.get(medium=Appearance.Medium.LETTER)
    assert letter.said_on is not None and "Security Council" in letter.venue

    claim2 = Claim.objects.get(slug="yusov-rebels-received-necessary-information")
    assert ClaimRelation.objects.filter(
        from_claim=claim1, to_claim=claim2, kind=ClaimRelation.Kind.RESTS_ON
    ).exists()
    yusov = claim2.appearances.get().claimant
    assert yusov.name == "Andriy Yusov"
    assert yusov.organisation.slug == "defence-intelligence-of-ukraine"

    verdict = Verdict.objects.get(claim=claim1)
    assert verdict.published_at is None and verdict.status == Verdict.Status.DRAFT
    assert verdict.rating.slug == "unsupported"

    article = Source.objects.get()
    assert article.publisher == "Euromaidan Press" and "letter to UN" in article.title

    for slug in ["alliance-of-sahel-states", "government-of-burkina-faso",
                 "government-of-mali", "government-of-niger", "andriy-yusov",
                 "defence-intelligence-of-ukraine", "ministry-of-foreign-affairs-of-ukraine",
                 "tuareg-rebels-northern-mali", "us-department-of-state", "matthew-miller",
                 "euromaidan-press"]:
        assert Claimant.objects.filter(slug=slug).exists(), slug
    assert Claimant.objects.get(slug="matthew-miller").organisation.slug == (
        "us-department-of-state"
    )


def test_seed_quotes_respect_the_outlets_500_character_limit(seeded):
    quotes = list(Appearance.objects.values_list("quote", flat=True)) + list(
        Response.objects.values_list("quote", flat=True)
    )
    assert quotes and all(len(q) <= 500 for q in quotes)


def test_rating_scale_has_numeric_values_for_claimreview(seeded):
    assert Rating.scale_bounds() == (1, 7)
    assert list(Rating.objects.values_list("name", flat=True)) == [
        "True", "Mostly true", "Mixed", "Misleading", "Mostly false", "Unsupported", "False",
    ]
