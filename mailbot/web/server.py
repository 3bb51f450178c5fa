"""Run the web app with uvicorn: print where it is and how to log in, then serve until Ctrl-C."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import socket

import uvicorn

from mailbot.errors import MailbotError
from mailbot.pipeline import Runtime
from mailbot.web.app import create_app
from mailbot.web.auth import hash_password

log = logging.getLogger(__name__)

TEMPORARY_ACCOUNT = "organizer"


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_server(rt: Runtime, *, host: str, port: int,
                organizers: dict[str, str] | None = None) -> uvicorn.Server:
    app = create_app(rt, organizers=organizers)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                            proxy_headers=False, server_header=False)
    return uvicorn.Server(config)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise MailbotError(f"cannot listen on {host}:{port}: {exc.strerror}: choose another "
                           f"[web] port or stop the program that uses it") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def serve(rt: Runtime, *, host: str | None = None, port: int | None = None) -> int:
    web = rt.cfg.web
    host = host or web.host
    port = port or web.port
    organizers: dict[str, str] | None = None
    password = ""
    if not web.organizers:
        if not is_loopback(host):
            raise MailbotError(f"{rt.cfg.path} [web] organizers: no organizer accounts, and "
                               f"{host} is reachable from other machines: run `mailbot "
                               f"hash-password` and add a line like ana = \"$argon2id$...\"")
        password = secrets.token_urlsafe(12)
        organizers = {TEMPORARY_ACCOUNT: hash_password(password)}
    sock = bind(host, port)
    actual_port = sock.getsockname()[1]
    url = web.public_url or f"http://{host if ':' not in host else f'[{host}]'}:{actual_port}/"
    print(f"mailbot review pages: {url}")
    if password:
        print(f"No accounts in [web] organizers yet. For this run only, log in as "
              f"{TEMPORARY_ACCOUNT!r} with the password {password}")
        print("For lasting accounts: `mailbot hash-password`, then add name = \"<hash>\" to "
              "[web] organizers in the config.")
    else:
        print(f"Log in with your organizer name ({', '.join(sorted(web.organizers))}) and password.")
    print(f"Published lists for your website, no login: {url}lists/signatories.json (also .csv, "
          f".html, .fragment.html), what changed: {url}lists/changes.json?since=2024-05-01T00:00:00Z")
    print("Stop with Ctrl-C.", flush=True)
    server = make_server(rt, host=host, port=actual_port, organizers=organizers)
    server.run(sockets=[sock])
    return 0
