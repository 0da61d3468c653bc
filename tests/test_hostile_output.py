"""Untrusted text where it meets a terminal or a document: every kind of hostile string through
:mod:`reader.untrusted`, the Markdown report, saved reports the app opens, and the app itself."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from pilot import pause_until
from reader import report as fmt
from reader.errors import BadInput
from reader.model import (
    Article,
    Claim,
    Discrepancy,
    Document,
    Member,
    Report,
    Sentence,
    Span,
)
from reader.tui import create_app
from reader.tui.messages import InputSkipped
from reader.tui.screens.error import ErrorDialog
from reader.untrusted import BIDI, markdown, printable, visible

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"

# every kind of string that has reached a terminal or a document raw
HOSTILE = {
    "clear screen": "\x1b[2J\x1b[H",
    "window title (OSC 0)": "\x1b]0;owned\x07",
    "hyperlink (OSC 8)": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "clipboard write (OSC 52)": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "C1 CSI": "\x9b2J",
    "device status query": "\x1b[6n",
    "bell and backspace": "ab\x07\x08\x08c",
    "carriage return overwrite": "safe.txt\rEVIL",
    "newline split": "one\ntwo",
    "NUL and DEL": "a\x00b\x7fc",
    "right-to-left override": "invoice\u202etxt.exe",
    "isolates": "\u2066x\u2069\u2067y\u2069",
    "line separator": "a\u2028b\u2029c\x85d",
    "Textual action markup": "[@click=app.quit]x.txt",
    "Rich markup": "[bold red]loud[/] [link=https://evil.example]x[/link]",
    "script tag": "<script>alert(1)</script>",
    "image onerror": '<img src=x onerror="alert(1)">',
    "javascript link": "[click me](javascript:alert(1))",
    "image": "![x](https://evil.example/pixel.png)",
    "autolink": "<https://evil.example/>",
    "reference link": "[x][1]\n\n[1]: javascript:alert(1)",
    "html entity": "&lt;script&gt;",
    "table break": "a | b | c",
    "code span": "`rm -rf ~`",
    "emphasis": "**bold** _it_ ~~gone~~",
    "heading": "# Heading",
}
CASES = list(HOSTILE.values())
IDS = list(HOSTILE)


def _steering(text: str) -> list[str]:
    return [ch for ch in text if unicodedata.category(ch) == "Cc" or ch in BIDI or ch in "\u2028\u2029\x85"]


@pytest.mark.parametrize("text", CASES, ids=IDS)
def test_printable_leaves_one_line_that_steers_nothing(text: str) -> None:
    out = printable(text)
    assert _steering(out) == []
    assert "\n" not in out and "\r" not in out


@pytest.mark.parametrize("text", CASES, ids=IDS)
def test_visible_keeps_length_and_line_breaks_but_no_escape(text: str) -> None:
    out = visible(text)
    assert len(out) == len(text)  # offsets into article text still hold
    assert [ch for ch in _steering(out) if ch not in "\n\t"] == []
    assert out.count("\n") == text.count("\n")


@pytest.mark.parametrize("text", CASES, ids=IDS)
def test_markdown_renders_as_the_literal_text(text: str) -> None:
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).renderInline(markdown(text))
    lowered = html.lower()
    for forbidden in ("<script", "<img", "<a ", "href", "<strong", "<em", "<code", "<s>", "<h1", "\x1b", "\x9b"):
        assert forbidden not in lowered, (text, html)
    assert "\n" not in markdown(text)


def _report(hostile: str) -> Report:
    sentences = [f"Сегодня в Бишкеке {hostile} прошли переговоры.", f"Putin {hostile} arrived."]
    text = "\n".join(sentences)
    out, at = [], 0
    for i, t in enumerate(sentences):
        out.append(Sentence(f"ru-1:{i}", "ru-1", i, t, at, at + len(t), f"English {hostile}"))
        at += len(t) + 1
    ru = Document(Article("ru-1", f"{hostile}.txt", "ru", text, 0, len(text), title=hostile, outlet=hostile,
                          published="2025-11-26"), tuple(out))
    en_text = f"Talks {hostile} began in Bishkek today."
    en = Document(Article("en-1", "en.txt", "en", en_text, 0, len(en_text), title="Talks"),
                  (Sentence("en-1:0", "en-1", 0, en_text, 0, len(en_text)),))
    at = text.index(hostile)  # the value in bold in its outlet's line: the bold span escaped like the rest
    flag = Discrepancy("number", f"conflicting figure: {hostile}", {"ru-1": hostile, "en-1": "3"},
                       {"ru-1": (Span("ru-1:0", at, at + len(hostile)),)})
    claim = Claim("c1", 0.9, (Member("ru-1", ("ru-1:0",)), Member("en-1", ("en-1:0",))), (flag,))
    left_out = Discrepancy("omission", f"ru-1, en-1 report c1 ({hostile}); {hostile} does not",
                           {"ru-1": out[0].text, "en-1": en_text, hostile: ""})
    return Report((ru, en), (claim,), ("ru-1:1",), (flag, left_out),
                  {"untranslated_languages": [hostile], "errors": [f"{hostile}.txt: unreadable"]})


@pytest.mark.parametrize("text", CASES, ids=IDS)
def test_the_markdown_report_carries_no_markup_from_an_article(text: str) -> None:
    md = fmt.to_markdown(_report(text))
    assert _steering(md.replace("\n", "")) == []
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(md).lower()
    for forbidden in ("<script", "<img", "<a ", "href", "\x1b"):
        assert forbidden not in html, text
    assert "<table" not in html
    # every piece stays on its line: each outlet's line under the claim holds its whole sentence and
    # its English, the flag line every value, the omission line the outlet's claims
    lines = md.split("## Claims (1)")[1].split("\n## ")[0].splitlines()
    ru = [line for line in lines if line.startswith("- **ru-1** (ru · ")]
    assert len(ru) == 1 and ru[0].endswith("прошли переговоры. — *English " + markdown(text) + "*")
    assert f"Сегодня в Бишкеке **{markdown(text)}** прошли" in ru[0]
    en = [line for line in lines if line.startswith("- **en-1** (en): ")]
    assert en == ["- **en-1** (en): Talks " + markdown(text) + " began in Bishkek today."]
    flags = [line for line in lines if line.startswith("- ⚠ ")]
    assert len(flags) == 1 and flags[0].endswith("; en-1: 3")
    omitted = [line for line in md.splitlines() if "leaves out 1 of 1 claim: c1" in line]
    assert omitted == [f"- **{markdown(text)}** leaves out 1 of 1 claim: c1"]


# ------------------------------------------------------------------ saved reports
def _saved(tmp_path: Path, mutate) -> Path:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _set(path: list, value):
    def mutate(data):
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return mutate


BAD_REPORTS = {
    "claim names a missing document": _set(["claims", 0, "members", 0, "document"], "zz-9"),
    "claim names a missing sentence": _set(["claims", 0, "members", 0, "sentences"], ["hi-1:999"]),
    "integer document id": _set(["documents", 0, "id"], 7),
    "integer claim id": _set(["claims", 0, "id"], 3),
    "discrepancy of the wrong shape": _set(["claims", 0, "discrepancies"], [{"kind": "number", "detail": 5,
                                                                            "values": []}]),
    "members not a list": _set(["claims", 0, "members"], 5),
    "documents missing": lambda data: data.pop("documents"),
    "unmatched names a missing sentence": _set(["unmatched"], ["nope:1"]),
}


@pytest.mark.parametrize("mutate", list(BAD_REPORTS.values()), ids=list(BAD_REPORTS))
def test_a_saved_report_of_the_wrong_shape_is_one_error(tmp_path: Path, mutate) -> None:
    with pytest.raises(fmt.NotAReport):
        fmt.from_json(_saved(tmp_path, mutate).read_text(encoding="utf-8"))


def test_a_deeply_nested_saved_report_is_one_error() -> None:
    with pytest.raises(fmt.NotAReport):
        fmt.from_json("[" * 100_000 + "]" * 100_000)


def test_the_fixture_report_passes_the_check() -> None:
    fmt.check(fmt.from_json(FIXTURE.read_text(encoding="utf-8")))


# ------------------------------------------------------------------ the app
@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("name", ["non-UTF-8", *BAD_REPORTS])
async def test_the_app_opens_a_bad_saved_report_as_a_dialog(tmp_path: Path, name: str) -> None:
    if name == "non-UTF-8":
        path = tmp_path / "latin1.json"
        path.write_bytes('{"documents": [], "claims": [], "unmatched": [], "x": "caf\u00e9"}'.encode("latin-1"))
    else:
        path = _saved(tmp_path, BAD_REPORTS[name])
    app = create_app(report_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pause_until(pilot, lambda: isinstance(app.screen, ErrorDialog))
        message = app.screen.message
        assert str(path) in message and "\n" not in message


@pytest.mark.anyio
async def test_the_app_shows_escape_sequences_as_symbols_and_never_sends_them() -> None:
    hostile = "".join(HOSTILE[k] for k in ("window title (OSC 0)", "hyperlink (OSC 8)", "clipboard write (OSC 52)",
                                           "clear screen", "right-to-left override"))
    app = create_app(report=_report(hostile))
    async with app.run_test(size=(120, 40)) as pilot:
        await pause_until(pilot, lambda: app.cursor_id is not None)
        shown = app.index.report
        texts = [s.text for d in shown.documents for s in d.sentences] + [d.article.title for d in shown.documents]
        texts += [x.detail for c in shown.claims for x in c.discrepancies]
        assert all(_steering(t or "") == [] for t in texts)
        assert "␛]0;owned␇" in shown.documents[0].sentences[0].text
        screen = app.export_screenshot()
        assert "\x1b" not in screen and "\x07" not in screen and "\u202e" not in screen


@pytest.mark.anyio
async def test_a_file_name_in_a_notice_is_text_not_an_action() -> None:
    app = create_app(report=_report("x"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pause_until(pilot, lambda: app.cursor_id is not None)
        name = "[@click=app.quit]x\x1b]0;t\x07.txt"
        app.post_message(InputSkipped(str(BadInput(name, "not UTF-8 text"))))
        await pause_until(pilot, lambda: bool(app._notifications))
        note = list(app._notifications)[-1]
        assert note.markup is False
        assert note.message.startswith("[@click=app.quit]x\\x1b]0;t\\x07.txt")
        assert app.is_running  # the "click" quit nothing


def test_the_shown_report_keeps_every_offset() -> None:
    from reader.tui.shown import shown

    report = _report(HOSTILE["window title (OSC 0)"] + HOSTILE["newline split"])
    safe = shown(report)
    for d, e in zip(report.documents, safe.documents):
        for s, t in zip(d.sentences, e.sentences):
            assert (t.start, t.end, len(t.text)) == (s.start, s.end, len(s.text))
            assert e.article.text[t.start:t.end] == t.text


@pytest.mark.anyio
async def test_a_warning_of_reader_shows_as_a_notice_in_the_app() -> None:
    import logging

    app = create_app(report=_report("x"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pause_until(pilot, lambda: app.cursor_id is not None)
        logging.getLogger("reader.store").warning("cache\x1b[2J.sqlite3: damaged; moved it aside")
        await pause_until(pilot, lambda: bool(app._notifications))
        note = list(app._notifications)[-1]
        assert note.message == "cache\\x1b[2J.sqlite3: damaged; moved it aside" and note.markup is False
    assert not any(isinstance(h, type(app._warnings)) for h in logging.getLogger("reader").handlers)
