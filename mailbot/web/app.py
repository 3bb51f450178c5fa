"""The review web app (Starlette): pages call `mailbot.review`, templates live in templates/web/.

Every page needs a login except /login and the read-only published lists under /lists/. Every POST
carries the session's CSRF token. Email addresses appear only on an entry's own page.
"""

from __future__ import annotations

import email
import functools
import hashlib
import logging
import re
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email import policy
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

import nh3
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from mailbot import changes, review
from mailbot.adapters import exporters, store
from mailbot.adapters.templates import default_template_dir
from mailbot.core.model import Status
from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime
from mailbot.web.auth import Accounts, RateLimiter, new_token, same_token

log = logging.getLogger(__name__)

Handler = Callable[..., Awaitable[Response]]

_CSP_PAGES = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
              "frame-ancestors 'none'; base-uri 'none'")
_CSP_LISTS = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'"
_TYPES = {".json": "application/json", ".csv": "text/csv", ".html": "text/html",
          ".md": "text/markdown", ".txt": "text/plain"}


def session_secret(rt: Runtime) -> str:
    """[web] session_secret(_env), or a secret generated once and kept in the database."""
    if rt.cfg.web.session_secret:
        return rt.cfg.web.session_secret
    with Session(rt.engine) as session, session.begin():
        return store.secret_value(session, "web_session")


def create_app(rt: Runtime, *, organizers: dict[str, str] | None = None,
               limiter: RateLimiter | None = None) -> Starlette:
    """The ASGI app; `organizers` overrides [web] organizers (the one-time demo account)."""
    web = _Web(rt, Accounts(rt.cfg.web.organizers if organizers is None else organizers),
               limiter or RateLimiter())
    routes = [
        Route("/", web.home),
        Route("/login", web.login, methods=["GET", "POST"]),
        Route("/logout", web.logout, methods=["POST"]),
        Route("/pending", web.pending),
        Route("/pending/approve", web.bulk_approve, methods=["POST"]),
        Route("/entry/{sig_id:int}", web.entry, methods=["GET", "POST"]),
        Route("/entry/{sig_id:int}/erase", web.erase, methods=["POST"]),
        Route("/search", web.search),
        Route("/countries", web.countries),
        Route("/attention", web.attention),
        Route("/attention/{mail_id:int}", web.attention_mail, methods=["GET", "POST"]),
        Route("/static/app.css", web.css),
        Route("/lists/{name:str}", web.lists),
    ]
    middleware = [
        Middleware(_SecurityHeaders),
        Middleware(SessionMiddleware, secret_key=session_secret(rt), session_cookie="mailbot_session",
                   max_age=12 * 3600, same_site="lax", https_only=rt.cfg.web.is_https),
    ]
    return Starlette(routes=routes, middleware=middleware, max_body_size=1_000_000)


