"""The checks every request to ``stretchtui serve`` must pass.

Loopback is not a boundary in a browser: any page the user has open may send
requests to ``127.0.0.1``, and a page on a name that the attacker re-points to
``127.0.0.1`` (DNS rebinding) is even same-origin with the server. So, like
Jupyter does for notebooks:

- **A secret token, and no cookie.** The server prints a link with
  ``?token=...``. Only a request carrying the right token gets the page; the
  page's WebSocket URL carries it in its path (``/ws/TOKEN``). Nothing is kept
  in a cookie: cookies are not bound to a port, so a cookie set by
  ``127.0.0.1:8000`` would be sent to every other server on ``127.0.0.1`` the
  browser visits, and any of them could replay it. The page keeps the token in
  the tab's ``sessionStorage`` (bound to this origin, port included) so that a
  reload or "Restart" finds it again: a request for ``/`` without the token
  gets a 403 page whose script sends the tab back with the stored token, or
  says to use the printed link. Tokens are compared in constant time.
- **What needs no token:** ``/static/`` (textual-serve's own scripts, styles
  and fonts, the same for everybody, no user data) and ``/download/KEY``
  (KEY is a random 128-bit name the app hands to its own page over the
  WebSocket, valid for one download).
- **The Host header** must name this server: the bound address, ``localhost``
  or a name given with ``--allow-host``, with the port. That defeats DNS
  rebinding (the rebound page sends ``Host: evil.example``).
- **The Origin header** of a WebSocket upgrade must be one of those same
  addresses, i.e. a page this server served. Browsers always send it on a
  WebSocket upgrade, so an upgrade without one is refused too.

The checks run in that order (Host, token, Origin): a request to a wrong Host
is refused even when it carries the token.
"""

from __future__ import annotations

import hmac
import html
import logging
import os
import re
import secrets
import stat
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web

from ..core.errors import StretchtuiError

#: Name of the query parameter carrying the token in the printed link.
TOKEN_PARAM = "token"

#: Name of the route parameter carrying the token in the WebSocket's path.
WS_TOKEN = "ws_token"

#: Paths open without the token (see the module docstring).
PUBLIC_PREFIXES = ("/static/", "/download/")

#: Set on a request once it passed every check; the page, WebSocket and
#: download handlers refuse a request without it (fail closed if the middleware
#: were ever not installed).
GUARDED = "stretchtui.guarded"

#: A token given in a file must look like one we make: URL-safe, long enough.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,512}")

