"""The claim queue: what it shows, its filters, search, bulk actions and its cost."""
import pytest
from django.urls import reverse

from claims import workflow
from claims.admin.pagination import CappedCountPaginator
from claims.models import Claim, ClaimRelation, Rating, Verdict
from claims.services import add_appearance
from tests.data import rows
from tests.data.desk import staff

QUEUE = reverse("admin:claims_claim_changelist")
S = Claim.State

# Session, user, permissions, the page, its claimants, the filters' choices: a fixed
# number, whatever the page holds.
QUEUE_QUERIES = 12


def listed(response):
    return {c.pk for c in response.context["cl"].result_list}


@pytest.mark.parametrize("size", [10, 100])
@pytest.mark.parametrize("query", ["", "?all=", "?q=Sahel&state__exact=new&assignee=mine",
                                   "?rating=1&tags__id__exact=1&o=-4"])
def test_the_queue_costs_the_same_whatever_it_holds(
    size, query, fc_client, fact_checker, other_fact_checker, django_assert_max_num_queries
):
    rows.queue(size, assignee=fact_checker, author=other_fact_checker)
    fc_client.get(QUEUE)  # warm the per-process caches (content types)
    with django_assert_max_num_queries(QUEUE_QUERIES):
        response = fc_client.get(QUEUE + query)
    assert response.status_code == 200
    if "q=" not in query and "rating" not in query:
        assert len(listed(response)) == (size if "all" in query else min(size, 50))


def test_the_queue_shows_what_a_fact_checker_triages_by(fc_client, fact_checker, editor):
    claim = rows.claim("Ukraine supports terrorism in Africa", priority=4)
    add_appearance(claim=claim, claimant=rows.claimant("Government of Mali"))
    workflow.assign_claim(claim=claim, assignee=fact_checker, by=fact_checker)
    Verdict.objects.create(claim=claim, author=editor, rating=rows.rating("false"))
    html = fc_client.get(QUEUE).content.decode()
    row = html[html.index("Ukraine supports terrorism"):]
    row = row[: row.index("</tr>")]
    for shown in ("Government of Mali", "New", "Urgent", "No evidence offered", "fiona",
                  "False", 'class="fc-badge"'):
        assert shown in row


def test_the_queue_never_counts_the_whole_table(fc_client, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 5)
    for _ in range(8):
        rows.claim()
    response = fc_client.get(QUEUE)
    assert "more than 5 claims" in response.content.decode()
    assert response.context["cl"].full_result_count is None  # show_full_result_count off


class TestFilters:
    @pytest.fixture
    def claims(self, fact_checker, other_fact_checker, editor):
        mali, niger = rows.claimant("Government of Mali"), rows.claimant("Niger")
        rated = rows.claim(priority=4)
        Verdict.objects.create(claim=rated, author=editor, rating=rows.rating("false"))
        mine = rows.claim(state=S.TRIAGED, assignee=fact_checker,
                               evidence_status=Claim.EvidenceStatus.REFUTED)
        theirs = rows.claim(assignee=other_fact_checker)
        mine.claimants.add(mali)
        theirs.claimants.add(niger)
        tagged = rows.claim()
        tagged.tags.create(name="Wagner", slug="wagner")
        return {"rated": rated, "mine": mine, "theirs": theirs, "tagged": tagged}

    @pytest.mark.parametrize(("query", "expected"), [
        ("state__exact=triaged", {"mine"}),
        ("evidence_status__exact=refuted", {"mine"}),
        ("assignee=mine", {"mine"}),
        ("assignee=none", {"rated", "tagged"}),
        ("priority__exact=4", {"rated"}),
        ("rating=none", {"mine", "theirs", "tagged"}),
    ])
    def test_each_filter(self, claims, fc_client, query, expected):
        response = fc_client.get(f"{QUEUE}?{query}")
        assert listed(response) == {claims[name].pk for name in expected}

    def test_filter_by_assignee_claimant_and_rating(self, claims, fc_client, other_fact_checker):
        assert listed(fc_client.get(f"{QUEUE}?assignee={other_fact_checker.pk}")) == {
            claims["theirs"].pk}
        mali = claims["mine"].claimants.get()
        assert listed(fc_client.get(f"{QUEUE}?claimant={mali.pk}")) == {claims["mine"].pk}
        assert listed(fc_client.get(f"{QUEUE}?claimant=niger")) == {claims["theirs"].pk}
        tag = claims["tagged"].tags.get()
        assert listed(fc_client.get(f"{QUEUE}?tags__id__exact={tag.pk}")) == {
            claims["tagged"].pk}
        rating = Rating.objects.get(slug="false")
        assert listed(fc_client.get(f"{QUEUE}?rating={rating.pk}")) == {claims["rated"].pk}

    def test_the_filters_offer_mine_unassigned_and_ratings(self, claims, fc_client):
        html = fc_client.get(QUEUE).content.decode()
        for choice in ("Mine", "Unassigned", "Not rated yet", "False", "Wagner",
                       'name="claimant"'):
            assert choice in html


