"""The development benchmark: its sources, the files built from them, and the span gold."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from reader import ingest, segment
from reader.eval.sources import SourceError, build, check_references, parse, render

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "corpora" / "dev"
SOURCES = sorted((DEV / "sources").glob("*.src"))
BENCHMARK_LANGS = {"hi", "ar", "ru", "en", "fr", "de", "es", "tr", "fa", "uk", "zh"}


def test_the_committed_articles_and_gold_are_what_the_sources_build(tmp_path: Path) -> None:
    build(DEV / "sources", tmp_path)
    built = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DEV) for split in ("dev", "test") for p in (DEV / split).rglob("*") if p.is_file())
    assert built == committed
    for rel in built:
        assert (tmp_path / rel).read_bytes() == (DEV / rel).read_bytes(), f"{rel}: run scripts/build_dev_corpus.py"


def test_the_benchmark_has_what_the_issue_asks_for() -> None:
    events = [parse(p) for p in SOURCES]
    check_references(events)
    main = [e for e in events if len(e.documents) >= 7]
    kinds = {e.kind for e in main}
    assert len(main) >= 8 and len(kinds) >= 8, kinds
    for e in main:
        langs = {d.lang for d in e.documents}
        assert len(langs) >= 6 and {"hi", "ar", "ru", "en"} <= langs, (e.event, langs)
        assert any(len(line.labels) >= 2 for d in e.documents for line in d.lines), e.event  # merged claims
        assert e.flags, e.event  # planted discrepancies
    assert {e.split for e in main} == {"dev", "test"}
    assert len(events) - len(main) >= 4  # distractors
    assert {d.lang for e in events for d in e.documents} >= BENCHMARK_LANGS


@pytest.mark.parametrize("split", ["dev", "test"])
def test_gold_spans_are_the_sentences_written_and_every_claim_is_declared(split: str) -> None:
    gold = json.loads((DEV / split / "gold.json").read_text(encoding="utf-8"))
    events = {p.stem: parse(p) for p in SOURCES}
    for rel, entry in gold["documents"].items():
        text = (DEV / split / rel).read_text(encoding="utf-8")
        source = next(d for d in events[entry["event"]].documents if f"{entry['event']}/{d.name}.txt" == rel)
        assert [text[s["start"]:s["end"]] for s in entry["sentences"]] == [line.text for line in source.lines]
        for s in entry["sentences"]:
            for claim in s["claims"]:
                event, _, cid = claim.rpartition("#")
                assert cid in events[event or entry["event"]].claims


def test_the_segmenter_splits_every_benchmark_language_as_written() -> None:
    found, total = Counter(), Counter()
    for split in ("dev", "test"):
        gold = json.loads((DEV / split / "gold.json").read_text(encoding="utf-8"))
        for rel, entry in gold["documents"].items():
            article = ingest.read_paths([DEV / split / rel], lambda e: pytest.fail(e.message))[0]
            spans = set(segment.sentence_spans(article.text, article.body_start, article.body_end, article.lang))
            for s in entry["sentences"]:
                total[entry["lang"]] += 1
                found[entry["lang"]] += (s["start"], s["end"]) in spans
    for lang in total:
        assert found[lang] / total[lang] >= 0.98, (lang, found[lang], total[lang])
    assert sum(found.values()) / sum(total.values()) >= 0.99


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "tiny.src"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "# event: tiny\n# kind: test\n# split: dev\n# about: a test\n# claim c1: one\n# claim c2: two\n\n"
DOC = "=== {name}\nlang: {lang}\noutlet: X\npublished: 2024-01-02\n---\n"


def test_a_source_renders_articles_with_exact_spans_paragraphs_and_unspaced_scripts(tmp_path: Path) -> None:
    src = HEADER + DOC.format(name="en-a", lang="en") + "c1 | One.\n- | Read also: a heading\nc2 | Two.\n\nc1 c2 | Three.\n"
    src += DOC.format(name="zh-b", lang="zh") + "c1 | 一。\nc2 | 二。\n"
    event = parse(_write(tmp_path, src))
    en = render(event.documents[0])
    assert en.text.endswith("---\nOne. Read also: a heading\nTwo.\n\nThree.\n")
    assert [en.text[s.start:s.end] for s in en.sentences] == ["One.", "Read also: a heading", "Two.", "Three."]
    assert [s.claims for s in en.sentences] == [("c1",), (), ("c2",), ("c1", "c2")]
    zh = render(event.documents[1])
    assert zh.text.endswith("---\n一。二。\n")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("c9 | Unknown claim.\n", "claim c9 has no '# claim c9:' line"),
        ("c1 no pipe here\n", "a sentence line is 'labels | sentence'"),
        ("x1 | Bad label.\n", "labels 'x1'"),
        ("c1 | Fine.\n", "claim c2 is declared but no sentence states it"),
    ],
)
def test_a_bad_source_is_reported_with_its_line(tmp_path: Path, body: str, problem: str) -> None:
    path = _write(tmp_path, HEADER + DOC.format(name="en-a", lang="en") + body)
    with pytest.raises(SourceError) as caught:
        parse(path)
    assert any(problem in p and str(path) in p for p in caught.value.problems), caught.value.problems


def test_a_report_whose_name_and_language_disagree_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + DOC.format(name="en-a", lang="ru") + "c1 c2 | Привет.\n")
    with pytest.raises(SourceError, match="lang 'ru' differs from its name"):
        parse(path)
