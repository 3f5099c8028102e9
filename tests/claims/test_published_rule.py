"""The one rule for what readers see (claims.models: current_publication_q, behind
Publication.objects.current(), Claim/Correction.objects.published() and
Claimant/Tag/Rating.objects.in_published()): the rows each returns for a draft, a claim in
review, a published claim, a corrected one and a reopened one, and no module outside its
home spelling it again."""
import ast
from pathlib import Path

import pytest

from claims import services, workflow
from claims.models import Claim, Claimant, Correction, Publication, Rating, Tag, Verdict
from claims.selectors import published_facets
from tests.data import desk, rows

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
STATES = ("draft", "in-review", "published", "reopened")


@pytest.fixture
def world(fact_checker, editor, other_editor):
    """One claim per state, each naming its own claimant and tag plus a shared one. The
    published claim (rated false) is corrected once, through a revision another editor
    published; the reopened one (published as misleading) is re-rated true, with a drafted
    correction note, and given a new tag while back in research."""
    shared_claimant = rows.claimant("Everyone")
    shared_tag = services.create_tag(name="Shared", slug="shared")
    made = {}
    for name in STATES:
        claimant = rows.claimant(f"Claimant {name}")
        tag = services.create_tag(name=f"Tag {name}", slug=f"tag-{name}")
        claim = desk.make_claim(name, fact_checker=fact_checker, claimant=claimant)
        claim = services.update_claim(claim, by=fact_checker, tags=[tag, shared_tag],
                                      claimants=[claimant, shared_claimant])
        desk.draft(claim, fact_checker=fact_checker,
                   rating="misleading" if name == "reopened" else "false")
        made[name] = claim
    workflow.transition_claim(claim=made["in-review"], to_state=Claim.State.IN_REVIEW,
                              by=fact_checker)
    for name in ("published", "reopened"):
        made[name] = desk.publish(made[name], fact_checker=fact_checker, editor=editor)
    _revise(made["published"], by=fact_checker, rating="false", summary="Corrected summary.",
            note="Visible correction")
    made["published"] = desk.publish(made["published"], fact_checker=fact_checker,
                                     editor=other_editor)
    made["correction"] = Correction.objects.get(note="Visible correction")
    _revise(made["reopened"], by=fact_checker, rating="true", summary="WIP summary",
            note="WIP correction")
    wip_tag = services.create_tag(name="WIP tag", slug="wip-tag")
    services.update_claim(made["reopened"], by=fact_checker,
                          tags=[*made["reopened"].tags.all(), wip_tag])
    made["reopened"] = Claim.objects.get(pk=made["reopened"].pk)
    return made


def _revise(claim, *, by, rating, summary, note):
    workflow.save_verdict(claim=claim, by=by, rating=rows.rating(rating), summary=summary,
                          correction_note=note)


def test_claims_readers_see_are_those_with_a_publication(world):
    assert set(Claim.objects.published()) == {world["published"], world["reopened"]}
    assert Claim.objects.published().count() == 2
    assert world["reopened"].state == Claim.State.RESEARCHING


def test_publications_readers_see_are_each_claims_latest(world):
    current = Publication.objects.current()
    assert {(p.claim_id, p.number) for p in current} == {
        (world["published"].pk, 2), (world["reopened"].pk, 1)}
    # The first publication of the corrected claim is kept, but is no longer current.
    assert world["published"].publications.count() == 2


def test_corrections_readers_see_are_the_published_ones(world, fact_checker, editor):
    assert list(Correction.objects.published()) == [world["correction"]]
    # The reopened claim's drafted note is not a correction until it is published.
    assert not Correction.objects.filter(note="WIP correction").exists()
    desk.publish(world["reopened"], fact_checker=fact_checker, editor=editor)
    assert {c.note for c in Correction.objects.published()} == {
        "Visible correction", "WIP correction"}


