"""Every kind of page works in Chromium under the Content-Security-Policy, with not one
violation: the public pages, the admin (its JavaScript included) and the API docs.

Violations are caught twice: the `securitypolicyviolation` DOM events (recorded by a
script Playwright injects outside the page's policy) and Chromium's console messages.
"""
import pytest
from django.contrib.auth import get_user_model

from claims.models import Claim

from .test_verdict_page_browser import publish_seed_claim

PASSWORD = "correct horse battery staple"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`
  );
});
"""


class Watched:
    """A Playwright page that remembers every CSP violation and failed request."""

    def __init__(self, browser, base_url):
        self.base_url = base_url
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.page.set_default_timeout(20_000)
        self.page.add_init_script(RECORD_VIOLATIONS)
        self.console = []
        self.failed = []
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("requestfailed", lambda request: self.failed.append(request.url))
        self.seen = {}

    def open(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.status == 200, (path, response.status)
        policy = dict(
            directive.strip().partition(" ")[::2]
            for directive in response.headers.get("content-security-policy", "").split(";")
        )
        assert policy["script-src"].startswith("'self'"), (path, policy)
        assert "unsafe" not in policy["script-src"], (path, policy)
        return response

    def settle(self, path):
        """Let the page's scripts run, then record what it violated."""
        self.page.wait_for_load_state("networkidle")
        events = self.page.evaluate("window.__cspViolations")
        console = [text for text in self.console if "Content Security Policy" in text]
        self.seen[path] = events + console
        self.console.clear()


@pytest.fixture
def desk(browser, live_server, seeded, fact_checker, editor):
    publish_seed_claim(fact_checker, editor)
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    watched = Watched(browser, live_server.url)
    yield watched
    assert not watched.failed, watched.failed


def test_no_page_violates_the_policy_and_every_page_works(desk):
    page = desk.page
    claim = Claim.objects.get(slug="ukraine-supports-terrorism-in-africa")

    # The admin sign-in, through the form (the lockout backend is in the way of it).
    desk.open("/admin/login/?next=/admin/")
    desk.settle("admin login")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")

    # The index: the theme toggle is JavaScript (admin/js/theme.js).
    desk.settle("admin index")
    before = page.evaluate("document.documentElement.dataset.theme || 'auto'")
    page.click("button.theme-toggle")
    assert page.evaluate("document.documentElement.dataset.theme") != before

    # The queue: selecting every row is JavaScript (admin/js/actions.js).
    desk.open("/admin/claims/claim/")
    page.check("#action-toggle")
    assert page.locator("input.action-select:checked").count() == Claim.objects.count()
    assert page.is_visible(".action-counter")
    desk.settle("claim changelist")

    # A claim page: the autocompletes (select2) and the inlines' "add another" rows.
    desk.open(f"/admin/claims/claim/{claim.pk}/change/")
    assert page.locator("#id_claimants ~ .select2").count() == 1
    page.click("#id_claimants ~ .select2 .select2-selection")
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    rows = page.locator("#appearances-group .form-row, #appearances-group tr.form-row")
    count = rows.count()
    page.click("#appearances-group .add-row a")
    assert rows.count() == count + 1
    desk.settle("claim change page")

    # Adding a claim: the slug is filled in from the text as one types (prepopulate.js).
    desk.open("/admin/claims/claim/add/")
    page.fill("#id_text", "Mali says the rebels had help")
    page.press("#id_text", "Tab")
    assert page.input_value("#id_slug") == "mali-says-the-rebels-had-help"
    desk.settle("claim add page")

    # The public pages.
    desk.open("/checks/")
    assert page.locator(".card").count() == 1
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"  # site.css
    desk.settle("/checks/")
    desk.open(claim.get_absolute_url())
    assert page.locator(".finding .rating-badge").inner_text() == "Unsupported"
    assert page.locator("script[type='application/ld+json']").count() == 1
    desk.settle("verdict page")
    desk.open("/methodology/")
    desk.settle("/methodology/")

    # The API docs: Swagger UI reads the schema and lists the endpoints.
    desk.open("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Factcheck workbench API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector(".opblock")
    desk.settle("/api/v1/docs/")

    violations = {path: found for path, found in desk.seen.items() if found}
    assert not violations, violations
    assert len(desk.seen) == 9


def test_redoc_works_and_calls_nobody(desk):
    """Redoc, the other API docs page, renders; the one thing the policy blocks is the
    "API docs by Redocly" logo it would fetch from cdn.redoc.ly (it then hides it)."""
    page = desk.page
    desk.open("/api/v1/redoc/")
    title = page.locator("h1")
    title.wait_for(state="attached", timeout=60_000)
    assert "Factcheck workbench API" in title.inner_text()
    desk.settle("/api/v1/redoc/")
    logo = "https://cdn.redoc.ly/redoc/logo-mini.svg"
    assert all(logo in violation for violation in desk.seen["/api/v1/redoc/"])
    desk.failed.remove(logo)


def test_injected_inline_script_is_blocked(desk):
    """The policy bites: a script without the nonce, as an injection would be, never runs."""
    page = desk.page
    desk.open("/methodology/")
    page.evaluate("""() => {
        const s = document.createElement("script");
        s.textContent = "window.__injected = true";
        document.body.appendChild(s);
    }""")
    desk.settle("/methodology/")
    assert page.evaluate("window.__injected") is None
    assert any("script-src" in v for v in desk.seen["/methodology/"])
