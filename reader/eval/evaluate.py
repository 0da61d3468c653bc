"""Precision and recall of aligned sentence pairs against gold, overall and per language pair.

Two gold formats are read:

* *snippet gold* (``corpora/bishkek-2025/gold.json``, written by hand): sentences
  named by document id and a snippet of their text, with required, acceptable and
  unmatched pairs; as in vecalign's lax score, a pair marked *acceptable* (partial
  overlap, a one-to-many join) is not counted against precision;
* *span gold* (``corpora/dev/*/gold.json``, generated from labelled sources, see
  ``reader.eval.sources``): per document file, each sentence's character span and the
  claims it states, and the document's event. A report sentence takes the claims of
  every gold sentence it overlaps by at least half of the shorter of the two, so the
  score holds whatever the segmenter does; two sentences of different documents that
  share a claim of the same event are a required pair.

A claim predicts every cross-document pair of its sentences. Recall counts the
required pairs found; precision the predicted pairs that are required or acceptable.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from reader.errors import ReaderError
from reader.eval.sources import GOLD_FORMAT
from reader.model import Report

Pair = frozenset[str]


@dataclass(frozen=True)
class Gold:
    required: frozenset[Pair]
    acceptable: frozenset[Pair]
    unmatched: frozenset[str]
    labels: dict[Pair, str]
    scope: frozenset[str]  # document ids; only pairs touching one of them are scored (empty: all)
    events: dict[str, str] = field(default_factory=dict)  # document id -> event (span gold)
    boundaries: tuple[int, int] = (0, 0)  # gold sentences the segmenter found exactly, of all (span gold)
    sentence_claims: dict[str, frozenset[str]] = field(default_factory=dict)  # sentence id -> "event#claim" (span gold)


def share(part: int, whole: int) -> float:
    """``part / whole``, and 1.0 when there is nothing to get right."""
    return part / whole if whole else 1.0


def harmonic(precision: float, recall: float) -> float:
    """F1: the harmonic mean of precision and recall."""
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def documents_by_path(report: Report) -> dict[Path, object]:
    """The report's documents by their article's resolved path (gold files name documents by path)."""
    out = {}
    for doc in report.documents:
        try:
            out[Path(doc.article.path).resolve()] = doc
        except OSError:
            continue
    return out


@dataclass(frozen=True)
class Scores:
    predicted: int
    correct: int  # predicted pairs that are required or acceptable
    required: int
    found: int  # required pairs predicted
    unmatched_total: int
    unmatched_kept: int  # gold-unmatched sentences left out of every claim
    out_of_scope: int  # predicted pairs between documents the gold does not annotate
    false_pairs: tuple[Pair, ...]
    missed_pairs: tuple[Pair, ...]

    @property
    def precision(self) -> float:
        return share(self.correct, self.predicted)

    @property
    def recall(self) -> float:
        return share(self.found, self.required)

    @property
    def f1(self) -> float:
        return harmonic(self.precision, self.recall)


def _resolve(report: Report, doc_id: str, snippet: str, gold_path: Path) -> str:
    _resolve_document(report, doc_id, gold_path)
    doc = report.document(doc_id)
    hits = [s.id for s in doc.sentences if snippet in s.text]
    if len(hits) != 1:
        what = "no sentence" if not hits else f"{len(hits)} sentences"
        raise ReaderError(f"{gold_path}: snippet {snippet!r} matches {what} of {doc_id}")
    return hits[0]


def gold_file(corpus: Path, gold: Path | None, command: str) -> Path:
    """The gold file a command was given (``--gold``), or the corpus's own ``gold.json``; it must exist."""
    path = gold or corpus / "gold.json"
    if not path.is_file():
        raise ReaderError(f"{path}: no gold file", hint=f"{command} --corpus DIR needs DIR/gold.json, or --gold FILE")
    return path


