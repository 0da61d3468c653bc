"""Reading hostile or odd input: every problem is one line naming the file, and the run goes on.

Deeply nested JSON, folders with nothing to read, link loops, named pipes (never waited
on), folders nested deeper than Python's recursion limit, control characters in file
names, and HTML pages whose navigation, header, footer and sidebars are not article text.
Every file is made by the test.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from pathlib import Path

import pytest

from reader import ingest
from reader.errors import BadInput
from reader.ingest import read_paths

GOOD = "This file is fine, and it is written in English."


def _read(*paths: str | Path) -> tuple[list, list[BadInput]]:
    errors: list[BadInput] = []
    return read_paths(list(paths), errors.append), errors


def _good(folder: Path) -> Path:
    path = folder / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def _one_line(errors: list[BadInput]) -> None:
    for error in errors:
        assert "\n" not in error.message and "\x1b" not in error.message


# --- JSON --------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [65, 5_000, 200_000])
def test_deep_json_is_one_line(tmp_path: Path, depth: int) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * depth + "]" * depth, encoding="utf-8")
    articles, errors = _read(deep, _good(tmp_path))
    assert [a.id for a in articles] == ["good"]
    (error,) = errors
    assert error.path == str(deep) and "JSON nested deeper than 64 levels" in error.problem
    _one_line(errors)


def test_deep_jsonl_line_is_reported_and_the_other_lines_kept(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"text": GOOD})
    path.write_text("\n".join([good, '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}", good]), encoding="utf-8")
    articles, errors = _read(path)
    first, second = (a.id for a in articles)  # two copies of one text in a feed: its digest, then numbered
    assert first.startswith("feed-") and second == first + "-2"
    (error,) = errors
    assert error.problem.startswith("line 2: JSON nested deeper than 64 levels")


def test_json_depth_follows_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "tags.json"
    path.write_text(json.dumps({"text": GOOD, "tags": [["a"]], "note": "[[[[[[[[ not nesting"}), encoding="utf-8")
    assert [a.id for a in _read(path)[0]] == ["tags"]  # brackets inside strings do not count
    monkeypatch.setenv("READER_LIMITS_JSON_DEPTH", "2")
    articles, errors = _read(path)
    assert articles == [] and "JSON nested deeper than 2 levels" in errors[0].problem


def test_huge_integer_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "number.json"
    path.write_text('{"text": "x", "id": ' + "9" * 5_000 + "}", encoding="utf-8")
    articles, errors = _read(path, _good(tmp_path))
    assert [a.id for a in articles] == ["good"] and errors[0].path == str(path)
    assert "invalid JSON" in errors[0].problem
    _one_line(errors)


# --- folders, links and pipes --------------------------------------------------------


def test_folder_with_nothing_to_read(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    other.mkdir()
    (other / "README.md").write_text("# About", encoding="utf-8")
    (other / "scan.pdf").write_bytes(b"%PDF-1.4")
    (other / ".hidden.txt").write_text(GOOD, encoding="utf-8")
    articles, errors = _read(empty, other, _good(tmp_path))
    assert [a.id for a in articles] == ["good"]
    assert [(e.path, e.problem) for e in errors] == [
        (str(empty), "no article files in this folder"),
        (str(other), "no article files in this folder"),
    ]
    assert all(e.hint for e in errors)


def test_link_loops_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    _good(folder)
    (folder / "a.txt").symlink_to("b.txt")
    (folder / "b.txt").symlink_to("a.txt")
    (folder / "sub" / "up").symlink_to("..")
    (folder / "gone.txt").symlink_to("nowhere.txt")
    itself = tmp_path / "itself.json"
    itself.symlink_to("itself.json")
    articles, errors = _read(folder, itself)
    assert [a.id for a in articles] == ["good"]
    assert [(Path(e.path).relative_to(tmp_path).as_posix(), e.problem) for e in errors] == [
        ("corpus/a.txt", "symbolic link loop"),
        ("corpus/b.txt", "symbolic link loop"),
        ("corpus/gone.txt", "broken symbolic link"),
        ("corpus/sub/up", "symbolic link loop (to a folder around it)"),
        ("itself.json", "symbolic link loop"),
    ]


def _in_thread(fn, seconds: float = 10.0):
    result: list = []
    thread = threading.Thread(target=lambda: result.append(fn()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "reading blocked"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_named_pipe_is_not_a_regular_file(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _good(folder)
    os.mkfifo(folder / "feed.txt")
    os.mkfifo(tmp_path / "pipe.json")
    articles, errors = _in_thread(lambda: _read(tmp_path / "pipe.json", folder))
    assert [a.id for a in articles] == ["good"]
    assert [(Path(e.path).name, e.problem) for e in errors] == [
        ("pipe.json", "not a regular file (a named pipe)"),
        ("feed.txt", "not a regular file (a named pipe)"),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
def test_pipe_in_a_files_place_is_never_waited_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a file listed as regular, then replaced by a pipe before it is opened
    pipe = tmp_path / "swapped.txt"
    os.mkfifo(pipe)
    monkeypatch.setattr(ingest, "_kind", lambda path: ("file", ""))
    articles, errors = _in_thread(lambda: _read(pipe))
    assert articles == [] and errors[0].problem == "not a regular file (a named pipe)"


def test_folders_deeper_than_the_recursion_limit(tmp_path: Path) -> None:
    # made and removed one level at a time: Path.mkdir(parents=True) and shutil.rmtree recurse
    levels = [tmp_path / "d"]
    for _ in range(1_200):
        levels.append(levels[-1] / "d")
    for level in levels:
        os.mkdir(level)
    deep = levels[-1] / "deep.txt"
    deep.write_text(GOOD, encoding="utf-8")
    try:
        articles, errors = _read(tmp_path)
        assert errors == [] and [Path(a.path) for a in articles] == [deep]
    finally:
        deep.unlink()
        for level in reversed(levels):
            os.rmdir(level)


def test_file_names_are_printable(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J\u202e.txt"
    path.write_bytes(b"")
    (error,) = _read(path)[1]
    assert "\x1b" not in error.message and "\u202e" not in error.message
    assert "evil\\x1b[2J\\u202e.txt" in error.message
    broken = tmp_path / "bad\x07.json"
    broken.write_text('{"text": "x", "ti\x1btle": 1}', encoding="utf-8")
    _, errors = _read(broken)
    _one_line(errors)
    assert "\x07" not in errors[0].message


# --- HTML ----------------------------------------------------------------------------

_PARAGRAPHS = [
    (
        "The small ferry that links the old harbour with the island villages started running again on "
        "Monday morning, after three months in the shipyard for new engines and a repainted hull."
    ),
    (
        "About forty passengers were waiting on the pier for the first crossing at seven o'clock, most of "
        "them commuters and a few pupils carrying bicycles. The captain said the new engines are quieter."
    ),
    (
        "The timetable stays the same as last year, with a boat every hour until nine in the evening. A "
        "monthly pass for residents of the islands can now be bought at the harbour kiosk as well as online."
    ),
    (
        "The town council plans to replace the wooden pier next winter. Until then, the operator asks "
        "passengers to keep their bicycles on the lower deck and to arrive early on market days."
    ),
]
_BOILERPLATE = [
    "Subscribe today and save on your morning edition",
    "Local news",
    "Sport results",
    "Weather outlook",
    "Most read",
    "Bakery wins regional award for rye loaf",
    "Parking fees rise again near the station",
    "Copyright 2024 Lakeside Courier Media Group",
    "Contact the newsroom",
]


def _page() -> str:
    paragraphs = "\n".join(f"<p>{p}</p>" for p in _PARAGRAPHS)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour ferry returns after winter repairs | Lakeside Courier</title>
<meta property="og:site_name" content="Lakeside Courier">
<meta property="article:published_time" content="2024-03-18T07:30:00+01:00">
<link rel="canonical" href="https://courier.example/2024/03/ferry-returns">
</head><body>
<header class="site-header"><div class="logo">Lakeside Courier</div><p>{_BOILERPLATE[0]}</p></header>
<nav><ul><li><a href="/">Home</a></li><li><a href="/local">{_BOILERPLATE[1]}</a></li>
<li><a href="/sport">{_BOILERPLATE[2]}</a></li><li><a href="/weather">{_BOILERPLATE[3]}</a></li></ul></nav>
<aside class="sidebar"><h3>{_BOILERPLATE[4]}</h3><ul><li><a href="/x">{_BOILERPLATE[5]}</a></li>
<li><a href="/y">{_BOILERPLATE[6]}</a></li></ul></aside>
<main><article><h1>Harbour ferry returns after winter repairs</h1>
{paragraphs}
</article></main>
<footer><p>{_BOILERPLATE[7]}. All rights reserved.</p>
<p><a href="/privacy">Privacy policy</a> | <a href="/contact">{_BOILERPLATE[8]}</a></p></footer>
</body></html>"""


