"""reader.report.html without a browser: the page's structure (parsed by the standard library's
HTML parser, as a browser tokenises it), every hostile string shown as its literal text and never
as markup, nothing loaded from the network, the translation state, the marked values, and
``reader align --format html``."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from html_reports import HOSTILE, benchmark_report, hostile_report, sample_report

from reader import cli, pipeline
from reader.model import Report
from reader.report import to_html
from reader.report.html_page import CONTENT_SECURITY_POLICY, SCRIPT, STYLE
from reader.untrusted import html_text, visible

# every element the page makes; an article can add none
TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "a", "ul", "ol", "li",
        "details", "summary", "section", "header", "span", "bdi", "mark", "div", "strong", "script"}


class _Page(HTMLParser):
    """A page as a browser's tokeniser sees it: its elements with their attributes, its text, and
    what its script and style elements hold."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag != "meta":  # the one void element the page has
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1] in self.raw:
            self.raw[self._open[-1]].append(data)
        else:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        raise AssertionError(f"a comment in the page: {data!r}")

    def handle_pi(self, data: str) -> None:
        raise AssertionError(f"a processing instruction in the page: {data!r}")

    def unknown_decl(self, data: str) -> None:
        raise AssertionError(f"a declaration in the page: {data!r}")

    def all_text(self) -> str:
        return "".join(self.text)


def _assert_only_the_pages_own_markup(page: _Page) -> None:
    tags = {tag for tag, _ in page.elements}
    assert tags <= TAGS, tags - TAGS
    assert page.raw["script"] == [SCRIPT] and page.raw["style"] == [STYLE]
    for tag, attrs in page.elements:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert "src" not in attrs and "style" not in attrs and "srcdoc" not in attrs, (tag, attrs)
        if "href" in attrs:  # only the page's own anchors, made from positions
            assert re.fullmatch(r"#(k\d+|d\d+(-s\d+)?|articles)", attrs["href"] or ""), attrs
    metas = [attrs for tag, attrs in page.elements if tag == "meta"]
    assert [m.get("http-equiv") for m in metas if "http-equiv" in m] == ["Content-Security-Policy"]


# ------------------------------------------------------------------ untrusted.html_text
@pytest.mark.parametrize("text", list(HOSTILE.values()), ids=list(HOSTILE))
def test_html_text_reads_back_as_the_literal_visible_text(text: str) -> None:
    escaped = html_text(text)
    assert not set("<>\"'") & set(escaped)
    assert "\x1b" not in escaped and "\x00" not in escaped and "\u202e" not in escaped
    assert _Page(f"<p title=\"{escaped}\">{escaped}</p>").all_text() == visible(text)
    assert _Page(f"<p title=\"{escaped}\">x</p>").elements == [("p", {"title": visible(text)})]


# ------------------------------------------------------------------ the page
def test_a_hostile_article_leaves_no_tag_attribute_link_or_entity_in_the_page() -> None:
    report = hostile_report()
    html = to_html(report)
    page = _Page(html)
    _assert_only_the_pages_own_markup(page)
    assert html.lower().count("<script") == 1
    text = page.all_text()
    for name, hostile in HOSTILE.items():  # each shown as written (controls as symbols), in the text
        assert visible(hostile) in text, name
    doc = report.documents[0]
    for shown in (doc.id, doc.article.path, doc.article.url, report.claims[0].id, report.claims[0].discrepancies[0].kind):
        assert visible(shown) in text
    langs = {attrs.get("lang") for _, attrs in page.elements if "lang" in attrs}
    assert visible(doc.article.lang) in langs  # a hostile language stays inside its quoted attribute


