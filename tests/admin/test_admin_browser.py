"""A fact-checker's day in a real browser: from a new claim to a verdict an editor publishes."""

import re

import pytest
from playwright.sync_api import expect

from claims import roles
from claims.models import Claim, Verdict
from claims.services import refresh_search_text
from tests.data.desk import PASSWORD, make_user, staff

NEW_CLAIM = "Niger's government says Ukraine armed the rebels who attacked its army in 2024"

pytestmark = [
    pytest.mark.browser,
    # The live server needs committed data (roles.role_group restores the groups after).
    pytest.mark.django_db(transaction=True),
]


def log_in(browser, live_server, username):
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.set_default_timeout(15_000)
    # The desk works with the navigation sidebar folded away: the queue needs the width.
    page.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/claims/claim/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/claims/claim/")
    return page


def choose(page, select_id, text):
    """Pick `text` in a Django admin autocomplete (select2) widget."""
    page.click(f"#{select_id} ~ .select2 .select2-selection")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_a_claim_from_the_queue_to_a_published_verdict(browser, live_server, seeded,
                                                        screenshot_path):
    fiona = staff(make_user("fiona", roles.FACT_CHECKER, first_name="Fiona"))
    staff(make_user("edith", roles.EDITOR, first_name="Edith"))
    claim = Claim.objects.create(text=NEW_CLAIM, slug="niger-ukraine-armed-rebels")
    refresh_search_text(claim)  # as every intake does
    look_alike = Claim.objects.create(
        text="Niger says Ukraine armed the rebels who attacked its army",
        slug="niger-says-ukraine-armed-rebels", state=Claim.State.REJECTED,
    )

    # The fact-checker finds the new claim in the queue and takes it.
    page = log_in(browser, live_server, "fiona")
    page.click("#changelist-filter a[href*='state__exact=new']")
    page.fill("#searchbar", "Niger")
    page.press("#searchbar", "Enter")
    row = page.locator("#result_list tbody tr", has_text=NEW_CLAIM[:40])
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "assign_to_me")
    page.click("button[name=index]")
    assert "Assigned to you: 1 claim(s)." in page.inner_text(".messagelist")
    page.goto(f"{live_server.url}/admin/claims/claim/")
    page.screenshot(path=screenshot_path("admin-queue.png"))
    claim.refresh_from_db()
    assert claim.assignee == fiona

    # On the claim page: triage, then research.
    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    assert f"#{look_alike.pk} Niger says Ukraine armed" in page.inner_text(".fc-similar")
    page.click(".fc-move button:has-text('Mark triaged')")
    page.click(".fc-move button:has-text('Start research')")
    assert "Researching" in page.inner_text(".fc-state")

    # Where it was said, and the evidence, cited by URL.
    page.click("#appearances-group .add-row a")
    choose(page, "id_appearances-0-claimant", "Government of Niger")
    page.fill("#id_appearances-0-quote", "Ukraine armed the terrorists who attacked our army.")
    page.select_option("#id_appearances-0-medium", "statement")
    page.fill("#id_appearances-0-source_url", "https://example.org/niger/statement?utm_source=x")
    page.click("#evidence-group .add-row a")
    page.fill("#id_evidence-0-source_url", "https://example.org/un/panel-of-experts-report")
    page.select_option("#id_evidence-0-stance", "context")
    page.fill("#id_evidence-0-summary", "The UN panel names no foreign supplier of the rebels.")
    page.click("input[name=_continue]")
    assert "was changed successfully" in page.inner_text(".messagelist")
    claim.refresh_from_db()
    assert claim.appearances.get().source.canonical_url == "https://example.org/niger/statement"
    assert claim.claimants.filter(slug="government-of-niger").exists()
    assert "Government of Niger" in claim.search_text
    assert claim.evidence_status == Claim.EvidenceStatus.PENDING_ARCHIVE

    # The draft verdict, then the review.
    page.select_option("#id_verdict-rating", label="Unsupported")
    page.fill("#id_verdict-headline", "No evidence that Ukraine armed Niger's attackers")
    page.fill("#id_verdict-summary", "Niger's government offered no evidence for the claim.")
    page.click("button[name=save_verdict]")
    assert "The verdict was saved." in page.inner_text(".messagelist")
    page.click(".fc-move button:has-text('Submit for review')")
    assert "In review" in page.inner_text(".fc-state")
    page.screenshot(path=screenshot_path("admin-claim.png"), full_page=True)
    assert screenshot_path("admin-claim.png").stat().st_size > 10_000

    # The author cannot publish their own draft: the button is off, and says why.
    expect(page.locator(".fc-move button:has-text('Publish')")).to_be_disabled()
    assert "Only an editor publishes." in page.inner_text("#fc-publish-blocked")
    assert "Written by Fiona; they cannot publish it." in page.inner_text(".fc-publication")
    assert Claim.objects.get(pk=claim.pk).state == Claim.State.IN_REVIEW

    # An editor publishes it.
    editor_page = log_in(browser, live_server, "edith")
    editor_page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    editor_page.click(".fc-move button:has-text('Publish')")
    assert "Published" in editor_page.inner_text(".fc-state")
    assert "Readers see version 1" in editor_page.inner_text(".fc-publication")
    verdict = Verdict.objects.get(claim=claim)
    assert verdict.is_published and verdict.approver.username == "edith"
    assert verdict.author == fiona


def test_a_fact_checker_adds_a_claim_from_the_add_page(browser, live_server, seeded,
                                                        screenshot_path):
    """The desk's first step, as a person takes it: the Add claim page opens (it was a 500
    for everyone), the form fills in, and the claim lands in the queue with its claimant
    and its search text."""
    staff(make_user("fiona", roles.FACT_CHECKER, first_name="Fiona"))
    page = log_in(browser, live_server, "fiona")
    page.click(".object-tools a.addlink")
    page.wait_for_url("**/admin/claims/claim/add/")
    assert "Add claim" in page.inner_text("h1")
    text = "Mali's transitional government says Ukraine trained the rebels at Tinzaouaten"
    page.fill("#id_text", text)
    page.press("#id_text", "Tab")  # the slug is filled in from the text as one types
    expect(page.locator("#id_slug")).to_have_value(re.compile(r"^malis-transitional"))
    choose(page, "id_claimants", "Government of Mali")
    choose(page, "id_tags", "Sahel")
    page.screenshot(path=screenshot_path("admin-add-claim.png"), full_page=True)
    page.click("input[name=_continue]")
    assert "was added successfully" in page.inner_text(".messagelist")
    claim = Claim.objects.get(text=text)
    assert claim.slug.startswith("malis-transitional-government-says-ukraine")
    assert claim.state == Claim.State.NEW
    assert list(claim.claimants.values_list("slug", flat=True)) == ["government-of-mali"]
    assert "Government of Mali" in claim.search_text
    assert claim.created_by.username == "fiona"
    # The claim page it lands on shows when it was created, now that it has been.
    assert "—" not in page.inner_text(".field-created .readonly")