def test_html_article_without_boilerplate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args, **kwargs):
        raise AssertionError("reading an HTML file must not use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    path = tmp_path / "ferry.html"
    path.write_text(_page(), encoding="utf-8")
    (article,) = read_paths([path], pytest.fail)
    for junk in _BOILERPLATE:
        assert junk not in article.text
    lines = article.text.split("\n")
    assert lines == ["Harbour ferry returns after winter repairs", *_PARAGRAPHS]
    assert (article.lang, article.title, article.outlet, article.published, article.url) == (
        "en",
        "Harbour ferry returns after winter repairs",
        "Lakeside Courier",
        "2024-03-18",
        "https://courier.example/2024/03/ferry-returns",
    )


def test_html_trafilatura_cannot_read_falls_back_to_the_parser(tmp_path: Path) -> None:
    # nested far deeper than lxml takes: the standard library's parser reads it
    body = "<div>" * 20_000 + " ".join(_PARAGRAPHS) + "</div>" * 20_000
    path = tmp_path / "deep.html"
    path.write_text(f"<html lang='en'><head><title>Deep</title></head><body>{body}</body></html>", encoding="utf-8")
    (article,) = read_paths([path], pytest.fail)
    assert article.title == "Deep" and article.text == " ".join(_PARAGRAPHS)


def test_html_the_parser_gives_up_on(tmp_path: Path) -> None:
    # html.parser raises AssertionError on an unknown marked section; the text before it is kept
    path = tmp_path / "odd.html"
    path.write_text("<html lang='en'><title>Odd</title><p>The text before the odd markup.</p><![foo bar", encoding="utf-8")
    articles, errors = _read(path, _good(tmp_path))
    assert errors == [] and [(a.id, a.text) for a in articles] == [("odd", "The text before the odd markup."), ("good", GOOD)]