#: The 403 page for "/" without the token: the tab's stored token, if any,
#: is tried once (a reload, "Restart"); otherwise the text says what to do.
NEED_TOKEN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="no-referrer">
<title>stretchtui</title></head>
<body><p id="need">{text}</p>
<script nonce="{nonce}">
(function () {{
  var url = new URL(window.location.href), key = "{key}";
  if (url.searchParams.has("{param}")) {{ sessionStorage.removeItem(key); return; }}
  var token = sessionStorage.getItem(key);
  if (token) {{
    url.searchParams.set("{param}", token);
    window.location.replace(url.pathname + url.search + url.hash);
  }}
}})();
</script></body></html>
"""

NEED_TOKEN_TEXT = (
    "403 Forbidden: open stretchtui with the link printed by `stretchtui serve` "
    "(it ends with ?token=...).\n"
)
WRONG_HOST_TEXT = (
    "403 Forbidden: this address is not one stretchtui answers to; open the link printed by "
    "`stretchtui serve`, or start it with --allow-host NAME for the name you use.\n"
)
WRONG_ORIGIN_TEXT = "403 Forbidden: only stretchtui's own page may open its WebSocket.\n"

DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_WILDCARDS = {"", "0.0.0.0", "::"}


class WebGuardError(StretchtuiError):
    """A bad ``--token-file`` or ``--allow-host``."""


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def read_token_file(path: Path) -> tuple[str, bool]:
    """The token kept in ``path``, and whether this call created the file.

    A missing file is created (mode 0600) with a new token, so that a
    bookmarked link keeps working across restarts. An existing file must be a
    regular file of ours that nobody else can read or write (mode 0600 or
    0400), holding one token.
    """
    shown = str(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise WebGuardError(
            f"cannot create the token file {shown}: {exc.strerror or exc}. Check --token-file."
        ) from None
    else:
        token = new_token()
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(token + "\n")
        return token, True

    try:
        info = os.stat(path)
    except OSError as exc:
        raise WebGuardError(f"cannot read the token file {shown}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WebGuardError(f"the token file {shown} is not a regular file. Check --token-file.")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise WebGuardError(
            f"the token file {shown} belongs to another user; use a file of your own (chmod 600)."
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        raise WebGuardError(
            f"the token file {shown} can be read or changed by other users (mode {mode:04o}); "
            f"make it private with: chmod 600 {shown}"
        )
    try:
        text = Path(path).read_text(encoding="ascii")
    except UnicodeDecodeError:
        text = ""
    except OSError as exc:
        raise WebGuardError(f"cannot read the token file {shown}: {exc.strerror or exc}") from None
    token = text.strip()
    if not TOKEN_PATTERN.fullmatch(token):
        raise WebGuardError(
            f"the token file {shown} must hold one token of at least 32 letters, digits, "
            f"'-' or '_' on one line; remove it and stretchtui serve makes a new one"
        )
    return token, False


def split_host(text: str) -> tuple[str, int | None] | None:
    """``"Name:8000"`` -> ``("name", 8000)``; ``"[::1]:80"`` -> ``("::1", 80)``;
    ``"name"`` -> ``("name", None)``. None when it is not a host[:port]."""
    text = text.strip()
    if not text or any(c in text for c in "/\\@?#% \t"):
        return None
    port_text = ""
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        name, rest = text[1:end], text[end + 1:]
        if rest:
            if not rest.startswith(":"):
                return None
            port_text = rest[1:]
    elif text.count(":") == 1:
        name, port_text = text.split(":")
    elif ":" in text:  # a bare IPv6 address is not a valid Host
        return None
    else:
        name = text
    name = name.rstrip(".").casefold()
    if not name:
        return None
    if port_text == "" and (text.endswith(":")):
        return None
    port: int | None = None
    if port_text:
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            return None
        port = int(port_text)
    return name, port


def parse_allow_host(value: str, port: int) -> tuple[str, int]:
    """An ``--allow-host`` value as (name, port); the serve port when none is given."""
    parsed = split_host(value)
    if parsed is None:
        raise WebGuardError(
            f"--allow-host takes a host name, optionally with a port "
            f"(stretch.example.org or stretch.example.org:443), not {value!r}"
        )
    name, given = parsed
    return name, port if given is None else given


@dataclass
class Guard:
    """The token and the addresses this server answers to."""

    token: str = field(repr=False)
    port: int
    bound_host: str = "127.0.0.1"
    allow_hosts: Iterable[str] = ()
    allowed: set[tuple[str, int]] = field(init=False)

    def __post_init__(self) -> None:
        self.allowed = {("localhost", self.port)}
        bound = self.bound_host.strip().strip("[]").casefold()
        if bound not in _WILDCARDS:
            self.allowed.add((bound, self.port))
        if bound == "localhost" or bound in _WILDCARDS:
            # Loopback is among the addresses it listens on (a tunnel's end).
            self.allowed.update({("127.0.0.1", self.port), ("::1", self.port)})
        for value in self.allow_hosts:
            self.allowed.add(parse_allow_host(value, self.port))

    @property
    def storage_key(self) -> str:
        """The tab's ``sessionStorage`` key for the token (storage is per origin)."""
        return "stretchtui-token"

    # -- the checks ---------------------------------------------------------
    def host_ok(self, host: str | None) -> bool:
        """Whether a ``Host`` header names this server."""
        parsed = split_host(host or "")
        if parsed is None:
            return False
        name, port = parsed
        if port is None:  # the browser used the scheme's default port
            return (name, 80) in self.allowed or (name, 443) in self.allowed
        return (name, port) in self.allowed

    def origin_ok(self, origin: str | None) -> bool:
        """Whether an ``Origin`` header is one of this server's own pages."""
        if not origin or origin.strip() == "null":
            return False
        try:
            parts = urlsplit(origin.strip())
            port = parts.port
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        if parts.path not in ("", "/") or parts.query or parts.username or parts.password:
            return False
        # The scheme is not compared: one host and port is one listener, which
        # speaks either HTTP or HTTPS (a reverse proxy's), never both.
        name = parts.hostname.rstrip(".").casefold()
        return (name, port or DEFAULT_PORTS[parts.scheme]) in self.allowed

    def token_ok(self, candidate: str | None) -> bool:
        """Constant-time comparison with the server's token."""
        if not candidate:
            return False
        return hmac.compare_digest(candidate.encode("utf-8", "replace"), self.token.encode("ascii"))

    # -- the middleware -------------------------------------------------------
    @web.middleware
    async def middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not self.host_ok(request.headers.get("Host")):
            return forbidden(WRONG_HOST_TEXT)
        if (
            request.path.startswith(PUBLIC_PREFIXES)
            and ".." not in request.path
            and TOKEN_PARAM not in request.query
        ):
            request[GUARDED] = True
            response = await handler(request)
            if not response.prepared:
                add_safety_headers(response)
            return response
        if WS_TOKEN in request.match_info:
            allowed = self.token_ok(request.match_info[WS_TOKEN])
        else:
            allowed = self.token_ok(request.query.get(TOKEN_PARAM))
        if not allowed:
            if request.path == "/":
                return self.need_token_page()
            return forbidden(NEED_TOKEN_TEXT)
        if request.headers.get("Upgrade", "").casefold() == "websocket" or request.path.startswith("/ws"):
            if not self.origin_ok(request.headers.get("Origin")):
                return forbidden(WRONG_ORIGIN_TEXT)
        request[GUARDED] = True
        response = await handler(request)
        if not response.prepared:  # a WebSocket is already under way
            add_safety_headers(response)
        return response

    def need_token_page(self) -> web.Response:
        """The 403 for the page itself: the text, and the reload script."""
        nonce = secrets.token_urlsafe(16)
        body = NEED_TOKEN_PAGE.format(
            text=html.escape(NEED_TOKEN_TEXT.strip()), nonce=nonce, key=self.storage_key, param=TOKEN_PARAM
        )
        response = web.Response(status=403, text=body, content_type="text/html", charset="utf-8")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; frame-ancestors 'none'; base-uri 'none'"
        )
        add_safety_headers(response)
        return response

    def page_host(self, request: web.Request) -> str:
        """The host[:port] the browser used for the page (a reverse proxy's
        ``X-Forwarded-Host`` when it names an allowed address)."""
        forwarded = request.headers.get("X-Forwarded-Host", "").split(",")[0].strip()
        if forwarded and self.host_ok(forwarded):
            return forwarded
        return request.host


def forwarded_scheme(request: web.Request) -> str:
    """``http`` or ``https`` as the browser sees it (behind a reverse proxy too)."""
    scheme = request.headers.get("X-Forwarded-Proto", "").split(",")[0].strip().casefold()
    return scheme if scheme in ("http", "https") else request.scheme


def add_safety_headers(response: web.StreamResponse) -> None:
    """Headers for every response: no referrer, no sniffing, no framing."""
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")


def forbidden(text: str) -> web.Response:
    response = web.Response(status=403, text=text, content_type="text/plain", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    add_safety_headers(response)
    return response


def unguarded() -> web.Response:
    """What a handler answers if a request reached it without the checks."""
    return web.Response(
        status=500,
        text="stretchtui: the web mode's access checks are not installed; refusing to answer.\n",
        content_type="text/plain",
    )


class RedactToken(logging.Filter):
    """Replaces the token in any log record (aiohttp's access log prints the
    request line, query string included)."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix
            return True
        if self.token in message:
            record.msg = message.replace(self.token, "<token>")
            record.args = None
        return True
