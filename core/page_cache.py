"""Rendered pages kept per process, served again until the data changes.

A busy page (a dashboard, a canvas board, round results) is read far more
often than anything on it changes. Views marked ``@cacheable`` keep their
rendered HTML in this process's memory under a key of

- the viewer's login session and cookies (so a page, with its CSRF tokens, only
  ever goes back to the session it was made for, and anything a view reads from
  Flask's session is part of the key), the host, path, query string and
  ``Accept`` header;
- the data version (``core.data_version``: any committed write, by any
  process, changes it) and the enabled-tools stamp, both read with the
  session row in the statement every signed-in request already runs.

Every check still runs on a hit: the session must be live, cluster access
(``core.clusters.access``) and the view's own decorators are decided before the
cache is asked; only the view's body is skipped. What is not
in the database but on the page — "3 minutes ago", a deadline passing — is
refreshed by a lifetime of ``PAGE_CACHE_SECONDS`` (default 10 seconds).

A request with ``Cache-Control: no-cache`` (a browser's hard reload) renders
the page afresh and stores that. Never cached: anything but a 200 ``text/html`` answer to a GET; htmx fragment
requests; a request with flash messages waiting; a response that changed the
login session (its cookie must go out) or set a cookie. ``PAGE_CACHE_BYTES``
(default 32 MiB per process, least recently used dropped first) bounds the
memory; 0 turns the cache off. A page of 2 KiB or more is also kept
gzip-compressed (compressed once, when stored) and sent so to browsers that
accept it (``Accept-Encoding: gzip``; a 300-note canvas board: 370 kB → 18 kB).
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass
from functools import wraps
from typing import Any, Callable, TypeVar

from cachetools import LRUCache
from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user

F = TypeVar("F", bound=Callable[..., Any])
_EXTENSION = "page_cache"
HIT_HEADER = "X-Page-Cache"
GZIP_MIN_BYTES = 2048  # smaller pages gain less from compression than it costs the browser
#: Headers the app adds to every response itself; a stored page keeps only the view's own.
_NOT_STORED = frozenset({"content-length", "set-cookie", "cache-control", "x-request-id", "content-security-policy",
                         "x-content-type-options", "x-frame-options", "referrer-policy", "permissions-policy",
                         "cross-origin-opener-policy", "strict-transport-security", "vary"})


@dataclass(frozen=True)
class StoredPage:
    body: bytes
    headers: tuple[tuple[str, str], ...]
    stored_at: float  # PageStore.clock(), seconds
    gzipped: bytes | None = None  # the body gzip-compressed once when stored (larger pages only)

    @property
    def size(self) -> int:
        """Bytes held, counted against ``PAGE_CACHE_BYTES`` (with a fixed allowance for the entry)."""
        return len(self.body) + len(self.gzipped or b"") + 512


class PageStore:
    """A byte-bounded LRU of ``StoredPage`` with a lifetime; safe across threads."""

    def __init__(self, max_bytes: int, lifetime_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lifetime = lifetime_seconds
        self.clock = clock  # seconds, monotonic
        self._pages: LRUCache[tuple, StoredPage] = LRUCache(maxsize=max(max_bytes, 1),
                                                           getsizeof=lambda page: page.size)
        self._lock = threading.Lock()
        self.enabled = max_bytes > 0

    def get(self, key: tuple) -> StoredPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None and self.clock() - page.stored_at > self.lifetime:
                del self._pages[key]
                return None
            return page

    def put(self, key: tuple, page: StoredPage) -> None:
        if page.size > self._pages.maxsize:
            return  # larger than the whole cache
        with self._lock:
            self._pages[key] = page

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def cacheable(view: F) -> F:
    """Serve this GET view's page from the store while its key holds; render and store otherwise.

    Put it directly above the ``def``, under the route and every access decorator:
    every check (session, cluster access, blueprint and view decorators) still runs
    on each request; only the view's own body is skipped. The page must depend on
    nothing but the database, the viewer and the URL.
    """

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        key = _key()
        if key is None:
            return view(*args, **kwargs)
        store = store_of(current_app)
        page = store.get(key) if store is not None and not _forced_reload() else None
        if page is not None:
            return _served(page)
        g._page_cache_key = key  # stored by store_rendered_page once the response is final
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def install(app: Flask) -> None:
    """Create this process's store and keep rendered pages after each request (before the app's headers)."""
    app.extensions[_EXTENSION] = PageStore(app.config.get("PAGE_CACHE_BYTES", 32 * 1024 * 1024),
                                           app.config.get("PAGE_CACHE_SECONDS", 10))
    app.after_request(store_rendered_page)


def store_of(app: Flask) -> PageStore | None:
    return app.extensions.get(_EXTENSION)


def clear(app: Flask) -> None:
    """Forget every stored page of this process (tests empty the database between cases)."""
    store = store_of(app)
    if store is not None:
        store.clear()


def _key() -> tuple | None:
    store = store_of(current_app)
    if store is None or not store.enabled or request.method != "GET" or request.headers.get("HX-Request"):
        return None
    if not current_user.is_authenticated:
        return None
    version = g.get("_data_version", False)
    token = getattr(current_user, "auth_session_token", None)
    if version is False or not token or "_flashes" in session:
        return None
    # The whole Cookie header: the login session and anything a view reads from Flask's session.
    return (token, current_user.id, request.headers.get("Cookie", ""), request.host_url, request.endpoint,
            request.full_path, request.headers.get("Accept", ""), version, g.get("_plugin_stamp"))


def _served(page: StoredPage) -> Response:
    # A browser accepts gzip: a stored page is compressed once, then sent compressed every time.
    if page.gzipped is not None and request.accept_encodings["gzip"]:
        response = Response(page.gzipped, status=200, headers=list(page.headers))
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = Response(page.body, status=200, headers=list(page.headers))
    response.vary.add("Accept-Encoding")
    response.headers[HIT_HEADER] = "hit"
    return response


def _forced_reload() -> bool:
    """A browser's hard reload (and ``curl -H 'Cache-Control: no-cache'``) renders afresh."""
    return "no-cache" in request.headers.get("Cache-Control", "") or "no-cache" in request.headers.get("Pragma", "")


def store_rendered_page(response: Response) -> Response:
    """after_request (before the app's own headers): keep a fresh 200 HTML page under its key."""
    key = g.pop("_page_cache_key", None)
    if (key is None or response.status_code != 200 or response.mimetype != "text/html"
            or response.direct_passthrough or response.is_streamed or session.modified
            or "Set-Cookie" in response.headers or "Content-Encoding" in response.headers):
        return response
    store = store_of(current_app)
    if store is not None:
        headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in _NOT_STORED)
        body = response.get_data()
        gzipped = gzip.compress(body, compresslevel=6) if len(body) >= GZIP_MIN_BYTES else None
        store.put(key, StoredPage(body, headers, store.clock(), gzipped))
    return response
