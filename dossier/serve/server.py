"""The preview's HTTP and WebSocket side: livereload's handlers, made safe.

livereload 2.7.1 accepts any Origin on its websocket, never checks Host (so DNS
rebinding lets any web page read drafts), and drops reloads that come within
3 s of the previous one. Here every request checks Host, the websocket and
the reload/status endpoints refuse foreign origins, and reloads are pushed by us
after each build, never through livereload's throttled poller.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from livereload import handlers as lr
from livereload.server import LiveScriptInjector
from tornado import web
from tornado.websocket import WebSocketClosedError

CLIENT_JS = Path(__file__).with_name("client.js")
STATUS_PATH = "__dossier__/status"
SEARCH_PATH = "__dossier__/search"  # the search index changed: the search page reloads
SCRIPT = b'<script src="/__dossier/client.js"></script>'

lr.LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop a reload, should anything call it


@dataclass
class ServerState:
    """What the handlers need to know: where, what is served, and the last outcome."""

    root: Path
    base_path: str
    port: int
    host: str
    ok: bool = True
    problems: list[str] = field(default_factory=list)
    generation: int = 0

    def host_allowed(self, netloc: str, default_port: int = 80) -> bool:
        """Our own port on localhost, an IP literal, or the name we were asked to bind.

        A DNS-rebinding page reaches us under its own host name, which fails here."""
        try:
            parts = urlsplit("//" + netloc)
            name, port = parts.hostname, parts.port or default_port
        except ValueError:
            return False
        if not name or port != self.port:
            return False
        if name in ("localhost", self.host.lower()):
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def origin_allowed(self, origin: str) -> bool:
        parts = urlsplit(origin)
        return parts.scheme == "http" and self.host_allowed(parts.netloc)


class Guarded:
    """Host checked on every request; ``same_origin_only`` endpoints also check Origin."""

    state: ServerState
    same_origin_only = False

    def initialize(self, state: ServerState, **kwargs: object) -> None:
        self.state = state
        init = getattr(super(), "initialize", None)
        if init is not None:
            init(**kwargs)

    def prepare(self) -> None:
        req = self.request  # type: ignore[attr-defined]
        if not self.state.host_allowed(req.host):
            raise web.HTTPError(403, "foreign Host header %s", req.host)
        origin = req.headers.get("Origin")
        if self.same_origin_only:
            if origin is not None and not self.state.origin_allowed(origin):
                raise web.HTTPError(403, "cross-origin request from %s", origin)
            if req.headers.get("Sec-Fetch-Site") == "cross-site":
                raise web.HTTPError(403, "cross-site request")


class ReloadSocket(Guarded, lr.LiveReloadHandler):
    """livereload's protocol handler, minus its trust in every Origin."""

    same_origin_only = True

    def check_origin(self, origin: str) -> bool:
        return self.state.origin_allowed(origin)


def broadcast(message: dict[str, object]) -> int:
    """Send to every connected tab now; a tab that has gone away is forgotten."""
    text = json.dumps(message)
    sent = 0
    for waiter in list(lr.LiveReloadHandler.waiters):
        try:
            waiter.write_message(text)
            sent += 1
        except WebSocketClosedError:
            lr.LiveReloadHandler.waiters.discard(waiter)
    return sent


def reload_message(path: str) -> dict[str, object]:
    return {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}


class LiveReloadJS(Guarded, lr.LiveReloadJSHandler):
    pass


class ForceReload(Guarded, web.RequestHandler):
    same_origin_only = True

    def get(self) -> None:
        broadcast(reload_message(self.get_argument("path", "*")))
        self.write("ok")


class ClientJS(Guarded, web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(CLIENT_JS.read_bytes())


class Status(Guarded, web.RequestHandler):
    same_origin_only = True

    def get(self) -> None:
        s = self.state
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"ok": s.ok, "generation": s.generation, "problems": s.problems}))


class Files(Guarded, lr.StaticFileHandler):
    """The preview folder, under base_url's path; tornado refuses `..` and symlinks out."""

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        if "\x00" in path or "\\" in path:
            raise web.HTTPError(404)
        await super().get(path, include_body)

    # A rebuild replaces files while they are being served. Tornado takes a file's size
    # from one stat and its bytes from a later open, so a reader could get the old size
    # with the new bytes (a truncated response). One snapshot per request serves both.
    def _snapshot(self) -> bytes:
        data = getattr(self, "_dossier_bytes", None)
        if data is None:
            with open(self.absolute_path, "rb") as f:
                data = self._dossier_bytes = f.read()
        return data

    def get_content_size(self) -> int:
        return len(self._snapshot())

    def get_content(self, abspath: str, start: int | None = None, end: int | None = None):  # type: ignore[override]
        return self._snapshot()[start:end]

    def compute_etag(self) -> None:  # no-store anyway; the default would reread the file
        return None

    def write_error(self, status_code: int, **kwargs: object) -> None:
        """Missing pages get the site's own 404 page (with the client, for the overlay)."""
        page = self.state.root / "404.html"
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if status_code == 404 and page.is_file():
            self.finish(page.read_bytes())
        else:
            self.finish(
                f"<!DOCTYPE html><html><head><title>{status_code}</title></head>"
                f"<body><h1>{status_code} {self._reason}</h1></body></html>"
            )


class Redirect(Guarded, web.RedirectHandler):
    pass


def make_app(state: ServerState) -> web.Application:
    class Inject(LiveScriptInjector):
        script = SCRIPT

    guard: dict[str, object] = {"state": state}
    base = state.base_path
    routes: list[tuple[str, type, dict[str, object]]] = [
        (r"/livereload", ReloadSocket, guard),
        (r"/livereload\.js", LiveReloadJS, guard),
        (r"/forcereload", ForceReload, guard),
        (r"/__dossier/client\.js", ClientJS, guard),
        (r"/__dossier/status", Status, guard),
    ]
    if base != "/":
        routes.append(
            (re.escape(base.rstrip("/")), Redirect, {**guard, "url": base, "permanent": False})
        )
        routes.append((r"/", Redirect, {**guard, "url": base, "permanent": False}))
    routes.append(
        (
            re.escape(base) + r"(.*)",
            Files,
            {**guard, "path": str(state.root), "default_filename": "index.html"},
        )
    )
    routes.append((r"/.*", NotFound, guard))
    return web.Application(routes, transforms=[Inject], compress_response=False)


class NotFound(Guarded, web.RequestHandler):
    def get(self) -> None:
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs: object) -> None:
        self.finish(
            f"<!DOCTYPE html><html><head><title>{status_code}</title></head><body>"
            f"<p>The preview lives under <a href='{self.state.base_path}'>"
            f"{self.state.base_path}</a>.</p></body></html>"
        )
