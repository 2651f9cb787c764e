"""A reverse proxy in front of a test server that adds headers to every request it passes on, the WebSocket's
handshake included: what an authenticating proxy (oauth2-proxy and the like) does in front of a team server.

A browser's own extra headers (Playwright's ``extra_http_headers``) reach the page's requests but, in some
Chromium builds (150 among them), not the WebSocket's handshake, where Streamlit reads them; so the tests put
a proxy where production has one. Built on ``websockets`` (which Streamlit itself uses): its server answers
plain HTTP requests through ``process_request``, so one port takes both the page and its WebSocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence

from websockets.asyncio.client import ClientConnection, connect
from websockets.asyncio.server import Server as WebSocketServer
from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from .server import free_port

# Hop-by-hop headers and those the proxy sets itself: never passed on as they came.
_NOT_PASSED = {"host", "connection", "upgrade", "keep-alive", "transfer-encoding", "content-length",
               "content-encoding", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions",
               "sec-websocket-protocol", "sec-websocket-accept"}


class HeaderProxy:
    """Passes each request to ``upstream`` (``http://host:port``) with ``headers`` set, as a context manager
    that starts the proxy on a free local port (``url``) and stops it."""

    def __init__(self, upstream: str, headers: Mapping[str, str]) -> None:
        self.upstream = upstream.rstrip("/")
        # On the wire as UTF-8, as proxies send a name like 王五 (HTTP libraries write header text as Latin-1).
        self.headers = {name: value.encode("utf-8").decode("latin-1") for name, value in headers.items()}
        self._set = {name.lower() for name in self.headers}  # what the browser sends of these is dropped
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: WebSocketServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> HeaderProxy:
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(self._serve(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            asyncio.run_coroutine_threadsafe(self._server.wait_closed(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _serve(self) -> WebSocketServer:
        return await serve(self._relay, "127.0.0.1", self.port, process_request=self._http,
                           select_subprotocol=_first_offered, max_size=None, compression=None)

    def _passed(self, headers: Headers) -> list[tuple[str, str]]:
        kept = [(k, v) for k, v in headers.raw_items() if k.lower() not in _NOT_PASSED | self._set]
        return kept + list(self.headers.items())

    async def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        """A plain request (the page, its assets, the health check): fetched from upstream and answered."""
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return None  # the handshake goes on, then _relay
        return await asyncio.to_thread(self._fetch, request.path, self._passed(request.headers))

    def _fetch(self, path: str, headers: Sequence[tuple[str, str]]) -> Response:
        asked = urllib.request.Request(self.upstream + path, headers=dict(headers))
        try:
            with urllib.request.urlopen(asked, timeout=30) as answer:
                status, reason, got, body = answer.status, answer.reason, answer.headers, answer.read()
        except urllib.error.HTTPError as refused:
            status, reason, got, body = refused.code, refused.reason, refused.headers, refused.read()
        out = Headers([(k, v) for k, v in got.items() if k.lower() not in _NOT_PASSED])
        out["Content-Length"] = str(len(body))
        return Response(status, str(reason), out, body)

    async def _relay(self, browser: ServerConnection) -> None:
        """The WebSocket: opened upstream with the headers set, then every message passed on both ways."""
        request = browser.request
        assert request is not None, "a relay starts after the handshake"
        offered = [p.strip() for value in request.headers.get_all("Sec-WebSocket-Protocol")
                   for p in value.split(",") if p.strip()]
        target = "ws" + self.upstream.removeprefix("http") + request.path
        async with connect(target, additional_headers=self._passed(request.headers), max_size=None,
                           subprotocols=[Subprotocol(p) for p in offered] or None, compression=None) as server:
            await asyncio.gather(_pass_on(browser, server), _pass_on(server, browser))


async def _pass_on(source: ServerConnection | ClientConnection, sink: ServerConnection | ClientConnection) -> None:
    """Every message from ``source`` to ``sink`` until either closes; then the other is closed too."""
    with contextlib.suppress(ConnectionClosed):
        async for message in source:
            await sink.send(message)
    with contextlib.suppress(ConnectionClosed):
        await sink.close()


def _first_offered(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
    """The browser's own first choice of subprotocol (Streamlit's client offers "streamlit" first)."""
    return offered[0] if offered else None
