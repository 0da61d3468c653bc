"""reader.events: grouping articles into events from content (vectors, name keys, figures, dates)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import date, timedelta

import numpy as np

from reader.align.calibration import Background, Calibration
from reader.events import (
    GROUP_FEATURES,
    ArticleSignal,
    EventConfig,
    group,
    group_calibrated,
    group_logit,
    pair_features,
)

DIM = 32
D0 = date(2025, 11, 26)
VISIT = frozenset({"btn", "jbrf", "bsk", "krgstn"})  # Putin, Japarov, Bishkek, Kyrgyzstan as skeletons
OTHER = frozenset({"lksnk", "mnsk", "blrs"})  # Lukashenko, Minsk, Belarus


def _topic(seed: int, n: int = 5, noise: float = 0.2) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = rng.normal(size=DIM) + noise * rng.normal(size=(n, DIM))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _art(key: str, lang: str = "en", day: int | None = 0, names: frozenset[str] = frozenset(),
         vectors: np.ndarray | None = None, figures: tuple[str, ...] = ()) -> ArticleSignal:
    return ArticleSignal(key, lang, None if day is None else D0 + timedelta(days=day), names,
                         np.zeros((0, DIM), np.float32) if vectors is None else vectors, frozenset(figures))


def _sorted(events) -> list[list[int]]:
    return sorted(map(sorted, events))


def test_empty_inbox_has_no_events() -> None:
    assert group([]).events == ()


def test_names_and_figures_in_common_link_reports_across_languages() -> None:
    arts = [
        _art("ru", "ru", 0, VISIT, _topic(1), ("number:12",)),
        _art("hi", "hi", 0, VISIT, _topic(2), ("number:12",)),
        _art("ar", "ar", 1, VISIT, _topic(3)),
        _art("by", "en", 0, OTHER, _topic(4)),
    ]
    assert _sorted(group(arts).events) == [[0, 1, 2], [3]]


def test_dates_far_apart_are_different_events_even_with_the_same_names_and_text() -> None:
    same = _topic(1)
    arts = [_art("a", "en", 0, VISIT, same), _art("b", "ru", 1, VISIT, same), _art("c", "en", 400, VISIT, same)]
    grouping = group(arts)
    assert _sorted(grouping.events) == [[0, 1], [2]]
    assert (0, 2) not in grouping.links  # never scored


def test_an_event_never_spans_more_than_max_days_even_through_a_chain() -> None:
    vec = _topic(3)
    arts = [_art(str(d), "en", d, VISIT, vec) for d in (0, 2, 4, 6)]
    events = group(arts, config=EventConfig(max_days=3)).events
    for members in events:
        days = [arts[i].published for i in members]
        assert (max(days) - min(days)).days <= 3
    assert sorted(i for e in events for i in e) == [0, 1, 2, 3]


def test_average_linkage_does_not_chain_two_stories_through_one_article() -> None:
    # b shares names with a and with c; a and c share nothing: single linkage would join all three
    a = _art("a", "en", 0, frozenset({"k1", "k2", "k3"}))
    b = _art("b", "en", 0, frozenset({"k1", "k2", "k3", "k7", "k8", "k9"}))
    c = _art("c", "en", 0, frozenset({"k7", "k8", "k9"}))
    grouping = group([a, b, c])
    assert min(grouping.links[(0, 1)], grouping.links[(1, 2)]) > 0 > grouping.links[(0, 2)]
    assert len(grouping.events) == 2


def test_the_features_of_a_pair() -> None:
    v = _topic(5, noise=0.05)
    a, b = _art("a", "en", 0, VISIT, v, ("money:2000000000 USD",)), _art("b", "ru", 3, VISIT, v, ("money:2000000000 USD",))
    f = dict(zip(GROUP_FEATURES, pair_features(a, b, v, v, (0.0, 0.1))))
    assert f["cosine"] > 0.99 and f["best_share"] == 1.0 and f["best_top"] >= f["best_mean"] > 9
    assert f["days_apart"] == np.log1p(3) and f["shared_names"] == np.log1p(4) and f["shared_figures"] == np.log1p(1)


def test_a_calibration_brings_means_backgrounds_its_model_and_its_gate() -> None:
    lang_component = np.random.default_rng(9).normal(size=DIM).astype(np.float32) * 3
    def with_lang(v: np.ndarray) -> np.ndarray:
        w = v + lang_component
        return (w / np.linalg.norm(w, axis=1, keepdims=True)).astype(np.float32)

    one, two = _topic(11), _topic(12)
    arts = [_art("a", "en", 0, vectors=with_lang(one)), _art("b", "en", 0, vectors=with_lang(one)),
            _art("c", "en", 0, vectors=with_lang(two))]
    mean = np.mean([with_lang(one), with_lang(two)], axis=(0, 1))
    cal = Calibration("m", {"en": mean}, {}, {"same": Background(0.0, 0.2), "cross": Background(0.0, 0.2)}, {},
                      grouping={"intercept": -4.0, "best_mean": 1.0}, config={"group_gate": 0.0})
    assert _sorted(group_calibrated(arts, cal).events) == [[0, 1], [2]]
    # a gate no pair reaches leaves every article alone
    strict = dataclasses.replace(cal, config={"group_gate": 100.0})
    assert _sorted(group_calibrated(arts, strict).events) == [[0], [1], [2]]
    assert group_logit(np.zeros(len(GROUP_FEATURES)), cal.grouping) == -4.0


def test_every_article_is_in_exactly_one_event_and_order_is_stable() -> None:
    rng = np.random.default_rng(0)
    pool = [VISIT, OTHER, frozenset({"msk"}), frozenset()]
    arts = [_art(f"k{i}", ["en", "ru", "hi", "ar"][i % 4], int(rng.integers(0, 20)), pool[i % 4], _topic(i % 3))
            for i in range(40)]
    first = group(arts)
    assert sorted(i for e in first.events for i in e) == list(range(40))
    assert group(arts).events == first.events


def test_events_module_imports_no_ui_and_no_models() -> None:
    code = ("import sys, reader.events; print(any(m.split('.')[0] in ('rich', 'textual', 'torch', "
            "'sentence_transformers') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
