"""reader.events: grouping articles into events from constructed vectors, names and dates."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import numpy as np

from reader.events import ArticleSignal, EventConfig, group, name_similarity, soft_match

DIM = 32
D0 = date(2025, 11, 26)


def _topic(seed: int, n: int = 5, noise: float = 0.2, lang_seed: int | None = None) -> np.ndarray:
    """n sentence vectors around one topic direction, plus an optional shared 'language' component."""
    rng = np.random.default_rng(seed)
    topic = rng.normal(size=DIM)
    rows = topic + noise * rng.normal(size=(n, DIM))
    if lang_seed is not None:
        rows += 3.0 * np.random.default_rng(1000 + lang_seed).normal(size=DIM)
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _art(key: str, lang: str = "en", day: int | None = 0, names: tuple[str, ...] = (), vectors=None) -> ArticleSignal:
    return ArticleSignal(
        key=key,
        lang=lang,
        published=None if day is None else D0 + timedelta(days=day),
        names=frozenset(names),
        vectors=np.zeros((0, DIM), np.float32) if vectors is None else vectors,
    )


VISIT = ("person:japarov", "place:bishkek", "org:csto", "person:putin")
OTHER = ("person:tokayev", "place:astana", "person:putin")


def test_empty_inbox_has_no_events() -> None:
    assert group([]).events == ()


def test_shared_names_link_across_languages_despite_a_language_component() -> None:
    arts = [
        _art("ru", "ru", 0, VISIT, _topic(1, lang_seed=1)),
        _art("hi", "hi", 0, VISIT[:3], _topic(1, lang_seed=2)),
        _art("ar", "ar", 1, VISIT, _topic(1, lang_seed=3)),
        _art("kz", "en", 0, OTHER, _topic(2, lang_seed=4)),
    ]
    events = group(arts).events
    assert sorted(map(sorted, events)) == [[0, 1, 2], [3]]


def test_dates_far_apart_are_different_events_even_with_the_same_names_and_text() -> None:
    same = _topic(1)
    arts = [_art("a", "en", 0, VISIT, same), _art("b", "ru", 1, VISIT, same), _art("c", "en", 400, VISIT, same)]
    events = group(arts).events
    assert sorted(map(sorted, events)) == [[0, 1], [2]]


def test_an_event_never_spans_more_than_max_days_even_through_a_chain() -> None:
    vec = _topic(3)
    arts = [_art(str(d), "en", d, VISIT, vec) for d in (0, 2, 4, 6)]
    events = group(arts, EventConfig(max_days=3)).events
    for members in events:
        days = [arts[i].published for i in members]
        assert (max(days) - min(days)).days <= 3
    assert sorted(i for e in events for i in e) == [0, 1, 2, 3]


def test_undated_articles_can_join_by_names() -> None:
    arts = [_art("a", "en", 0, VISIT), _art("b", "ru", None, VISIT)]
    assert group(arts).events == ((0, 1),)


def test_nameless_articles_link_on_embedding_alone_when_near_identical() -> None:
    arts = [_art("a", "en", 0, (), _topic(5, noise=0.01)), _art("b", "ru", 0, (), _topic(5, noise=0.01)),
            _art("c", "ar", 0, (), _topic(6, noise=0.01))]
    events = group(arts, EventConfig(threshold=0.3)).events
    assert sorted(map(sorted, events)) == [[0, 1], [2]]


def test_every_article_is_in_exactly_one_event_and_order_is_stable() -> None:
    rng = np.random.default_rng(0)
    pool = [VISIT, OTHER, ("place:moscow",), ()]
    arts = [_art(f"k{i}", ["en", "ru", "hi", "ar"][i % 4], int(rng.integers(0, 20)), pool[i % 4], _topic(i % 3))
            for i in range(40)]
    first = group(arts)
    members = sorted(i for e in first.events for i in e)
    assert members == list(range(40))
    assert group(arts).events == first.events


def test_common_names_weigh_less_than_rare_ones() -> None:
    idf = {"person:putin": 0.1, "place:bishkek": 1.0, "person:japarov": 1.0, "place:astana": 1.0}
    rare = name_similarity(frozenset({"person:putin", "place:bishkek"}), frozenset({"place:bishkek", "place:astana"}), idf)
    common = name_similarity(frozenset({"person:putin", "place:bishkek"}), frozenset({"person:putin", "place:astana"}), idf)
    assert rare > 0.4 > common


def test_soft_match_is_symmetric_and_empty_safe() -> None:
    a, b = _topic(1), _topic(2)
    assert abs(soft_match(a, b) - soft_match(b, a)) < 1e-6
    assert soft_match(a, np.zeros((0, DIM), np.float32)) == 0.0


def test_events_module_imports_no_ui_and_no_models() -> None:
    code = "import sys, reader.events; print(any(m.split('.')[0] in ('rich', 'textual', 'torch', 'sentence_transformers') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