def test_the_page_loads_nothing_from_anywhere(tmp_path: Path) -> None:
    for report in (sample_report(), benchmark_report(tmp_path)):  # articles that hold none of these strings
        html = to_html(report)
        _assert_only_the_pages_own_markup(_Page(html))
        for marker in ("<link", "@import", "url(", "src=", "@font-face", "<iframe", "<object", "<embed", "<img"):
            assert marker not in html.lower(), marker
        assert not re.search(r"(href|action)\s*=\s*[\"']?\s*(https?:|//|data:|javascript:)", html, re.IGNORECASE)
    _assert_only_the_pages_own_markup(_Page(to_html(hostile_report())))  # where they are article text
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_every_claim_flag_outlet_and_article_of_the_sample_is_in_the_page() -> None:
    report = sample_report()
    page = _Page(to_html(report))
    text = page.all_text()
    sections = [attrs for tag, attrs in page.elements if tag == "section"]
    assert len(sections) == len(report.claims)
    for claim in report.claims:
        assert f"{claim.id}" in text
        for d in claim.discrepancies:
            assert visible(d.detail) in text and all(visible(v) in text for v in d.values.values())
        for sid in claim.sentence_ids():
            s = report.sentence(sid)
            assert visible(s.text) in text and visible(s.translation or "") in text
    articles = [attrs for tag, attrs in page.elements if tag == "details" and attrs.get("class") == "article"]
    assert len(articles) == len(report.documents)
    assert len([a for tag, a in page.elements if "sentence" in (a.get("class") or "").split()]) == sum(
        len(d.sentences) for d in report.documents)
    originals = [a for tag, a in page.elements if a.get("class") == "original"]
    assert {a["lang"] for a in originals} == {"ar", "hi", "ru"} and all(a["dir"] == "auto" for a in originals)
    for omission in report.omissions:
        assert visible(omission.detail) in text
    assert "No translation was available" not in text


def test_the_differing_values_are_marked_and_no_translation_is_said_at_the_top(tmp_path: Path) -> None:
    report = benchmark_report(tmp_path)
    html = to_html(report)
    text = _Page(html).all_text()
    assert text.index("No translation was available") < text.index("Claims (")
    marked = re.findall(r"<mark>(.*?)</mark>", html)
    for claim in report.claims:
        for d in claim.discrepancies:
            for spans in d.spans.values():
                for span in spans:
                    s = report.sentence(span.sentence)
                    assert html_text(s.text[span.start - s.start : span.end - s.start]) in marked
    assert len(report.documents) == 30 and html.count('class="article"') == 30
    # what each outlet leaves out: one line per outlet that leaves something out
    left_out = {doc for o in report.omissions for doc, value in o.values.items() if value == ""}
    assert len(re.findall(r"leaves out \d+ that other outlets carry", text)) == len(left_out) > 0


def test_a_saved_reports_spans_outside_their_sentence_mark_nothing_and_break_nothing() -> None:
    from dataclasses import replace

    from reader.model import Span

    report = hostile_report()
    claim = report.claims[0]
    s = report.documents[1].sentences[1]
    wild = replace(claim.discrepancies[0], spans={"en-1": (Span(s.id, -50, 3), Span(s.id, 10**9, 10**9 + 5),
                                                           Span(s.id, s.end, s.start))})
    html = to_html(replace(report, claims=(replace(claim, discrepancies=(wild,)),)))
    assert html.count("<mark>") == 0  # the first starts before the article, ends before this sentence
    assert visible(s.text) in _Page(html).all_text()


def test_a_report_with_some_languages_untranslated_names_them(tmp_path: Path) -> None:
    report = sample_report()
    report = Report(report.documents, report.claims, report.unmatched, report.omissions,
                    meta={"untranslated_languages": ["hi"]})
    text = _Page(to_html(report)).all_text()
    assert "Not translated: hi" in text and "No translation was available" not in text


def test_align_format_html_writes_the_page_on_stdout(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    report = sample_report()
    monkeypatch.setattr(pipeline, "build_report", lambda paths, settings, progress, on_error: report)
    out, err = io.StringIO(), io.StringIO()
    assert cli.main(["align", str(tmp_path), "--format", "html"], out=out, err=err) == 0, err.getvalue()
    assert out.getvalue() == to_html(report)
    assert "<!DOCTYPE html>" not in err.getvalue()
