"""Headless Chromium for the few journeys that need a real browser, with
axe-core on every page visited.

Uses Debian's chromium and chromium-driver (installed by `make test` when
run as root, and by CI). Without them the browser tests are skipped with a
reason locally; in CI (CI=true) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
SCREENSHOTS = Path(
    os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "var" / "screenshots")
)

# Everything axe checks that WCAG 2.2 A and AA require, plus best practices.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    }
}


def _browser_available() -> bool:
    return Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()


@pytest.fixture
def browser(live_server, transactional_db):
    if not _browser_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI: {CHROMIUM} or {CHROMEDRIVER} is missing")
        pytest.skip("Chromium not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="smk-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    # Console messages, so tests can look for Content-Security-Policy reports.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    driver.base_url = live_server.url
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def axe_violations(driver) -> list[dict]:
    driver.execute_script(AXE_JS)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, arguments[0]).then("
        "  r => done(r.violations),"
        "  e => done([{id: 'axe-error', description: String(e), nodes: []}]));",
        AXE_OPTIONS,
    )
    return result


def assert_accessible(driver, name: str | None = None) -> None:
    """Fail with a readable list if axe-core finds any violation on this page."""
    if name:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    violations = axe_violations(driver)
    if violations:
        lines = [f"axe-core found {len(violations)} problem(s) on {driver.current_url}:"]
        for v in violations:
            targets = [json.dumps(n.get("target")) for n in v.get("nodes", [])[:5]]
            help_text = v.get("help", v.get("description"))
            lines.append(f"- {v['id']} ({v.get('impact')}): {help_text} at {', '.join(targets)}")
        pytest.fail("\n".join(lines))


def sign_in(driver, username: str, password: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(driver.base_url + "/sign-in/")
    driver.find_element(By.ID, "id_username").send_keys(username)
    driver.find_element(By.ID, "id_password").send_keys(password)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form [type=submit]"))


def wait_for_page(driver, timeout: float = 10) -> None:
    """Wait until the page the last click started has loaded."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(
        lambda d: (
            d.execute_script("return document.readyState") == "complete"
            and d.execute_script("return !window.__smkOldPage")
        )
    )


def click_and_wait(driver, element, timeout: float = 10) -> None:
    """Click something that loads a new page, and wait for that page."""
    driver.execute_script("window.__smkOldPage = true")
    element.click()
    wait_for_page(driver, timeout)