def load_gold(path: Path, report: Report) -> Gold:
    """Either gold format, resolved against the sentences of ``report``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise ReaderError(f"{path}: cannot read gold file ({exc})") from None
    if not isinstance(data, dict):
        raise ReaderError(f"{path}: a gold file is a JSON object")
    if data.get("format") == GOLD_FORMAT:
        return _span_gold(path, data, report)

    def pairs(key: str) -> tuple[set[Pair], dict[Pair, str]]:
        found, labels = set(), {}
        for item in data.get(key, []):
            pair = frozenset((_resolve(report, *item["a"], path), _resolve(report, *item["b"], path)))
            found.add(pair)
            labels[pair] = item.get("claim", "")
        return found, labels

    required, labels = pairs("pairs")
    acceptable, _ = pairs("acceptable")
    unmatched = {_resolve(report, doc, snippet, path) for doc, snippet in data.get("unmatched", [])}
    scope = frozenset(data.get("scope", []))
    for doc_id in scope:
        _resolve_document(report, doc_id, path)
    return Gold(frozenset(required), frozenset(acceptable), frozenset(unmatched), labels, scope)


def _span_gold(path: Path, data: dict, report: Report) -> Gold:
    """Span gold: each report sentence takes the claims of the gold sentences it overlaps."""
    by_path = documents_by_path(report)
    labels: dict[str, frozenset[str]] = {}
    events: dict[str, str] = {}
    exact = total = 0
    for rel, entry in data.get("documents", {}).items():
        doc = by_path.get((path.parent / rel).resolve())
        if doc is None:
            raise ReaderError(f"{path}: gold names {rel}, which the report does not hold",
                              hint="run reader eval on the folder the gold file describes")
        event = entry["event"]
        events[doc.id] = event
        gold_spans = [(g["start"], g["end"], frozenset(c if "#" in c else f"{event}#{c}" for c in g["claims"]))
                      for g in entry["sentences"]]
        starts = {(s.start, s.end) for s in doc.sentences}
        exact += sum(1 for a, b, _ in gold_spans if (a, b) in starts)
        total += len(gold_spans)
        for s in doc.sentences:
            found: set[str] = set()
            for a, b, claims in gold_spans:
                overlap = min(b, s.end) - max(a, s.start)
                if overlap > 0 and overlap * 2 >= min(b - a, s.end - s.start):
                    found |= claims
            labels[s.id] = frozenset(found)
    carriers: dict[str, list[str]] = defaultdict(list)
    for sid, found in labels.items():
        for label in found:
            carriers[label].append(sid)
    required = {
        frozenset((a, b))
        for sids in carriers.values()
        for i, a in enumerate(sids)
        for b in sids[i + 1 :]
        if _document(a) != _document(b)
    }
    paired = {s for pair in required for s in pair}
    unmatched = frozenset(sid for sid in labels if sid not in paired)
    names = {pair: "+".join(sorted(labels[min(pair)] & labels[max(pair)])) for pair in required}
    return Gold(frozenset(required), frozenset(), unmatched, names, frozenset(events), events, (exact, total), labels)


def by_language_pair(report: Report, gold: Gold) -> dict[tuple[str, str], Scores]:
    """The same scores restricted to the pairs between two languages (each pair of languages once)."""
    lang = {d.id: d.article.lang for d in report.documents}

    def key(pair: Pair) -> tuple[str, str]:
        a, b = sorted(lang[_document(s)] for s in pair)
        return a, b

    every = predicted_pairs(report)
    predicted = {p for p in every if not gold.scope or any(_document(s) in gold.scope for s in p)}
    ok = gold.required | gold.acceptable
    keys = {key(p) for p in predicted | gold.required}
    out = {}
    for k in sorted(keys):
        pred = {p for p in predicted if key(p) == k}
        req = {p for p in gold.required if key(p) == k}
        out[k] = Scores(len(pred), len(pred & ok), len(req), len(pred & req), 0, 0, 0,
                        tuple(sorted(pred - ok, key=sorted)), tuple(sorted(req - pred, key=sorted)))
    return out


def claims_across_events(report: Report, gold: Gold) -> list[str]:
    """Ids of claims that join sentences of two gold events that state no claim in common (a report
    of one event may state a claim of another: "the same court also upheld Google's fine")."""
    if not gold.events:
        return []
    out = []
    for c in report.claims:
        sids = [s for s in c.sentence_ids() if _document(s) in gold.events]
        if any(gold.events[_document(a)] != gold.events[_document(b)]
               and not (gold.sentence_claims.get(a, frozenset()) & gold.sentence_claims.get(b, frozenset()))
               for i, a in enumerate(sids) for b in sids[i + 1:]):
            out.append(c.id)
    return out


def format_language_pairs(table: dict[tuple[str, str], Scores]) -> str:
    lines = ["by language pair:   pairs  P      R      F1"]
    for (a, b), s in table.items():
        lines.append(f"  {a}-{b:<6}        {s.required:>5}  {s.precision:.3f}  {s.recall:.3f}  {s.f1:.3f}")
    return "\n".join(lines)


def _resolve_document(report: Report, doc_id: str, gold_path: Path) -> None:
    try:
        report.document(doc_id)
    except KeyError:
        raise ReaderError(f"{gold_path}: gold names document {doc_id!r}, which the report does not have") from None


def predicted_pairs(report: Report) -> set[Pair]:
    out: set[Pair] = set()
    for claim in report.claims:
        for m1, m2 in combinations(claim.members, 2):
            out.update(frozenset((a, b)) for a in m1.sentences for b in m2.sentences)
    return out


def _document(sentence_id: str) -> str:
    return sentence_id.rpartition(":")[0]


def score(report: Report, gold: Gold) -> Scores:
    every = predicted_pairs(report)
    predicted = {p for p in every if not gold.scope or any(_document(s) in gold.scope for s in p)}
    ok = gold.required | gold.acceptable
    in_claims = {sid for c in report.claims for sid in c.sentence_ids()}
    return Scores(
        predicted=len(predicted),
        correct=len(predicted & ok),
        required=len(gold.required),
        found=len(predicted & gold.required),
        unmatched_total=len(gold.unmatched),
        unmatched_kept=len(gold.unmatched - in_claims),
        out_of_scope=len(every - predicted),
        false_pairs=tuple(sorted(predicted - ok, key=sorted)),
        missed_pairs=tuple(sorted(gold.required - predicted, key=sorted)),
    )


def format_scores(name: str, s: Scores, report: Report | None = None) -> str:
    lines = [
        f"{name}: precision {s.precision:.3f}  recall {s.recall:.3f}  F1 {s.f1:.3f}  "
        f"({s.correct}/{s.predicted} predicted pairs correct, {s.found}/{s.required} gold pairs found; "
        f"{s.unmatched_kept}/{s.unmatched_total} gold-unmatched sentences left unmatched)"
    ]
    if s.out_of_scope:
        lines.append(f"  {s.out_of_scope} predicted pairs lie between documents this gold does not annotate")
    if report is not None:
        for label, pairs in (("false", s.false_pairs), ("missed", s.missed_pairs)):
            for pair in pairs:
                a, b = sorted(pair)
                lines.append(f"  {label}: {a} {_short(report, a)} <-> {b} {_short(report, b)}")
    return "\n".join(lines)


def _short(report: Report, sid: str) -> str:
    text = report.sentence(sid).text
    return repr(text[:48] + ("…" if len(text) > 48 else ""))
