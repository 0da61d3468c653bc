"""The perturbation suite: cases, scoring, and the hand-built (pipeline-free) run."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.discrepancy import annotate
from reader.model import Report
from reader.eval.perturb import CASES, SAMPLE_CLAIMS, Case, apply_case, hand_report, load_texts, run_hand_suite, run_suite
from report_checks import assert_discrepancy_spans_hold


@pytest.fixture
def texts(corpus_dir: Path) -> dict[str, str]:
    return load_texts(corpus_dir)


def test_every_case_applies_once_and_keeps_the_sentence_count(texts: dict[str, str]) -> None:
    base = hand_report(texts)
    sizes = {d.id: len(d.sentences) for d in base.documents}
    for case in CASES:
        changed, name, at = apply_case(texts, case)
        assert changed[name][at : at + len(case.replace)] == case.replace
        report = hand_report(changed, reference=texts)
        assert {d.id: len(d.sentences) for d in report.documents} == sizes, case.id
        if case.claim:
            assert case.claim in SAMPLE_CLAIMS


def test_the_suite_has_enough_of_each_sort() -> None:
    kinds = [c.kind for c in CASES]
    assert kinds.count(None) >= 15
    for kind in ("number", "date", "name", "speaker", "money"):
        assert kinds.count(kind) >= 1
    assert len({c.id for c in CASES}) == len(CASES)


def test_hand_suite_precision_and_recall(texts: dict[str, str]) -> None:
    scores = run_hand_suite(texts)
    failures = [(r.case.id, r.error, r.false_flags) for r in scores.results
                if r.error or r.false_flags or (r.case.kind and not r.detected)]
    # recall 0.87 since names come without a list (issue 11): St Petersburg for Minsk (Санкт-Петербург
    # and سان بطرسبرغ transliterate apart, and neither city is an exonym) and two presidents for
    # Japarov whose office the perturbed text no longer states are missed
    assert scores.precision >= 0.9 and scores.recall >= 0.85, failures
    assert scores.perturbations == sum(1 for c in CASES if c.kind)
    assert "precision" in scores.summary()


def test_the_done_when_cases_are_detected(texts: dict[str, str]) -> None:
    scores = run_hand_suite(texts, cases=tuple(c for c in CASES if c.id in ("ru-schools-five", "ar-schools-2028")))
    assert scores.detected == 2 and scores.false_flags == 0


def test_scoring_counts_false_flags_and_misses(texts: dict[str, str]) -> None:
    """A make_report that flags nothing has recall 0; one that flags every claim has low precision."""
    from dataclasses import replace

    from reader.model import Discrepancy

    def silent(t: dict[str, str]) -> Report:
        return hand_report(t, reference=texts)

    # run_suite annotates what make_report returns, so a silent maker still gets real flags:
    real = run_suite(silent, texts=texts)
    assert real.recall >= 0.85

    cases = (Case("eq", "первые три школы", "первые 3 школы", None),
             Case("p", "первые три школы", "первые пять школ", "number", "schools"))
    from reader.eval import perturb

    noisy_calls = {"n": 0}

    def noisy(t: dict[str, str]) -> Report:
        r = annotate(hand_report(t, reference=texts))
        noisy_calls["n"] += 1
        bogus = Discrepancy("name", f"bogus {noisy_calls['n']}", {"ru-1": str(noisy_calls["n"]), "ar-1": ""})
        return replace(r, claims=tuple(replace(c, discrepancies=c.discrepancies + (bogus,)) for c in r.claims))

    scores = perturb._score(noisy, texts, cases)
    assert scores.false_flags >= len(SAMPLE_CLAIMS)  # every bogus flag is new and on the wrong kind
    assert scores.detected == 1 and scores.precision < 0.5

    def blind(t: dict[str, str]) -> Report:
        r = hand_report(t, reference=texts)
        return r

    assert perturb._score(blind, texts, cases).recall == 0.0


def test_a_case_that_does_not_apply_is_an_error_not_a_crash(texts: dict[str, str]) -> None:
    scores = run_hand_suite(texts, cases=(Case("bad", "no such text anywhere", "x", "number", "schools"),))
    assert scores.results[0].error and scores.recall == 0.0


def test_the_suite_through_real_segmentation(texts: dict[str, str]) -> None:
    """Claims over reader.ingest + reader.segment: offsets come from the real stages."""
    import tempfile

    from reader import pipeline

    from reader.model import Claim, Member
    from reader.eval.perturb import _score

    def read(t: dict[str, str]) -> list:
        with tempfile.TemporaryDirectory() as tmp:
            paths = []
            for name, text in t.items():
                (Path(tmp) / name).write_text(text, encoding="utf-8")
                paths.append(Path(tmp) / name)
            return pipeline.read_documents(paths, on_error=lambda e: None)

    # claims name sentences by their index in the unmodified segmentation (a change keeps the count)
    ref = {d.id: d for d in read(texts)}
    members = {
        cname: {doc_id: sorted({next(s.index for s in ref[doc_id].sentences if snip in s.text) for snip in snippets})
                for doc_id, snippets in m.items()}
        for cname, m in SAMPLE_CLAIMS.items()
    }

    def make(t: dict[str, str]) -> Report:
        docs = read(t)
        by_id = {d.id: d for d in docs}
        claims = [
            Claim(cname, 1.0, tuple(Member(doc_id, tuple(by_id[doc_id].sentences[i].id for i in idx))
                                    for doc_id, idx in m.items()))
            for cname, m in members.items()
        ]
        used = {s for c in claims for s in c.sentence_ids()}
        unmatched = tuple(s.id for d in docs for s in d.sentences if s.id not in used)
        return annotate(Report(tuple(docs), tuple(claims), unmatched))

    assert_discrepancy_spans_hold(make(texts))
    scores = _score(make, texts, CASES)
    assert scores.precision >= 0.9 and scores.recall >= 0.85, [
        (r.case.id, r.error, r.false_flags) for r in scores.results if r.error or r.false_flags or not r.detected]
