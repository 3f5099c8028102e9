"""The seed case's claim 1, published through the workflow, in headless Chromium.

With UPDATE_SCREENSHOTS=1 (`make screenshots`) the screenshot replaces
docs/screenshots/verdict-page.png; otherwise it goes to a temporary folder, so a test run
leaves the work tree as it was.
"""
from datetime import UTC, datetime

import pytest

from claims import workflow
from claims.models import Claim, Rating
from evidence.models import Snapshot, Source
from tests.data.desk import SEED_CLAIM


def publish_seed_claim(fact_checker, editor):
    """As the desk would: archive the source, submit the seeded draft, publish it."""
    source = Source.objects.get()
    snapshot = Snapshot.objects.create(
        source=source, fetch_id="00000000-0000-0000-0000-0000000000aa",
        fetched_at=datetime(2024, 8, 21, 9, 30, tzinfo=UTC), final_url=source.url,
        http_status=200, payload_sha256="0" * 64, warc_path="seed.warc.gz",
    )
    Source.objects.filter(pk=source.pk).update(latest_snapshot=snapshot,
                                               status=Source.Status.ARCHIVED)
    claim = Claim.objects.get(slug=SEED_CLAIM)
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=editor)
    return claim


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_seed_verdict_page_in_chromium(live_server, seeded, fact_checker, editor, browser,
                                      screenshot_path):
    screenshot = screenshot_path("verdict-page.png")
    editor.first_name, editor.last_name = "Edith", "Mensah"
    editor.save()
    claim = publish_seed_claim(fact_checker, editor)
    page = browser.new_page(viewport={"width": 860, "height": 900})
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + claim.get_absolute_url())
    assert page.locator("h1").inner_text().startswith("Ukraine supports terrorism")
    badge = page.locator(".finding .rating-badge")
    assert badge.inner_text() == "Unsupported"
    # The stylesheet is ours and loaded; nothing is fetched from elsewhere.
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    assert not failed
    assert all(url.startswith(live_server.url) for url in requested), requested
    # The skip link is the first thing a keyboard reaches, and it is visible then.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.screenshot(path=str(screenshot), full_page=True)
    # On a phone nothing is wider than the screen.
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert 0 < screenshot.stat().st_size < 400_000


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_corrected_verdict_and_its_versions_in_chromium(
    live_server, seeded, fact_checker, editor, other_editor, browser, screenshot_path
):
    claim = publish_seed_claim(fact_checker, editor)
    verdict = workflow.current_verdict(claim)
    workflow.save_verdict(
        claim=claim, by=fact_checker, rating=Rating.objects.get(slug="false"),
        headline=verdict.headline, summary="The letter offers no evidence at all.",
        analysis=verdict.analysis, correction_note="We had rated this unsupported.",
    )
    workflow.transition_claim(claim=claim, to_state=Claim.State.IN_REVIEW, by=fact_checker)
    workflow.transition_claim(claim=claim, to_state=Claim.State.PUBLISHED, by=other_editor)
    page = browser.new_page(viewport={"width": 860, "height": 900})
    page.goto(live_server.url + claim.get_absolute_url())
    # The correction is said near the top, before the reader reaches the rating.
    corrected = page.locator(".corrected")
    assert corrected.inner_text().startswith("Corrected on")
    assert corrected.bounding_box()["y"] < page.locator(".finding").bounding_box()["y"]
    assert page.locator(".finding .rating-badge").inner_text() == "False"
    page.locator(".corrected a", has_text="Every version").click()
    page.wait_for_url("**/versions/")
    assert page.locator(".version").count() == 2
    assert page.locator(".diff del", has_text="Unsupported").count() == 1
    assert page.locator(".diff ins", has_text="False").count() == 1
    page.screenshot(path=str(screenshot_path("verdict-versions.png")), full_page=True)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".version a", has_text="Read this version").last.click()
    page.wait_for_url("**/versions/1/")
    assert page.locator(".notice").inner_text().startswith("An earlier version.")
    assert page.locator(".finding .rating-badge").inner_text() == "Unsupported"
