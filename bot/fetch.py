"""``faqbot import URL``: save a web page as a knowledge source.

The page is fetched with :mod:`urllib` (a timeout, a size limit, HTML only)
and saved as UTF-8 with ``<meta name="faqbot:source" content="URL">`` in its
head, which the HTML loader (:mod:`bot.knowledge.html`) reads so that answers
can cite the original page. Every failure is a :class:`FetchError` saying
what went wrong: the host, the connection, the HTTP status, the content type,
the size or the time.
"""
from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.dammit import UnicodeDammit

from .errors import FetchError
from .knowledge import slug
from .knowledge.html import SOURCE_META

DEFAULT_TIMEOUT = 15.0           # seconds, to connect and for each read
DEFAULT_MAX_BYTES = 5_000_000    # a help page is far smaller; this stops runaway downloads
HTML_TYPES = ("text/html", "application/xhtml+xml")
USER_AGENT = "faqbot-import/0.1 (+https://github.com/; saves a help page as a knowledge source)"


@dataclass(frozen=True)
class Page:
    """A fetched page: the address asked for, where it ended up (redirects), its HTML."""

    url: str
    final_url: str
    html: str


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> Page:
    """Fetch an HTML page, or raise :class:`FetchError` saying why not."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, "only http:// and https:// addresses can be imported")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT,
                                                   "Accept": "text/html,application/xhtml+xml;q=0.9"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            ctype = response.headers.get_content_type()
            if ctype not in HTML_TYPES:
                raise FetchError(url, f"not an HTML page (Content-Type {ctype}); "
                                      "save other documents as files in the knowledge directory")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(url, f"too large ({int(length):,} bytes; the limit is {max_bytes:,})")
            raw = response.read(max_bytes + 1)
            if len(raw) > max_bytes:
                raise FetchError(url, f"too large (more than {max_bytes:,} bytes)")
            charset = response.headers.get_content_charset()
            final_url = response.geturl()
    except FetchError:
        raise
    except urllib.error.HTTPError as e:
        raise FetchError(url, f"the server answered HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise FetchError(url, _reason(e.reason, parts.hostname, timeout)) from None
    except (TimeoutError, socket.timeout):
        raise FetchError(url, f"timed out after {timeout:g} s") from None
    except (ConnectionError, OSError) as e:
        raise FetchError(url, _reason(e, parts.hostname, timeout)) from None
    dammit = UnicodeDammit(raw, [charset] if charset else [], is_html=True)
    if dammit.unicode_markup is None:
        raise FetchError(url, "cannot decode the page's text")
    return Page(url=url, final_url=final_url or url, html=dammit.unicode_markup)


def _reason(reason, host: str, timeout: float) -> str:
    if isinstance(reason, socket.gaierror):
        return f"cannot find the host {host} (DNS: {reason.strerror or reason})"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return f"cannot connect to {host}: connection refused"
    return f"cannot connect to {host} ({getattr(reason, 'strerror', None) or reason})"


def with_source(html: str, url: str) -> str:
    """The page with ``<meta name="faqbot:source" content=url>`` (and a UTF-8 charset) in its head."""
    soup = BeautifulSoup(html, "lxml")
    for old in soup.find_all("meta", attrs={"name": SOURCE_META}):
        old.decompose()
    for old in soup.find_all("meta", attrs={"charset": True}):
        old.decompose()
    for old in soup.find_all("meta", attrs={"http-equiv": lambda v: v and v.lower() == "content-type"}):
        old.decompose()
    if soup.html is None:
        soup.append(soup.new_tag("html"))
    head = soup.head
    if head is None:
        head = soup.new_tag("head")
        soup.html.insert(0, head)
    head.insert(0, soup.new_tag("meta", attrs={"name": SOURCE_META, "content": url}))
    head.insert(0, soup.new_tag("meta", attrs={"charset": "utf-8"}))
    return str(soup)


def default_name(url: str) -> str:
    """A file name for a page: ``https://example.com/help/faq.html`` -> ``example-com-help-faq.html``."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rsplit(".", 1)[0] if parts.path.lower().endswith((".html", ".htm")) else parts.path
    host = parts.hostname or "page"
    host = host[4:] if host.startswith("www.") else host
    return slug(f"{host} {path.replace('/', ' ')}") + ".html"


def import_page(url: str, out: Path | None = None, directory: Path | str = "knowledge", *,
                force: bool = False, timeout: float = DEFAULT_TIMEOUT,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Path:
    """Fetch ``url`` and save it as ``out`` (default: ``directory/<host-path>.html``); returns the path."""
    out = Path(out) if out else Path(directory) / default_name(url)
    if out.suffix.lower() not in (".html", ".htm"):
        raise FetchError(url, f"--out must name an .html file (got {out})")
    if out.exists() and not force:
        raise FetchError(url, f"{out} already exists (use --force to replace it)")
    page = fetch(url, timeout=timeout, max_bytes=max_bytes)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(with_source(page.html, page.final_url), encoding="utf-8")
    return out
