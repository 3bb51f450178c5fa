"""A real Chromium (Debian's /usr/bin/chromium) driven by Playwright against `mailbot serve`."""

from __future__ import annotations

import json
import os
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from mailbot import review
from mailbot.adapters.store import Signature
from tests.web.campaign import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(os.environ.get("MAILBOT_SHOTS", "/tmp/shots"))

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="apt-get install chromium (see .ci/run)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def log_in(page, live, password: str = PASSWORD) -> None:
    page.goto(live.url + "pending")
    page.fill("input[name=name]", "ana")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_organizer_fixes_country_approves_and_finds_it_in_the_list(page, live):
    """Log in, open a pending entry, type the country, approve: it is in signatories.json."""
    with Session(live.rt.engine) as s:
        sig_id = next(x.id for x in review.pending(live.rt))
        s.get(Signature, sig_id)
    log_in(page, live)
    assert page.url.endswith("/pending")
    shot(page, "pending-desktop")
    page.click(f"a[href='/entry/{sig_id}']")
    page.wait_for_url(f"**/entry/{sig_id}")
    shot(page, "entry-desktop")
    page.fill("input[name=country]", "Deutschland")
    page.click("button[value=save_approve]")
    page.wait_for_load_state()
    assert "approved" in page.locator(".flash").inner_text().lower()
    with urllib.request.urlopen(live.url + "lists/signatories.json", timeout=10) as resp:
        rows = {r["id"]: r for r in json.loads(resp.read())}
    assert rows[sig_id]["country"] == "Germany" and rows[sig_id]["country_code"] == "DE"
    page.goto(live.url + f"entry/{sig_id}")
    trail = page.locator(".trail").inner_text()
    assert "ana edited" in trail and "ana approved" in trail


def test_request_without_csrf_token_is_refused(page, live):
    """A POST from the logged-in browser without the token gets 403 and changes nothing."""
    log_in(page, live)
    sig_id = review.pending(live.rt)[0].id
    response = page.request.post(live.url + f"entry/{sig_id}", form={"action": "approve"})
    assert response.status == 403
    assert sig_id in [s.id for s in review.pending(live.rt)]


def test_script_in_a_name_is_shown_as_text(page, live):
    """A name holding <script> is displayed literally in the queue and on the entry page."""
    sig_id = review.pending(live.rt)[0].id
    review.edit(live.rt, sig_id, {"name": "<script>window.pwned=1</script>", "first_name": "X"},
                actor="test", notify=False)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    log_in(page, live)
    assert "<script>window.pwned=1</script>" in page.locator(f"a[href='/entry/{sig_id}']").inner_text()
    page.goto(live.url + f"entry/{sig_id}")
    assert page.input_value("input[name=name]") == "<script>window.pwned=1</script>"
    assert page.evaluate("window.pwned === undefined") and not dialogs


def test_wrong_password_is_refused(page, live):
    """A wrong password keeps the organizer on the login page with a clear message."""
    log_in(page, live, password="not the password")
    assert "/login" in page.url
    assert "Wrong name or password" in page.locator(".flash.error").inner_text()
    page.goto(live.url + "pending")
    assert "/login" in page.url


def test_screenshots_of_the_main_pages(browser, live):
    """The main pages render on a desktop and a phone screen (files in /tmp/shots)."""
    for label, viewport in (("desktop", {"width": 1280, "height": 900}),
                            ("phone", {"width": 390, "height": 844})):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(live.url + "login")
        shot(page, f"login-{label}")
        log_in(page, live)
        shot(page, f"pending-{label}")
        sig_id = review.pending(live.rt)[0].id
        page.goto(live.url + f"entry/{sig_id}")
        shot(page, f"entry-{label}")
        for name in ("search", "countries", "attention"):
            page.goto(live.url + name)
            shot(page, f"{name}-{label}")
        mail_id = review.attention(live.rt)[0].id
        page.goto(live.url + f"attention/{mail_id}")
        shot(page, f"mail-{label}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, f"{label}: page wider than the screen"
        context.close()
