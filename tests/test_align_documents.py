"""Two documents are compared only when the same-event model says they tell one story."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np

from reader.align import AlignConfig, DocVectors
from reader.align import candidates as cand
from reader.align.documents import EVENT_FEATURES, document_means, event_features, event_logit
from reader.align.scoring import Scorer
from align_helpers import calibrated, run
from test_align import Topics

ONE_WEEK = AlignConfig(document_gate=-1.0, event_days=30)


def _story(t: Topics, published: date) -> list[DocVectors]:
    return [t.doc([0, 1, 2, 3, 4, 5], "ru", published=published), t.doc([3, 1, 0, 5, 2, 4], "ar", published=published)]


def _features(docs: list[DocVectors], calibration) -> np.ndarray:
    vectors = cand.centred(docs, calibration)
    units = cand.build_units(docs, vectors, joins=False)
    return event_features(Scorer(docs, units, calibration, ONE_WEEK), document_means(vectors), 0, 1)


def test_the_features_of_a_pair_say_how_much_of_it_matches_and_how_far_apart_it_was_published() -> None:
    t = Topics(3)
    docs = _story(t, date(2024, 9, 3))
    calibration = calibrated(docs + [t.doc(list(range(10, 16)), "en")])
    same = dict(zip(EVENT_FEATURES, _features(docs, calibration)))
    assert same["linked_share"] == 1.0 and same["days_apart"] == 0.0
    assert same["top_match"] >= same["document_match"] > 2.0
    later = [docs[0], dataclasses.replace(docs[1], published=date(2024, 9, 13))]
    assert dict(zip(EVENT_FEATURES, _features(later, calibration)))["days_apart"] == np.log1p(10)
    other = [docs[0], t.doc(list(range(20, 26)), "ar", published=date(2024, 9, 3))]
    assert dict(zip(EVENT_FEATURES, _features(other, calibration)))["linked_share"] < 0.5


def test_reports_the_event_model_calls_two_stories_are_not_compared_at_all() -> None:
    t = Topics(4)
    docs = _story(t, date(2024, 9, 3))
    base = calibrated(docs)
    # log-odds 2 on the day, 2 - 2 * log(11) < 0 ten days apart
    calibration = dataclasses.replace(base, events={"intercept": 2.0, "days_apart": -2.0})
    assert event_logit(np.array([0, 0, 0, 0, np.log1p(10)]), calibration.events) < 0
    same_day = run(docs, ONE_WEEK, calibration)
    assert len(same_day.claims) >= 5 and same_day.same_event[(0, 1)] == 2.0
    later = [docs[0], dataclasses.replace(docs[1], published=date(2024, 9, 13))]
    apart = run(later, ONE_WEEK, calibration)
    assert apart.claims == () and apart.same_event[(0, 1)] < 0
    # the bar is a setting: lowered, the same pair is compared again
    assert run(later, dataclasses.replace(ONE_WEEK, event_gate=-5.0), calibration).claims