class _SecurityHeaders:
    """Headers every response gets: no framing, no sniffing, a strict CSP (pages load no script)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lists = scope["path"].startswith("/lists/")

        async def with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin"),
                            (b"content-security-policy", (_CSP_LISTS if lists else _CSP_PAGES).encode())]
                if not lists:
                    headers += [(b"x-frame-options", b"DENY"), (b"cache-control", b"no-store")]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def _page(*, login: bool = True) -> Callable[[Handler], Handler]:
    """Require a logged-in organizer (when `login`) and a valid CSRF token on every POST."""
    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def inner(self: _Web, request: Request) -> Response:
            signed_in = self.signed_in(request)  # a stale session is cleared here
            if "csrf" not in request.session:
                request.session["csrf"] = new_token()
            if login and not signed_in:
                target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)
            if request.method == "POST":
                form = await request.form()
                if not same_token(request.session.get("csrf"), str(form.get("csrf", ""))):
                    log.warning("request refused: missing or wrong CSRF token path=%s",
                                request.url.path)
                    return self.render(request, "web/error.html.j2", status=403,
                                       title="Refused", message="This form was too old or did not "
                                       "come from these pages. Go back, reload the page and try again.")
            return await handler(self, request)
        return inner
    return wrap


def _logout_key(user: str) -> str:
    return f"logout:{hashlib.sha256(user.encode()).hexdigest()[:32]}"


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def _safe_next(value: str | None) -> str:
    # only a local path: "//evil.example" or "https://..." would make the login an open redirect
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/pending"


class _Web:
    def __init__(self, rt: Runtime, accounts: Accounts, limiter: RateLimiter) -> None:
        self.rt, self.accounts, self.limiter = rt, accounts, limiter
        self.env = rt.env
        self.env.filters["noemail"] = hide_addresses

    # --- helpers -----------------------------------------------------------------------------

    def render(self, request: Request, template: str, *, status: int = 200,
               **context: Any) -> Response:
        counts = {}
        if request.session.get("user"):
            with Session(self.rt.engine) as session:
                all_counts = store.counts(session)
            counts = {"pending": all_counts.get("pending", 0),
                      "attention": len(review.attention(self.rt))}
        flash = request.session.pop("flash", None)
        html = self.env.get_template(template).render(
            user=request.session.get("user"), csrf=request.session.get("csrf", ""),
            campaign=self.rt.cfg.campaign.name, counts=counts, flash=flash, path=request.url.path,
            statuses=[str(s) for s in Status], **context)
        return HTMLResponse(html, status_code=status)

    def actor(self, request: Request) -> str:
        return str(request.session["user"])

    @staticmethod
    def flash(request: Request, text: str, kind: str = "ok") -> None:
        request.session["flash"] = {"text": text, "kind": kind}

    # --- login -------------------------------------------------------------------------------

    @_page(login=False)
    async def login(self, request: Request) -> Response:
        next_path = _safe_next(request.query_params.get("next"))
        if request.method == "GET":
            return self.render(request, "web/login.html.j2", next=next_path, error="", name="")
        form = await request.form()
        name = str(form.get("name", "")).strip()
        password = str(form.get("password", ""))
        ip = request.client.host if request.client else "?"
        keys = (f"ip:{ip}", f"user:{name.lower()}")
        wait = self.limiter.wait(*keys)
        if wait:
            log.warning("login refused: too many attempts ip=%s", ip)
            return self.render(request, "web/login.html.j2", status=429, next=next_path, name=name,
                               error=f"Too many failed attempts. Try again in {wait // 60 + 1} "
                                     f"minutes.")
        if not self.accounts.verify(name, password):
            self.limiter.fail(*keys)
            log.warning("login failed ip=%s", ip)
            return self.render(request, "web/login.html.j2", status=401, next=next_path, name=name,
                               error="Wrong name or password.")
        self.limiter.clear(f"user:{name.lower()}")
        request.session.clear()  # a fresh session (and CSRF token) after login: no fixation
        request.session.update(user=name, csrf=new_token(), since=time.time(),
                               key=self.accounts.fingerprint(name))
        log.info("login organizer=%s ip=%s", name, ip)
        return RedirectResponse(_safe_next(str(form.get("next", ""))), status_code=303)

    @_page()
    async def logout(self, request: Request) -> Response:
        """Ends every session of this organizer, on every device (a copied cookie included)."""
        with Session(self.rt.engine) as session, session.begin():
            store.set_secret(session, _logout_key(self.actor(request)), str(time.time()))
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    def signed_in(self, request: Request) -> bool:
        """A session counts while its account exists with the same password and was not logged out."""
        user = request.session.get("user")
        if not user:
            return False
        if request.session.get("key") != self.accounts.fingerprint(str(user)):
            request.session.clear()
            return False
        with Session(self.rt.engine) as session:
            logged_out = store.get_secret(session, _logout_key(str(user)))
        if logged_out and float(request.session.get("since", 0)) <= float(logged_out):
            request.session.clear()
            return False
        return True

    @_page()
    async def home(self, request: Request) -> Response:
        return RedirectResponse("/pending", status_code=303)

    # --- the queue and an entry ----------------------------------------------------------------

    @_page()
    async def pending(self, request: Request) -> Response:
        rows = review.pending(self.rt)
        codes = sorted({(s.country_code, s.country) for s in rows if s.country_code})
        return self.render(request, "web/pending.html.j2", rows=rows, codes=codes,
                           complete=review.is_complete)

    @_page()
    async def bulk_approve(self, request: Request) -> Response:
        form = await request.form()
        try:
            min_conf = float(str(form.get("min_confidence") or "0"))
        except ValueError:
            min_conf = 0.0
        flt = review.BulkFilter(country_code=str(form.get("country") or "") or None,
                                min_confidence=min_conf)
        done = review.bulk_approve(self.rt, flt, actor=self.actor(request))
        self.flash(request, f"{len(done)} entries approved." if done else
                   "No complete entry matched: nothing approved.")
        return RedirectResponse("/pending", status_code=303)

    @_page()
    async def entry(self, request: Request) -> Response:
        sig_id = int(request.path_params["sig_id"])
        if request.method == "POST":
            return await self._act(request, sig_id)
        try:
            entry = review.entry(self.rt, sig_id)
        except review.ReviewError as exc:
            return self.render(request, "web/error.html.j2", status=404, title="Not found",
                               message=str(exc))
        mails = [dict(view=m, html=_sanitized_html(m.raw)) for m in entry.mails]
        return self.render(request, "web/entry.html.j2", entry=entry, sig=entry.signature,
                           mails=mails, fields=review.EDITABLE, labels=_labels(),
                           complete=review.is_complete(entry.signature),
                           notify=self.rt.cfg.review.notify_on_edit)

    async def _act(self, request: Request, sig_id: int) -> Response:
        form = await request.form()
        action = str(form.get("action", ""))
        actor = self.actor(request)
        try:
            if action in ("save", "save_approve"):
                changes_ = {f: str(form.get(f, "")) for f in review.EDITABLE if f in form}
                result = review.edit(self.rt, sig_id, changes_, actor=actor,
                                     approve=action == "save_approve")
                said = ", ".join(c.label for c in result.changes) or "nothing changed"
                mail = " The signer will get a mail about it." if result.notified else ""
                self.flash(request, f"#{sig_id} saved ({said}).{mail}" +
                           (" Approved." if action == "save_approve" else ""))
                if action == "save_approve":
                    return self._next(sig_id)
            elif action in ("approve", "reject", "withdraw", "restore"):
                getattr(review, action)(self.rt, [sig_id], actor=actor)
                done = {"approve": "approved", "reject": "rejected", "withdraw": "withdrawn",
                        "restore": "restored"}[action]
                self.flash(request, f"#{sig_id} {done}. The lists are updated.")
                if action in ("approve", "reject"):
                    return self._next(sig_id)
            else:
                self.flash(request, "Unknown action.", "error")
        except MailbotError as exc:
            self.flash(request, f"Not done: {exc}", "error")
        return RedirectResponse(f"/entry/{sig_id}", status_code=303)

    def _next(self, done_id: int) -> Response:
        """After a decision, the next entry in the queue: review without going back to the list."""
        rest = [s.id for s in review.pending(self.rt) if s.id != done_id]
        return RedirectResponse(f"/entry/{rest[0]}" if rest else "/pending", status_code=303)

    @_page()
    async def erase(self, request: Request) -> Response:
        sig_id = int(request.path_params["sig_id"])
        form = await request.form()
        if form.get("confirm") != "yes":
            self.flash(request, "Tick the box to confirm: erasing cannot be undone.", "error")
            return RedirectResponse(f"/entry/{sig_id}", status_code=303)
        try:
            review.erase(self.rt, sig_id, actor=self.actor(request))
        except MailbotError as exc:
            self.flash(request, f"Not done: {exc}", "error")
            return RedirectResponse(f"/entry/{sig_id}", status_code=303)
        self.flash(request, f"#{sig_id} erased: only a keyed hash of the address is kept.")
        return RedirectResponse("/search", status_code=303)

    # --- overviews -----------------------------------------------------------------------------

    @_page()
    async def search(self, request: Request) -> Response:
        q = request.query_params.get("q", "")[:200]
        status_text = request.query_params.get("status", "")
        status = Status(status_text) if status_text in {str(s) for s in Status} else None
        rows = review.search(self.rt, q, status)
        return self.render(request, "web/search.html.j2", rows=rows, q=q, wanted=status_text)

    @_page()
    async def countries(self, request: Request) -> Response:
        rows = review.country_counts(self.rt)
        return self.render(request, "web/countries.html.j2", rows=rows,
                           total_approved=sum(r.approved for r in rows),
                           total_pending=sum(r.pending for r in rows))

    @_page()
    async def attention(self, request: Request) -> Response:
        show_all = request.query_params.get("all") == "1"
        return self.render(request, "web/attention.html.j2",
                           rows=review.attention(self.rt, include_resolved=show_all),
                           show_all=show_all)

    @_page()
    async def attention_mail(self, request: Request) -> Response:
        mail_id = int(request.path_params["mail_id"])
        if request.method == "POST":
            review.resolve(self.rt, [mail_id], actor=self.actor(request))
            self.flash(request, f"Mail {mail_id} marked as handled.")
            return RedirectResponse("/attention", status_code=303)
        try:
            view = review.mail(self.rt, mail_id)
        except review.ReviewError as exc:
            return self.render(request, "web/error.html.j2", status=404, title="Not found",
                               message=str(exc))
        return self.render(request, "web/mail.html.j2", m=view, html=_sanitized_html(view.raw))

    async def css(self, request: Request) -> Response:
        path = default_template_dir() / "web" / "app.css"
        return Response(path.read_bytes(), media_type="text/css",
                        headers={"cache-control": "max-age=3600"})

    # --- the published lists, read-only and public -----------------------------------------------

    async def lists(self, request: Request) -> Response:
        name = request.path_params["name"]
        export = self.rt.cfg.export
        allowed = {exporters.EXPORTERS[f].filename for f in export.formats} | {changes.FILENAME}
        if name not in allowed:
            return PlainTextResponse("not found", status_code=404)
        since = request.query_params.get("since")
        if name == changes.FILENAME and since:
            try:
                moment = changes.parse_since(since)
            except MailbotError as exc:
                return PlainTextResponse(str(exc), status_code=400)
            with Session(self.rt.engine) as session:
                body = changes.changes_since(session, moment).as_json().encode()
            return _cached(request, body, None, _TYPES[".json"])
        path = export.directory / name
        try:
            body, mtime = path.read_bytes(), path.stat().st_mtime
        except FileNotFoundError:
            return PlainTextResponse("not published yet", status_code=404)
        return _cached(request, body, mtime, _TYPES[Path(name).suffix])


def _cached(request: Request, body: bytes, mtime: float | None, media_type: str) -> Response:
    """A response with ETag/Last-Modified, or 304 when the client's copy is still right."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"etag": etag, "cache-control": "no-cache", "access-control-allow-origin": "*"}
    modified = None
    if mtime is not None:
        modified = datetime.fromtimestamp(int(mtime), UTC)
        headers["last-modified"] = format_datetime(modified, usegmt=True)
    match = request.headers.get("if-none-match")
    if match is not None:
        if etag in [t.strip().removeprefix("W/") for t in match.split(",")] or match.strip() == "*":
            return Response(status_code=304, headers=headers)
    elif modified is not None and (since := request.headers.get("if-modified-since")):
        try:
            if parsedate_to_datetime(since) >= modified:
                return Response(status_code=304, headers=headers)
        except (TypeError, ValueError):
            pass
    return Response(body, media_type=f"{media_type}; charset=utf-8", headers=headers)


_ADDRESS = re.compile(r"[^\s<>()\[\]\"',;:]+@[^\s<>()\[\]\"',;:]+\.[^\s<>()\[\]\"',;:]+")


def hide_addresses(value: object) -> str:
    """List pages show no address: anything that looks like one (in a name, a reason) is masked."""
    return _ADDRESS.sub("[address]", "" if value is None else str(value))


def _labels() -> dict[str, str]:
    from mailbot.review_cli import LABELS

    return LABELS


def _sanitized_html(raw: bytes) -> str:
    """The mail's HTML part cleaned by nh3 (no script, style, event handler or form), or ""."""
    if not raw:
        return ""
    try:
        msg = email.message_from_bytes(raw, policy=policy.default)
        part = msg.get_body(preferencelist=("html",))  # type: ignore[attr-defined]
        if part is None or part.get_content_type() != "text/html":
            return ""
        html = part.get_content()
    except Exception:  # broken MIME: the text view above still shows the mail
        log.info("no readable HTML part")
        return ""
    return nh3.clean(html, url_schemes={"http", "https", "mailto"})