def test_the_api_corrections_list_leaves_out_work_in_progress_as_the_page_does(client, world):
    listed = client.get("/api/v1/corrections/").json()["results"]
    assert [c["note"] for c in listed] == ["Visible correction"]
    page = client.get(world["reopened"].get_absolute_url()).content.decode()
    assert "WIP" not in page


def test_claimants_tags_and_ratings_readers_can_filter_by_are_those_published(world):
    expected = {"everyone", "claimant-published", "claimant-reopened"}
    assert {c.slug for c in Claimant.objects.in_published()} == expected
    assert Claimant.objects.in_published().count() == len(expected)
    # The tag added while the claim was reopened is work in progress.
    assert {t.slug for t in Tag.objects.in_published()} == {
        "shared", "tag-published", "tag-reopened"}
    assert Tag.objects.in_published().count() == 3
    assert {r.slug for r in Rating.objects.in_published()} == {"false", "misleading"}


def test_facets_count_current_publications_only(world):
    facets = published_facets()
    assert {c.slug: c.count for c in facets["claimants"]} == {
        "everyone": 2, "claimant-published": 1, "claimant-reopened": 1}
    assert {t.slug: t.count for t in facets["tags"]} == {
        "shared": 2, "tag-published": 1, "tag-reopened": 1}
    # The reopened claim's new rating (true) is work in progress: it counts as misleading;
    # the corrected claim's first publication no longer counts.
    ratings = {r.slug: r.count for r in facets["ratings"]}
    assert ratings == {"false": 1, "misleading": 1, "true": 0}


def test_history_still_works_with_the_custom_managers(world):
    for model in (Claim, Verdict, Correction, Claimant, Tag, Rating):
        record = model.history.order_by("history_date").first()
        assert record is not None, model
        assert isinstance(record.instance, model)


# --- Nobody spells the rule again ------------------------------------------------------

RULE_WORDS = ("current_of", "current_publication__isnull", "published_at__isnull",
              "last_published_at__gte")
# The rule's home (and the database constraint "published needs a rating and a summary").
RULE_HOMES = {
    ("claims/models.py", "current_publication_q"),
    ("claims/models.py", "ClaimQuerySet.published"),
    ("claims/models.py", "CorrectionQuerySet.published"),
    ("claims/models.py", "Claim"),
    ("claims/models.py", "Verdict.Meta"),
}


def spellings(source):
    """[(scope, line)] of every keyword argument or string (f-string parts included) in
    `source` that spells a lookup of the rule; scope is the dotted enclosing def/class."""
    found = []

    def visit(node, scope):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, (*scope, child.name))
                continue
            text = child.arg if isinstance(child, ast.keyword) else (
                child.value if isinstance(child, ast.Constant) else None)
            if isinstance(text, str) and any(word in text for word in RULE_WORDS):
                found.append((".".join(scope), child.lineno))
            visit(child, scope)

    visit(ast.parse(source), ())
    return found


def app_modules():
    for folder in ("claims", "evidence", "api"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def test_the_finder_finds_every_way_of_spelling_the_rule():
    source = (
        "def f(p):\n"
        "    Claim.objects.filter(current_publication__isnull=False)\n"
        "    Q(**{'claim__current_publication__isnull': False})\n"
        "    Q(**{f'{p}__current_of__isnull': False})\n"
        "    Publication.objects.filter(current_of__isnull=False)\n"
    )
    assert spellings(source) == [("f", 2), ("f", 3), ("f", 4), ("f", 5)]
    models = (ROOT / "claims/models.py").read_text()
    assert {("claims/models.py", scope) for scope, _ in spellings(models)} == RULE_HOMES


def test_no_module_outside_the_rules_home_spells_it_again():
    elsewhere = [
        (name, scope, line)
        for name, path in app_modules()
        for scope, line in spellings(path.read_text())
        if (name, scope) not in RULE_HOMES
    ]
    assert elsewhere == [], "use claims.models.current_publication_q or the query methods"
