"""End-to-end tests: Playwright drives Debian's Chromium against a live server.

The browser is the system's ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it);
Playwright never downloads one of its own.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the tests still call the
# ORM synchronously around it, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make test`, which installs "
            "Debian's chromium package, or set CHROMIUM_PATH."
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright switches the context that Django's connections are kept in, so the
    # tests after this point get new connection objects. Hand them the snapshot of
    # the migrated database, which serialized_rollback restores after each flush.
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, snapshot in snapshots.items():
            connections[alias]._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
