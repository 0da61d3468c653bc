"""An HTML page -> its article text and metadata.

Main text
    trafilatura finds the article in the page and leaves out what surrounds it:
    navigation, header and footer, sidebars, "most read" lists, comments. Its text
    is used when it finds at least ``MIN_ARTICLE`` characters by its main extractor
    (its rescue pass, which takes the raw text of the whole page, is switched off);
    one line per paragraph, heading, list item or table cell. A page with less (a
    note of two lines), or one trafilatura cannot read, is read whole by the
    standard library's parser as before: one line per block element,
    ``script``/``style``/``noscript``/``template``/``svg`` content dropped.

Metadata
    With trafilatura's article: its title (``og:title``, the single ``<h1>`` or the
    ``<title>`` without the site's name), its date (htmldate: meta tags, JSON-LD,
    ``<time>``, the URL; never a guess from the text) and its site name, each
    falling back to the parser's. The parser's: the title from ``<title>`` (else
    the first ``<h1>``, else ``og:title``), date/outlet/url from common ``<meta>``
    tags (``article:published_time``, ``og:site_name``, ``og:url``…) or
    ``<link rel=canonical>``, the language from ``<html lang>`` or a language meta
    tag (always the parser's).

Nothing is fetched: trafilatura gets the page as a string and no URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

#: Characters of main text trafilatura must find for its extraction to be used
#: (trafilatura's own MIN_EXTRACTED_SIZE; below it, its extractor is unsure).
MIN_ARTICLE = 250


@dataclass(frozen=True)
class Page:
    text: str  # one line per block; may be empty
    title: str | None = None
    published: str | None = None  # as the page writes it (ingest normalises it)
    outlet: str | None = None
    url: str | None = None
    lang: str | None = None  # as the page declares it (``en-GB``)


def extract(html: str) -> Page:
    """The article of an HTML page (see the module docstring); never raises for bad HTML."""
    whole = _parsed(html)
    article = _main_text(html)
    if article is None:
        return whole
    return Page(
        text=_lines(article.text or ""),
        title=_clean(article.title) or whole.title,
        published=_clean(article.date) or whole.published,
        outlet=_clean(article.sitename) or whole.outlet,
        url=whole.url or _clean(article.url),
        lang=whole.lang,
    )


# --- trafilatura -------------------------------------------------------------------

_config: Any = None


def _trafilatura_config() -> Any:
    global _config
    if _config is None:
        from copy import deepcopy

        from trafilatura.settings import DEFAULT_CONFIG

        config = deepcopy(DEFAULT_CONFIG)
        # no rescue by the raw text of the whole page (navigation included, inline tags split
        # into lines) when the main extractor finds little: the parser below reads such pages
        config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
        _config = config
    return _config


def _main_text(html: str) -> Any:
    """trafilatura's document for ``html`` when its main text is long enough, else ``None``."""
    try:
        import trafilatura

        document = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
            config=_trafilatura_config(),
        )
    except Exception:  # noqa: BLE001 - a page trafilatura chokes on is read by the parser
        return None
    if document is None or len((document.text or "").strip()) < MIN_ARTICLE:
        return None
    return document


_TABLE_RULE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")


def _lines(text: str) -> str:
    """trafilatura's plain text as reader's: list markers dropped, table rows one cell a line."""
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _TABLE_RULE.fullmatch(line):
            continue
        if len(line) > 1 and line[0] == "|" and line[-1] == "|":
            out.extend(cell for c in line[1:-1].split("|") if (cell := c.strip()))
            continue
        if line.startswith("- "):
            line = line[2:].lstrip()
        out.append(line)
    return "\n".join(out)


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


# --- the standard library's parser -----------------------------------------------------


class _HTMLText(HTMLParser):
    """Collects block-separated text and metadata from an HTML page."""

    BLOCKS = frozenset(
        "address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer "
        "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table td th tr ul".split()
    )
    DROP = frozenset({"script", "style", "noscript", "template", "svg"})
    VOID = frozenset({"meta", "link", "br", "hr", "img", "input", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.drop_depth = 0
        self.in_title = False
        self.in_h1 = False
        self.title = ""
        self.h1 = ""
        self.h1_seen = False
        self.lang: str | None = None
        self.meta: dict[str, str] = {}
        self.canonical: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and a.get("lang"):
            self.lang = a["lang"]
        elif tag == "meta":
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key and a.get("content"):
                self.meta.setdefault(key, a["content"])
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.canonical = a["href"]
        elif tag == "title":
            self.in_title = True
        if tag in self.DROP:
            self.drop_depth += 1
        if tag in self.BLOCKS:
            self.flush()
        if tag == "h1":
            self.in_h1 = True

    def handle_endtag(self, tag: str) -> None:
        if tag in self.DROP and self.drop_depth:
            self.drop_depth -= 1
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
            self.h1_seen = True
        if tag in self.BLOCKS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
            return
        if self.drop_depth:
            return
        if self.in_h1 and not self.h1_seen:
            self.h1 += data
        self.current.append(data)

    def flush(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def close(self) -> None:
        super().close()
        self.flush()


_HTML_DATE = ("article:published_time", "datepublished", "date", "pubdate", "publish-date", "dc.date", "dcterms.date")
_HTML_OUTLET = ("og:site_name", "application-name", "publisher", "dc.publisher")
_HTML_LANG = ("content-language", "dc.language", "og:locale")


def _parsed(html: str) -> Page:
    """The whole page's text and its metadata, by the standard library's parser."""
    parser = _HTMLText()
    try:
        parser.feed(html)
        parser.close()
    except AssertionError:
        # html.parser gives up on some malformed markup ("<![foo"): what it read is kept
        parser.flush()
    title = " ".join(parser.title.split()) or " ".join(parser.h1.split()) or parser.meta.get("og:title")
    return Page(
        text="\n".join(parser.lines),
        title=title or None,
        published=next((parser.meta[k] for k in _HTML_DATE if k in parser.meta), None),
        outlet=next((parser.meta[k] for k in _HTML_OUTLET if k in parser.meta), None),
        url=parser.meta.get("og:url") or parser.canonical,
        lang=parser.lang or next((parser.meta[k] for k in _HTML_LANG if k in parser.meta), None),
    )
