"""The web app over real HTTP: login, sessions, CSRF, rate limits, the public lists with 304s."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

from mailbot import review
from mailbot.web.auth import RateLimiter
from tests.web.campaign import PASSWORD


class Browser:
    """A cookie-keeping HTTP client that does not follow redirects."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path.lstrip("/"), data=body, headers=headers or {})
        try:
            resp = self.opener.open(req, timeout=20)
        except urllib.error.HTTPError as err:
            resp = err
        return resp.status, dict(resp.headers), resp.read().decode()

    def csrf(self, path: str = "/login") -> str:
        _, _, text = self.request(path)
        return re.search(r'name="csrf" value="([^"]+)"', text)[1]

    def login(self, name: str = "ana", password: str = PASSWORD):
        return self.request("/login", {"csrf": self.csrf(), "name": name, "password": password,
                                       "next": "/pending"})


def test_every_page_needs_a_login(live):
    """Without a session each page redirects to the login; the lists stay public."""
    b = Browser(live.url)
    for path in ("/pending", "/entry/1", "/search", "/countries", "/attention", "/attention/1"):
        status, headers, _ = b.request(path)
        assert status == 303 and headers["location"].startswith("/login?next="), path
    status, _, _ = b.request("/lists/signatories.json")
    assert status == 200


def test_login_sets_a_safe_cookie_and_logout_ends_it(live):
    """The session cookie is HttpOnly and SameSite=Lax; pages carry strict security headers."""
    b = Browser(live.url)
    status, headers, _ = b.login()
    assert status == 303 and headers["location"] == "/pending"
    cookie = headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    status, headers, text = b.request("/pending")
    assert status == 200 and "Pending entries" in text
    assert "script-src" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert b.request("/logout", {"csrf": b.csrf("/pending")})[0] == 303
    assert b.request("/pending")[0] == 303


def test_logout_ends_a_copied_session_cookie_too(live):
    """A cookie copied before logout (another device, a stolen cookie) no longer opens pages."""
    b, thief = Browser(live.url), Browser(live.url)
    assert b.login()[0] == 303
    for cookie in b.jar:
        thief.jar.set_cookie(cookie)
    assert thief.request("/pending")[0] == 200
    assert b.request("/logout", {"csrf": b.csrf("/pending")})[0] == 303
    status, headers, _ = thief.request("/pending")
    assert status == 303 and headers["location"].startswith("/login")
    assert b.login()[0] == 303 and b.request("/pending")[0] == 200  # a new login works again


def test_login_is_rate_limited_per_user(live):
    """After five wrong passwords for a name, even the right one waits."""
    b = Browser(live.url)
    for _ in range(5):
        assert b.login(password="wrong")[0] == 401
    status, _, text = b.login()
    assert status == 429 and "Too many failed attempts" in text


def test_rate_limiter_counts_per_key_and_forgets_after_the_window():
    """Failures count per key (IP, account) and expire after the window."""
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    limiter.fail("ip:a", "user:x")
    limiter.fail("ip:a", "user:y")
    assert limiter.wait("ip:a", "user:z") > 0 and limiter.wait("ip:b", "user:x") == 0
    now[0] = 61
    assert limiter.wait("ip:a") == 0


def test_post_without_csrf_token_is_refused(live):
    """A logged-in organizer's POST without the form's token changes nothing."""
    b = Browser(live.url)
    b.login()
    sig_id = review.pending(live.rt)[0].id
    status, _, text = b.request(f"/entry/{sig_id}", {"action": "approve"})
    assert status == 403 and "Refused" in text
    assert sig_id in [s.id for s in review.pending(live.rt)]


def test_no_address_outside_the_entry_page(live):
    """List pages never show an address; the entry page does."""
    b = Browser(live.url)
    b.login()
    sig = review.pending(live.rt)[0]
    for path in ("/pending", "/search", "/search?q=a", "/countries", "/attention"):
        text = b.request(path)[2]
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), path
    assert sig.email in b.request(f"/entry/{sig.id}")[2]


def test_lists_have_etags_and_answer_304(live):
    """A site pulling the list gets 304 while nothing changed, and new content after a decision."""
    b = Browser(live.url)
    status, headers, body = b.request("/lists/signatories.json")
    assert status == 200 and headers["content-type"].startswith("application/json")
    etag, modified = headers["etag"], headers["last-modified"]
    assert b.request("/lists/signatories.json", headers={"If-None-Match": etag})[0] == 304
    assert b.request("/lists/signatories.json", headers={"If-Modified-Since": modified})[0] == 304
    for name in ("signatories.csv", "signatories.html", "signatories.fragment.html",
                 "changes.json"):
        assert b.request(f"/lists/{name}")[0] == 200, name
    assert b.request("/lists/config.toml")[0] == 404
    assert b.request("/lists/..%2Fconfig.toml")[0] == 404
    review.approve(live.rt, [review.pending(live.rt)[0].id], actor="Ana")
    status, headers, after = b.request("/lists/signatories.json", headers={"If-None-Match": etag})
    assert status == 200 and headers["etag"] != etag and len(json.loads(after)) == len(
        json.loads(body)) + 1
    status, _, text = b.request("/lists/changes.json?since=2000-01-01")
    assert status == 200 and json.loads(text)["added"]
    assert b.request("/lists/changes.json?since=yesterday")[0] == 400


def test_open_redirect_after_login_is_not_possible(live):
    """A `next` pointing elsewhere sends the organizer to the queue instead."""
    b = Browser(live.url)
    status, headers, _ = b.request("/login", {"csrf": b.csrf(), "name": "ana",
                                              "password": PASSWORD, "next": "//evil.example/"})
    assert status == 303 and headers["location"] == "/pending"