@pytest.mark.parametrize("term", ["Wagner", "mercenaries admitted", "Yusov", "Andriy"])
def test_search_covers_text_quotes_and_claimant_names(fc_client, term):
    claim = rows.claim("Wagner fighters were killed in Mali")
    add_appearance(claim=claim, claimant=rows.claimant("Andriy Yusov"),
                   quote="The mercenaries admitted it on television")
    rows.claim("Mali cut ties with Ukraine")
    assert listed(fc_client.get(QUEUE, {"q": term})) == {claim.pk}


def test_sorting_is_offered_only_on_indexed_columns(fc_client):
    rows.claim(priority=1)
    urgent = rows.claim(priority=4)
    response = fc_client.get(QUEUE + "?o=-4")
    assert response.context["cl"].result_list[0] == urgent
    html = response.content.decode()
    assert 'class="sortable' in html
    assert "column-claimant_names" in html and "sortable column-claimant_names" not in html


# --- bulk actions -----------------------------------------------------------------------


def act(client, action, claims, **extra):
    return client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in claims],
                               **extra}, follow=True)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_assign_to_me(fc_client, fact_checker):
    claims = [rows.claim(), rows.claim()]
    response = act(fc_client, "assign_to_me", claims)
    assert "Assigned to you: 2 claim(s)." in messages_of(response)
    assert set(Claim.objects.values_list("assignee", flat=True)) == {fact_checker.pk}


def test_set_priority(fc_client):
    claim = rows.claim()
    act(fc_client, "set_priority_urgent", [claim])
    claim.refresh_from_db()
    assert claim.priority == Claim.Priority.URGENT


def test_moving_reports_each_refusal_and_leaves_those_claims_alone(fc_client, fact_checker):
    fresh, stuck = rows.claim(), rows.claim(state=S.RESEARCHING)
    response = act(fc_client, "move_to_triaged", [fresh, stuck])
    msgs = messages_of(response)
    assert "Moved to Triaged: 1 claim(s)." in msgs
    assert any(m.startswith(f"#{stuck.pk} ") and "cannot move from" in m for m in msgs)
    fresh.refresh_from_db()
    stuck.refresh_from_db()
    assert (fresh.state, stuck.state) == (S.TRIAGED, S.RESEARCHING)
    assert fresh.updated_by == fact_checker


def test_a_reviewer_has_no_bulk_actions(client, reviewer):
    client.force_login(staff(reviewer))
    claim = rows.claim()
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert 'name="action"' not in response.content.decode()
    act(client, "move_to_triaged", [claim])
    claim.refresh_from_db()
    assert claim.state == S.NEW


def test_mark_as_duplicate_asks_for_the_original_then_marks_each(fc_client):
    original = rows.claim("Ukraine supports terrorism in Africa")
    copies = [rows.claim("Ukraine backs terrorists in Africa"), rows.claim()]
    page = act(fc_client, "mark_as_duplicate", copies)
    html = page.content.decode()
    assert page.templates[0].name == "admin/claims/claim/mark_duplicate.html"
    assert 'name="original"' in html and "Ukraine backs terrorists" in html
    assert Claim.objects.filter(state=S.DUPLICATE).count() == 0

    response = act(fc_client, "mark_as_duplicate", copies, apply="1", original=original.pk)
    assert f"Marked as duplicates of #{original.pk}: 2 claim(s)." in messages_of(response)
    for copy in copies:
        copy.refresh_from_db()
        assert copy.state == S.DUPLICATE and copy.duplicate_of == original
    assert ClaimRelation.objects.filter(to_claim=original, kind="duplicate_of").count() == 2


def test_mark_as_duplicate_refuses_a_claim_as_its_own_original(fc_client):
    original, other = rows.claim(), rows.claim()
    response = act(fc_client, "mark_as_duplicate", [original, other], apply="1",
                   original=original.pk)
    msgs = messages_of(response)
    assert any("cannot be a duplicate of itself" in m for m in msgs)
    original.refresh_from_db()
    assert original.state == S.NEW
    assert Claim.objects.get(pk=other.pk).state == S.DUPLICATE


def test_anonymous_users_never_see_the_queue(client, db):
    rows.claim("A draft nobody outside may read")
    response = client.get(QUEUE)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_search_takes_wildcards_literally(fc_client):
    literal = rows.claim("Turnout was 100% in the north")
    rows.claim("Turnout was 1000 in the north")
    assert listed(fc_client.get(QUEUE, {"q": "100%"})) == {literal.pk}
    assert listed(fc_client.get(QUEUE, {"q": "T_rnout"})) == set()


def test_search_uses_ilike_which_the_trigram_index_serves(fc_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fc_client.get(QUEUE, {"q": "Wagner"})
    searches = [q["sql"] for q in queries.captured_queries if "search_text" in q["sql"]]
    assert searches and all('"search_text" ILIKE' in sql and "UPPER" not in sql
                            for sql in searches)
