"""Document ids derive from what identifies an article: its file name, plus a digest of its text when
needed; the same from run to run, whatever the order, the folder or the machine (reader.docids)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reader.errors import BadInput
from reader.ingest import read_paths, read_text_articles

PLAIN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ROOT = Path(__file__).resolve().parent.parent
SAMPLE_IDS = {  # (file, position in it) -> id: written out, so a change of the rule shows here
    ("ar-bishkek.txt", 0): "ar-bishkek",
    ("en-kremlin-2020-12-02.txt", 0): "en-kremlin-2020-12-02-4d65bd",
    ("en-kremlin-2020-12-02.txt", 1): "en-kremlin-2020-12-02-84b42b",
    ("en-kremlin-2020-12-02.txt", 2): "en-kremlin-2020-12-02-5bc8f2",
    ("hi-bishkek.txt", 0): "hi-bishkek",
    ("ru-bishkek.txt", 0): "ru-bishkek",
}


def _read(*paths: str | Path) -> list:
    errors: list[BadInput] = []
    articles = read_paths(list(paths), errors.append)
    assert errors == []
    return articles


def _by_file(articles: list) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for a in articles:
        name = Path(a.path).name
        out[(name, sum(1 for key in out if key[0] == name))] = a.id
    return out


def _article(title: str, body: str, lang: str = "en") -> str:
    return f"---\nlang: {lang}\ntitle: {title}\n---\n{body}\n"


# ------------------------------------------------------------------ the sample corpus
def test_each_sample_article_is_named_by_its_file(corpus_dir: Path) -> None:
    articles = _read(corpus_dir)
    assert _by_file(articles) == SAMPLE_IDS
    # a sentence id is the document id and the index, and splits back at its last ':'
    from reader.segment import split_sentences

    sentences = split_sentences(next(a for a in articles if a.id == "ru-bishkek"))
    assert sentences[16].id == "ru-bishkek:16" and sentences[16].id.rpartition(":") == ("ru-bishkek", ":", "16")


def test_the_ids_do_not_depend_on_the_order_the_files_are_given_in(corpus_dir: Path) -> None:
    files = sorted(corpus_dir.glob("*-*.txt"))
    assert _by_file(_read(*reversed(files))) == _by_file(_read(*files)) == SAMPLE_IDS


CHILD = """
import json, sys
from reader.ingest import read_paths
print(json.dumps([(a.path, a.id) for a in read_paths(sys.argv[1:], lambda e: sys.exit(e.message))]))
"""


def test_the_ids_are_the_same_in_another_process_folder_and_hash_seed(corpus_dir: Path, tmp_path: Path) -> None:
    """Two runs as two machines would make them: another working folder, the path written another
    way (relative, absolute, through a link), another PYTHONHASHSEED."""
    link = tmp_path / "elsewhere"
    link.symlink_to(corpus_dir)
    runs = []
    for cwd, given, seed in ((ROOT, "corpora/bishkek-2025", "1"), (tmp_path, str(link), "2"), ("/", str(corpus_dir), "3")):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-c", CHILD, given], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=120, check=True)
        runs.append([(Path(path).name, doc_id) for path, doc_id in json.loads(done.stdout)])
    assert runs[0] == runs[1] == runs[2]
    assert sorted(doc_id for _, doc_id in runs[0]) == sorted(SAMPLE_IDS.values())


def test_the_ids_are_the_same_for_a_copy_with_windows_line_endings(corpus_dir: Path, tmp_path: Path) -> None:
    for path in corpus_dir.glob("*-*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert _by_file(_read(tmp_path)) == SAMPLE_IDS


# ------------------------------------------------------------------ files of several articles
def test_each_article_of_a_file_of_several_has_a_digest_of_its_text_and_keeps_it(tmp_path: Path) -> None:
    one, two, three = (_article(t, f"{t} said something of its own today.") for t in ("One", "Two", "Three"))
    feed = tmp_path / "Feed.txt"
    feed.write_text(one + two + three, "utf-8")
    ids = [a.id for a in _read(feed)]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"feed-[0-9a-f]{6}", i) for i in ids), ids
    # an article removed, another added, the rest moved: the others keep their ids (a position would not)
    feed.write_text(three + _article("Four", "Four said something else.") + two, "utf-8")
    again = [a.id for a in _read(feed)]
    assert again[0] == ids[2] and again[2] == ids[1] and again[1] not in ids
    # the same text read from a string, as the app reads a paste, names its articles alike
    assert [a.id for a in read_text_articles(two + three, path=str(feed))] == [ids[1], ids[2]]


def test_a_json_list_and_jsonl_name_each_item_by_its_text_even_when_there_is_one(tmp_path: Path) -> None:
    (tmp_path / "wire.json").write_text(json.dumps([{"text": "Putin arrived in Bishkek.", "lang": "en"}]), "utf-8")
    (tmp_path / "feed.jsonl").write_text(
        '{"text": "Putin arrived in Bishkek.", "lang": "en"}\n{"text": "Japarov met him.", "lang": "en"}\n', "utf-8"
    )
    (tmp_path / "single.json").write_text(json.dumps({"text": "Putin arrived in Bishkek.", "lang": "en"}), "utf-8")
    ids = [a.id for a in _read(tmp_path / "wire.json", tmp_path / "feed.jsonl", tmp_path / "single.json")]
    digest = ids[0].rpartition("-")[2]
    assert ids[0] == f"wire-{digest}" and ids[1] == f"feed-{digest}"  # the same text, the same digest
    assert re.fullmatch(r"feed-[0-9a-f]{6}", ids[2]) and ids[2] != ids[1]
    assert ids[3] == "single"
    # a bad line does not change the ids of the others
    (tmp_path / "feed.jsonl").write_text('not json\n{"text": "Japarov met him.", "lang": "en"}\n', "utf-8")
    errors: list[BadInput] = []
    assert [a.id for a in read_paths([tmp_path / "feed.jsonl"], errors.append)] == [ids[2]] and len(errors) == 1


def test_the_same_article_twice_in_a_file_is_numbered(tmp_path: Path) -> None:
    same = _article("Same", "The very same words.")
    (tmp_path / "twice.txt").write_text(same + same, "utf-8")
    first, second = (a.id for a in _read(tmp_path / "twice.txt"))
    assert re.fullmatch(r"twice-[0-9a-f]{6}", first) and second == first + "-2"


# ------------------------------------------------------------------ files whose names slug the same
def test_two_files_that_slug_the_same_both_get_the_digest_of_their_text(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "report.txt").write_text("Putin arrived in Bishkek on Tuesday.", "utf-8")
    (tmp_path / "b" / "report.txt").write_text("Lukashenko stayed in Minsk on Tuesday.", "utf-8")
    (tmp_path / "b" / "Report!.md").write_text("A third report, in Markdown.", "utf-8")
    alone = [a.id for a in _read(tmp_path / "a" / "report.txt")]
    assert alone == ["report"]
    both = _read(tmp_path)
    ids = [a.id for a in both]
    assert len(set(ids)) == 3 and all(re.fullmatch(r"report-[0-9a-f]{6}", i) for i in ids), ids
    # all of them, not all but the first: so the order they were given in does not matter
    backwards = _read(tmp_path / "b" / "report.txt", tmp_path / "b" / "Report!.md", tmp_path / "a" / "report.txt")
    assert {a.path: a.id for a in backwards} == {a.path: a.id for a in both}
    # a file whose name is not shared keeps its plain id
    (tmp_path / "b" / "other.txt").write_text("Something else entirely.", "utf-8")
    assert "other" in [a.id for a in _read(tmp_path)]


def test_two_copies_of_one_file_under_one_name_are_numbered_in_path_order(tmp_path: Path) -> None:
    for folder in ("b", "a"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "copy.txt").write_text("The same report in two folders.", "utf-8")
    ids = {Path(a.path).parent.name: a.id for a in _read(tmp_path / "b" / "copy.txt", tmp_path / "a" / "copy.txt")}
    assert re.fullmatch(r"copy-[0-9a-f]{6}", ids["a"]) and ids["b"] == ids["a"] + "-2"


# ------------------------------------------------------------------ names from strangers
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Бишкек: итоги визита.txt", "bishkek-itogi-vizita"),
        ("بيشكيك.txt", "byshkyk"),
        ("बिश्केक समाचार.txt", "biskek-smacar"),
        ("  Putin in   Bishkek (final) .txt", "putin-in-bishkek-final"),
        ("2025-11-26: Bishkek.txt", "2025-11-26-bishkek"),
        ("a:b:c.txt", "a-b-c"),
        ("\x1b]0;owned\x07news\x1b[31m.txt", "0-owned-news-31m"),
        ("[link=https:x]y[-link].txt", "link-https-x-y-link"),  # markup (a name holds no /)
        ("--.txt", "en"),  # nothing left: the language code
        ("—·—.txt", "en"),
        ("x" * 30 + "-" + "y" * 30 + ".txt", "x" * 30 + "-" + "y" * 9),
    ],
)
def test_a_file_name_of_any_kind_gives_a_plain_id(tmp_path: Path, name: str, expected: str) -> None:
    (tmp_path / name).write_text("---\nlang: en\n---\nPutin arrived in Bishkek.", "utf-8")
    (article,) = _read(tmp_path / name)
    assert article.id == expected
    assert PLAIN.fullmatch(article.id) and len(article.id) <= 40 and ":" not in article.id


def test_a_name_stored_decomposed_gives_the_id_of_the_composed_one(tmp_path: Path) -> None:
    """macOS stores names decomposed (й as и + ◌̆): the id is the same as on another machine."""
    import unicodedata

    name = unicodedata.normalize("NFD", "Жапаров-й.txt")
    (tmp_path / name).write_text("---\nlang: ru\n---\nЖапаров встретил Путина.", "utf-8")
    (article,) = _read(tmp_path / name)
    assert article.id == "zhaparov-y"


# ------------------------------------------------------------------ eval and the perturbation suite
def test_the_sample_gold_names_documents_by_the_ids_reader_gives_them(corpus_dir: Path) -> None:
    from reader.eval.evaluate import load_gold
    from reader.model import Report
    from reader.pipeline import read_documents

    documents = read_documents([corpus_dir], pytest.fail)
    report = Report(tuple(documents), (), tuple(s.id for d in documents for s in d.sentences))
    gold = load_gold(corpus_dir / "gold.json", report)  # raises when it names a document the report lacks
    assert gold.scope == {"ru-bishkek", "ar-bishkek", "hi-bishkek"}
    assert {sid.rpartition(":")[0] for pair in gold.required for sid in pair} == gold.scope


def test_the_dev_gold_still_finds_its_documents_by_path_and_shared_names_get_apart() -> None:
    from reader.eval.evaluate import load_gold
    from reader.model import Report
    from reader.pipeline import read_documents

    dev = ROOT / "corpora" / "dev" / "dev"
    documents = read_documents([dev], pytest.fail)
    report = Report(tuple(documents), (), tuple(s.id for d in documents for s in d.sentences))
    gold = load_gold(dev / "gold.json", report)
    assert set(gold.events) == {d.id for d in documents}
    ids = [d.id for d in documents]
    assert len(set(ids)) == len(ids)
    wires = [d.id for d in documents if Path(d.article.path).name == "en-wire.txt"]
    assert len(wires) > 1 and all(re.fullmatch(r"en-wire-[0-9a-f]{6}", i) for i in wires)


def test_the_perturbation_suite_names_documents_as_ingest_does(corpus_dir: Path) -> None:
    from reader.eval.perturb import (
        ACCEPTED_FLAGS,
        SAMPLE_CLAIMS,
        hand_report,
        load_texts,
    )

    hand = {Path(d.article.path).name: d.id for d in hand_report(load_texts(corpus_dir)).documents}
    read = {Path(a.path).name: a.id for a in _read(corpus_dir) if not a.path.endswith("en-kremlin-2020-12-02.txt")}
    assert {name: hand[name] for name in read} == read == {
        "ar-bishkek.txt": "ar-bishkek", "hi-bishkek.txt": "hi-bishkek", "ru-bishkek.txt": "ru-bishkek"
    }
    assert {doc for claim in SAMPLE_CLAIMS.values() for doc in claim} <= set(read.values())
    assert {doc for _, values in ACCEPTED_FLAGS for doc, _ in values} <= set(read.values())


def test_a_saved_report_of_the_numbered_ids_still_loads() -> None:
    """Reports written before (``ru-1``) load and round-trip: only new reports carry the new ids."""
    from reader.report import from_json, to_json

    saved = (Path(__file__).parent / "fixtures" / "sample_report.json").read_text("utf-8")
    report = from_json(saved)
    assert [d.id for d in report.documents] == ["hi-1", "ar-1", "ru-1"]
    assert report.sentence("ru-1:16").document == "ru-1"
    assert from_json(to_json(report)) == report
