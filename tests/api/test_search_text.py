"""Search text stays under what PostgreSQL can index: the GIN index on
to_tsvector('simple', search_text) refuses more than 1 MiB of distinct words, and used to
make every claim crediting a claimant with ~930 KB of aliases impossible to save (500)."""
import pytest
from django.db import connection

from claims import services
from claims.models import Claim, Claimant

pytestmark = pytest.mark.django_db

TSVECTOR_MAX_BYTES = 1024 * 1024 - 1  # PostgreSQL's MAXSTRPOS


def distinct_words(n):
    """`n` distinct lowercase words."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    out = []
    for i in range(n):
        word = ""
        while True:
            word = letters[i % 26] + word
            i //= 26
            if not i:
                break
        out.append(word + "q")
    return out


def hyphenated_aliases(n):
    """`n` distinct hyphenated names ("Jean-Pierre"): indexed whole and in parts, so their
    words outweigh their text."""
    words = distinct_words(n + 1)
    return [f"{a}-{b}" for a, b in zip(words, words[1:], strict=False)]


def worst_case_text(target_bytes):
    """Text whose distinct words outweigh it the most (URLs with hyphenated paths are
    indexed whole, as host and as path, and their parts), about `target_bytes` long."""
    words, out, size = distinct_words(200_000), [], 0
    for word in words:
        token = f"{word}.io/{word}-x{word}"
        out.append(token)
        size += len(token) + 1
        if size >= target_bytes:
            break
    return " ".join(out)


def indexed_word_bytes(text):
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(sum(octet_length(lexeme)), 0) "
                       "FROM unnest(to_tsvector('simple', %s))", [text])
        return cursor.fetchone()[0]


@pytest.fixture
def claim(seeded):
    return Claim.objects.get(slug="wagner-active-in-mali-since-2021")


def test_a_claimant_with_930_kb_of_aliases_leaves_their_claims_saveable(
        claim, client_for, fact_checker):
    # As the admin could store them: the model itself does not bound aliases.
    aliases = hyphenated_aliases(81_000)
    assert 900_000 < len(" ".join(aliases).encode()) < 1_000_000
    hoarder = Claimant.objects.create(name="Hoarder", slug="hoarder", kind="person",
                                      aliases=aliases)
    claim.claimants.add(hoarder)
    text = services.refresh_search_text(claim)
    assert len(text.encode()) <= services.SEARCH_TEXT_MAX_BYTES
    assert text.startswith(claim.text) and "Hoarder" in text

    writer = client_for(fact_checker)
    url = f"/api/v1/claims/{claim.pk}/"
    response = writer.patch(url, {"priority": 4}, format="json",
                            HTTP_IF_MATCH=writer.get(url)["ETag"])
    assert response.status_code == 200, response.content[:300]
    ids = [c["id"] for c in writer.get("/api/v1/claims/", {"q": "Hoarder"}).json()["results"]]
    assert ids == [claim.pk]


def test_renaming_the_hoarder_through_the_api_works(claim, client_for, fact_checker):
    hoarder = Claimant.objects.create(name="Hoarder", slug="hoarder", kind="person",
                                      aliases=hyphenated_aliases(81_000))
    claim.claimants.add(hoarder)
    writer = client_for(fact_checker)
    url = f"/api/v1/claimants/{hoarder.pk}/"
    response = writer.patch(url, {"name": "Hoarder Renamed"}, format="json",
                            HTTP_IF_MATCH=writer.get(url)["ETag"])
    assert response.status_code == 200, response.content[:300]
    assert "Hoarder Renamed" in Claim.objects.get(pk=claim.pk).search_text


def test_the_cap_holds_for_the_worst_text_we_know(claim):
    text = worst_case_text(2 * services.SEARCH_TEXT_MAX_BYTES)
    ratio = indexed_word_bytes(text[:100_000]) / len(text[:100_000].encode())
    # The margin the cap's comment promises: distinct words at most ~2x the text.
    assert 1.5 < ratio < 2.0
    assert services.SEARCH_TEXT_MAX_BYTES * 2 * 2 <= TSVECTOR_MAX_BYTES + 1
    Claimant.objects.filter(pk__in=claim.claimants.values("pk")).update(aliases=[])
    claim.claimants.add(Claimant.objects.create(name="W", slug="w", kind="person",
                                                aliases=[text]))
    stored = services.refresh_search_text(claim)
    assert len(stored.encode()) <= services.SEARCH_TEXT_MAX_BYTES
    assert indexed_word_bytes(stored) < TSVECTOR_MAX_BYTES
    Claim.objects.filter(pk=claim.pk).update(priority=3)  # the row (and index) still save


def test_cut_at_a_character_boundary():
    assert services.bounded("€" * 10, max_bytes=7) == "€€"
    assert services.bounded("abc", max_bytes=7) == "abc"
    text = services.bounded("a" + "€" * 200_000)
    assert len(text.encode()) <= services.SEARCH_TEXT_MAX_BYTES
    assert text.endswith("€") and "\ufffd" not in text
