"""The site as a web server publishes it: its address, folder names, embeds, index and feed sizes.

``[tool.localize]`` (or ``localize.toml``) holds these settings at its top level::

    base_url = "https://news.example.org/"   # absolute links, canonical URLs, feeds, sitemap.xml, robots.txt
    folder_names = "bcp47"                    # build/pt-br/; "gettext": build/pt_BR/, as the catalogs' folders
    embed_hosts = ["www.youtube-nocookie.com", "player.vimeo.com"]  # hosts an <iframe> may embed
    page_size = 50                            # articles per index page (0: one page)
    feed_size = 20                            # newest articles in each language's Atom feed
    formats = ["md"]                          # the article pages merge writes; default all: md, html, txt

Without ``base_url`` the pages are written with relative links only, and no
feed, sitemap or robots.txt is written: those formats require absolute URLs.
Without ``html`` in ``formats`` no HTML is made at all (no index, 404 page,
feed or sitemap): a site generator such as Hugo renders the Markdown itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

from localize.errors import ConfigError

FOLDER_STYLES = ("bcp47", "gettext")
# The pages of an article, as ``merge --format`` and the ``formats`` setting name them, in the order they are made.
PAGE_FORMATS = ("md", "html", "txt")
KEYS = frozenset({"base_url", "folder_names", "embed_hosts", "page_size", "feed_size", "formats"})


@dataclass(frozen=True)
class SiteSettings:
    """How the published site is laid out and addressed; ``base_url`` ends with ``/`` or is empty."""

    base_url: str = ""
    folder_names: str = "bcp47"
    embed_hosts: tuple[str, ...] = ()
    page_size: int = 50
    feed_size: int = 20
    formats: tuple[str, ...] = PAGE_FORMATS  # the article pages merge writes (PAGE_FORMATS order)

    def folder(self, code: str) -> str:
        """The output folder of a language: ``pt-br`` (BCP 47, lower case, as web servers and
        Hugo name them) or the catalog's own ``pt_BR``."""
        if self.folder_names == "bcp47":
            return code.replace("_", "-").lower()
        return code

    def url(self, relative: str) -> str:
        """The absolute URL of a file under the output folder; empty without ``base_url``."""
        return self.base_url + relative if self.base_url else ""


def read_site_settings(table: dict[str, Any], error: Callable[[str, str], ConfigError]) -> SiteSettings:
    """The site settings of a configuration table; ``error(message, key)`` makes the error to raise."""
    base_url = table.get("base_url", "")
    if not isinstance(base_url, str):
        raise error("base_url must be a string such as \"https://news.example.org/\"", "base_url")
    if base_url:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise error(f"base_url {base_url!r} is not an absolute http(s) URL such as \"https://news.example.org/\"",
                        "base_url")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    folder_names = table.get("folder_names", "bcp47")
    if folder_names not in FOLDER_STYLES:
        raise error(f"folder_names must be one of {', '.join(FOLDER_STYLES)}", "folder_names")
    hosts = table.get("embed_hosts", [])
    if not isinstance(hosts, list) or not all(isinstance(host, str) and host and "/" not in host for host in hosts):
        raise error("embed_hosts must be a list of host names such as \"player.vimeo.com\"", "embed_hosts")
    sizes = {}
    for key, default in (("page_size", 50), ("feed_size", 20)):
        value = table.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise error(f"{key} must be a whole number, 0 or more", key)
        sizes[key] = value
    formats = table.get("formats", list(PAGE_FORMATS))
    if not isinstance(formats, list) or not formats or not all(isinstance(name, str) for name in formats):
        raise error(f"formats must be a list of page formats such as [\"md\"] ({', '.join(PAGE_FORMATS)})", "formats")
    unknown = [name for name in formats if name not in PAGE_FORMATS]
    if unknown:
        raise error(f"formats: unknown page format {unknown[0]!r} (the formats are {', '.join(PAGE_FORMATS)})",
                    "formats")
    return SiteSettings(base_url=base_url, folder_names=folder_names,
                        embed_hosts=tuple(host.lower() for host in hosts),
                        formats=tuple(name for name in PAGE_FORMATS if name in formats), **sizes)
