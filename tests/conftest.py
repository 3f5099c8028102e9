import os
from pathlib import Path

import pytest
from django.db import connections

from claims import roles
from tests.data import desk


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Under pytest-xdist (make test), the browser tests share one worker process and the
    real-Celery-worker tests another: each group starts its browser or worker once."""
    for item in items:
        for group in ("browser", "worker"):
            if item.get_closest_marker(group):
                item.add_marker(pytest.mark.xdist_group(group))


def pytest_runtest_setup(item):
    """Fail a grouped test when --dist loadgroup did not group it: pytest-xdist tells the
    scheduler an item's group by appending "@group" to its node id, which pytest 9.2
    ignores (pytest-xdist issue #1386). The groups would then be spread over every process,
    each starting its own browser and Celery worker, silently. requirements.txt pins a
    pytest that works; this says so at once if an upgrade breaks it again."""
    # On a worker, xdist keeps "was it --dist loadgroup?" in option.loadgroup.
    if not getattr(item.config.option, "loadgroup", False):
        return
    mark = item.get_closest_marker("xdist_group")
    if mark and not item.nodeid.endswith("@" + (mark.kwargs.get("name") or mark.args[0])):
        pytest.fail(
            "--dist loadgroup did not group this test: this pytest and pytest-xdist do not "
            "work together (pytest-xdist #1386); use the versions pinned in "
            "requirements.txt.", pytrace=False,
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Give the database back its role groups after a test that committed (live server,
    real worker, threads). Such a test ends with a flush, which empties every table,
    including the groups migration 0004 created; the tests after it in the same process
    (role permissions, anything logging in with a role) expect them, whatever order xdist
    runs tests in."""
    result = yield
    marker = item.get_closest_marker("django_db")
    committed = {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    # After the last test the test database is already gone (session teardown).
    if nextitem is not None and (committed or (marker and marker.kwargs.get("transaction"))):
        from django.contrib.auth.models import Group, Permission
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            roles.sync_roles(Group, Permission)
    return result


@pytest.fixture
def fact_checker(db):
    return desk.make_user("fiona", roles.FACT_CHECKER)


@pytest.fixture
def other_fact_checker(db):
    return desk.make_user("felix", roles.FACT_CHECKER)


@pytest.fixture
def editor(db):
    return desk.make_user("edith", roles.EDITOR)


@pytest.fixture
def other_editor(db):
    return desk.make_user("eric", roles.EDITOR)


@pytest.fixture
def reviewer(db):
    return desk.make_user("rosa", roles.REVIEWER)


@pytest.fixture
def seeded(db):
    """The seed case, loaded as `load_seeds` does."""
    from claims.seeding import load_seeds

    load_seeds()


@pytest.fixture
def published_seed_claim(seeded, fact_checker, editor):
    """The seed case's claim 1, its seeded draft published by an editor."""
    return desk.published_seed_claim(fact_checker=fact_checker, editor=editor)


# --- Browser tests: Playwright driving Debian's Chromium (never a downloaded browser) ---

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


@pytest.fixture
def browser():
    """A headless Chromium. Fails (never skips) when Chromium is missing: .ci/run installs
    it, and `apt-get install chromium` does on a desk machine."""
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls a test makes
    # between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
            # ORM calls made while Playwright's loop runs get their own connections (the
            # connection handler is context-local there); close them, or they keep the
            # test database busy when pytest-django drops it.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def screenshot_path(tmp_path):
    """Where to save screenshot `name`: docs/screenshots/ with UPDATE_SCREENSHOTS=1 (make
    screenshots), otherwise a temporary folder, so a test run leaves the tree clean."""

    def path(name):
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            return DOCS_SCREENSHOTS / name
        return tmp_path / name

    return path
