"""A perturbation suite for discrepancy detection, made from the bishkek-2025 sample corpus.

Pure (the standard library, and ``reader.docids`` to name documents as ingest does). Each
:class:`Case` changes one string in one report — a figure, a number word, a date, a name, a
speaker — in a sentence that has a counterpart in another report, and
says which discrepancy kind should then appear on which claim. Equivalence cases (``kind``
None) rewrite a fact into an equal form («три» → «3», «в 2024 г.» → «в прошлом году») and
must raise nothing.

Two ways to run it:

* :func:`run_suite` with ``make_report({file name: text}) -> Report`` — the real pipeline
  (``reader eval`` wires it). The unmodified corpus is run once as a baseline.
* :func:`run_hand_suite` — no pipeline: :func:`hand_report` splits the texts with a small
  splitter and joins sentences into the hand-built claims of :data:`SAMPLE_CLAIMS`, then
  :func:`reader.discrepancy.annotate` runs.

Scoring (:class:`Scores`): only flags that are **new** against the baseline count (a flag whose
kind and values the unmodified corpus already raises — on whatever claim — or that is one of the
hand-checked :data:`ACCEPTED_FLAGS` of the unmodified corpus, is not caused by the perturbation; those are judged by a
person once, see the issue's closing note). A new flag is true when it sits on a claim that
holds the changed sentence and has one of the case's expected kinds; every other new flag —
on another claim, of another kind, or in an equivalence case — is a false positive.
Precision = true / (true + false); recall = perturbation cases with at least one true flag /
perturbation cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

from reader import docids
from reader.discrepancy import annotate
from reader.eval.perturb_cases import ACCEPTED_FLAGS, CASES, SAMPLE_CLAIMS, Case
from reader.model import Article, Claim, Document, Member, Report, Sentence

__all__ = [
    "Case",
    "CASES",
    "ACCEPTED_FLAGS",
    "SAMPLE_CLAIMS",
    "Scores",
    "CaseResult",
    "apply_case",
    "hand_report",
    "load_texts",
    "run_hand_suite",
    "run_suite",
]


# ------------------------------------------------------------------------------ texts
_FRONT = re.compile(r"\A---\n(?P<head>.*?)\n---\n", re.DOTALL)


def load_texts(corpus_dir: str | Path) -> dict[str, str]:
    """{file name: text} of the article files in a corpus folder (README*, gold*, *.json skipped)."""
    out = {}
    for p in sorted(Path(corpus_dir).iterdir()):
        if p.is_file() and p.suffix in (".txt", ".md") and not p.name.lower().startswith(("readme", "gold")):
            out[p.name] = p.read_text(encoding="utf-8")
    return out


def _script_lang(text: str) -> str:
    counts = {"ar": 0, "ru": 0, "hi": 0, "en": 0}
    for ch in text[:2000]:
        o = ord(ch)
        if 0x0600 <= o <= 0x06FF:
            counts["ar"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
        elif 0x0900 <= o <= 0x097F:
            counts["hi"] += 1
        elif ch.isascii() and ch.isalpha():
            counts["en"] += 1
    return max(counts, key=lambda k: counts[k])


def _sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A small splitter for the hand-built sample: lines, then . ! ? । before a non-lowercase start."""
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        ls = start + line.start()
        piece_start = ls
        for m in re.finditer(r"[.!?।](?=\s+(?![a-zа-яё\-–]))", line.group()):
            cut = ls + m.end()
            spans.append((piece_start, cut))
            piece_start = cut
        spans.append((piece_start, ls + len(line.group())))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _documents(texts: Mapping[str, str]) -> list[Document]:
    """One document per text, named as reader names files (``reader.docids``): ``ru-bishkek.txt`` is
    ``ru-bishkek`` here as in ``reader align`` and ``reader batch``."""
    heads = []
    for name, text in texts.items():
        meta: dict[str, str] = {}
        body_start = 0
        if (fm := _FRONT.match(text)):
            body_start = fm.end()
            for line in fm["head"].splitlines():
                k, _, v = line.partition(":")
                meta[k.strip()] = v.strip()
        lang = meta.get("lang") or _script_lang(text[body_start:])
        published = meta.get("published") or None
        if published is None:
            published = "2020-12-02" if lang == "en" else "2025-11-26"  # the seed files' dates
        heads.append((name, lang, text, body_start, published))
    # each text is one document here, so a file's id is its name's slug (a digest only when two collide)
    items = [(name, lang, docids.file_ids(name, [(lang, text[start:])], several=False)[0], docids.digest(text[start:]))
             for name, lang, text, start, _ in heads]
    docs = []
    for (name, lang, text, body_start, published), doc_id in zip(heads, docids.run_ids(items)):
        article = Article(doc_id, name, lang, text, body_start, len(text), published=published)
        sents = tuple(
            Sentence(f"{doc_id}:{i}", doc_id, i, text[s:e], s, e)
            for i, (s, e) in enumerate(_sentence_spans(text, body_start, len(text)))
        )
        docs.append(Document(article, sents))
    return docs


def hand_report(texts: Mapping[str, str], claims: Mapping[str, Mapping[str, tuple[str, ...]]] | None = None,
                reference: Mapping[str, str] | None = None) -> Report:
    """An unannotated Report of ``texts`` joined into the hand-built claims.

    Snippets name sentences in ``reference`` (the unmodified texts; default ``texts``), so a
    perturbation that changes a snippet still finds its sentence by position.
    """
    claims = SAMPLE_CLAIMS if claims is None else claims
    docs = _documents(texts)
    ref_docs = _documents(reference) if reference is not None else docs
    by_id = {d.id: d for d in docs}
    ref_by_id = {d.id: d for d in ref_docs}
    out_claims = []
    used: set[str] = set()
    for name, members in claims.items():
        ms = []
        for doc_id, snippets in members.items():
            ref = ref_by_id[doc_id]
            idx = []
            for snip in snippets:
                hits = [s.index for s in ref.sentences if snip in s.text]
                if len(hits) != 1:
                    raise ValueError(f"claim {name}: snippet {snip!r} names {len(hits)} sentences of {doc_id}")
                idx.append(hits[0])
            idx.sort()
            if idx != list(range(idx[0], idx[-1] + 1)):
                raise ValueError(f"claim {name}: sentences of {doc_id} are not adjacent")
            sids = tuple(by_id[doc_id].sentences[i].id for i in idx)
            used.update(sids)
            ms.append(Member(doc_id, sids))
        out_claims.append(Claim(name, 1.0, tuple(ms)))
    unmatched = tuple(s.id for d in docs for s in d.sentences if s.id not in used)
    return Report(tuple(docs), tuple(out_claims), unmatched)


def apply_case(texts: Mapping[str, str], case: Case) -> tuple[dict[str, str], str, int]:
    """The texts with the case applied, the file changed, and where (offset of the change)."""
    hits = [name for name, t in texts.items() if case.find in t]
    if len(hits) != 1 or texts[hits[0]].count(case.find) != 1:
        raise ValueError(f"case {case.id}: {case.find!r} must occur once in one file (found in {hits})")
    name = hits[0]
    t = texts[name]
    at = t.index(case.find)
    out = dict(texts)
    out[name] = t[:at] + case.replace + t[at + len(case.find):]
    return out, name, at


# ------------------------------------------------------------------------------ scoring
@dataclass
class CaseResult:
    case: Case
    detected: bool
    true_flags: list[str] = field(default_factory=list)  # "claim kind: detail"
    false_flags: list[str] = field(default_factory=list)
    error: str | None = None


@dataclass
class Scores:
    perturbations: int
    equivalences: int
    detected: int
    true_flags: int
    false_flags: int
    results: list[CaseResult]

    @property
    def precision(self) -> float:
        flagged = self.true_flags + self.false_flags
        return self.true_flags / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        return self.detected / self.perturbations if self.perturbations else 1.0

    def summary(self) -> str:
        return (f"discrepancy suite: {self.perturbations} perturbations, {self.equivalences} equivalences; "
                f"precision {self.precision:.3f} ({self.true_flags}/{self.true_flags + self.false_flags} flags), "
                f"recall {self.recall:.3f} ({self.detected}/{self.perturbations} cases)")


def _flags(report: Report) -> dict[tuple[frozenset[str], str, tuple[tuple[str, str], ...]], str]:
    """Every claim discrepancy, keyed by (claim sentences, kind, values) so runs compare."""
    out = {}
    for c in report.claims:
        key = frozenset(c.sentence_ids())
        for d in c.discrepancies:
            out[(key, d.kind, tuple(sorted(d.values.items())))] = f"{c.id} {d.kind}: {d.detail}"
    return out


def _target_claims(report: Report, file_name: str, offset: int, length: int) -> set[frozenset[str]]:
    """The claims that hold the changed sentence (two, when it says two things)."""
    for doc in report.documents:
        if not (doc.article.path == file_name or doc.article.path.endswith("/" + file_name)):
            continue
        for s in doc.sentences:
            if s.start < offset + max(length, 1) and offset < s.end:
                return {frozenset(c.sentence_ids()) for c in report.claims_of().get(s.id, ())}
    return set()


def _score(make: Callable[[dict[str, str]], Report], texts: Mapping[str, str], cases: tuple[Case, ...]) -> Scores:
    # a flag is the perturbation's only if its content (kind and values) is new: the same
    # discrepancy on a claim that alignment happened to form differently is not
    baseline = {(kind, values) for _, kind, values in _flags(make(dict(texts)))} | set(ACCEPTED_FLAGS)
    results = []
    for case in cases:
        try:
            changed, name, at = apply_case(texts, case)
            report = make(changed)
        except Exception as exc:  # noqa: BLE001 - one broken case must not hide the others
            results.append(CaseResult(case, False, error=f"{type(exc).__name__}: {exc}"))
            continue
        targets = _target_claims(report, name, at, len(case.replace))
        res = CaseResult(case, False)
        for key, text in _flags(report).items():
            if (key[1], key[2]) in baseline:
                continue
            if case.kind and key[0] in targets and key[1] in case.kinds:
                res.true_flags.append(text)
            else:
                res.false_flags.append(text)
        res.detected = bool(res.true_flags)
        results.append(res)
    perturbations = sum(1 for c in cases if c.kind)
    return Scores(
        perturbations=perturbations,
        equivalences=len(cases) - perturbations,
        detected=sum(1 for r in results if r.case.kind and r.detected),
        true_flags=sum(len(r.true_flags) for r in results),
        false_flags=sum(len(r.false_flags) for r in results),
        results=results,
    )


def run_suite(make_report: Callable[[dict[str, str]], Report], texts: Mapping[str, str] | None = None,
              corpus_dir: str | Path = "corpora/bishkek-2025", cases: tuple[Case, ...] = CASES) -> Scores:
    """Score ``make_report`` (files -> aligned Report) on the suite; discrepancies are (re)computed here."""
    texts = load_texts(corpus_dir) if texts is None else texts

    def make(t: dict[str, str]) -> Report:
        return annotate(make_report(t))

    return _score(make, texts, cases)


def run_hand_suite(texts: Mapping[str, str] | None = None, corpus_dir: str | Path = "corpora/bishkek-2025",
                   cases: tuple[Case, ...] = CASES) -> Scores:
    """The suite without the pipeline: hand-built claims, then :func:`annotate`."""
    texts = load_texts(corpus_dir) if texts is None else texts
    reference = dict(texts)
    return _score(lambda t: annotate(hand_report(t, reference=reference)), texts, cases)


def _write_texts(folder: Path, texts: Mapping[str, str]) -> list[Path]:
    """The suite's texts as files (names kept, so a document's path ends with its file name)."""
    paths = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def pipeline_maker(settings: object, components: object | None = None) -> Callable[[dict[str, str]], Report]:
    """A ``make_report`` for :func:`run_suite` that runs the real pipeline on the texts.

    The texts are written under one temporary folder per call (names kept, so a document's
    path ends with its file name) and read back by ``reader.pipeline.build_report``.
    """
    import tempfile

    def make(texts: dict[str, str]) -> Report:
        from reader import pipeline  # imported late: the pipeline pulls numpy and the models

        with tempfile.TemporaryDirectory(prefix="reader-suite-") as tmp:
            paths = _write_texts(Path(tmp), texts)
            return pipeline.build_report(paths, settings, components=components)  # type: ignore[arg-type]

    return make


def fixed_alignment_maker(settings: object, components: object | None = None,
                          reference: Mapping[str, str] | None = None,
                          corpus_dir: str | Path = "corpora/bishkek-2025") -> Callable[[dict[str, str]], Report]:
    """A ``make_report`` that aligns the unmodified corpus once and keeps its claims for every case.

    It measures the comparison of facts with the alignment held still: a perturbed sentence
    stays in the claim it had. (``pipeline_maker`` re-aligns every case: the end-to-end figure,
    which also counts the cases where one changed word moves the aligner.) When a perturbation
    changes the sentence split, the case falls back to re-aligning.
    """
    import dataclasses
    import tempfile

    full = pipeline_maker(settings, components)
    texts = load_texts(corpus_dir) if reference is None else dict(reference)
    base = full(texts)
    shape = [(d.id, len(d.sentences)) for d in base.documents]
    claims = tuple(dataclasses.replace(c, discrepancies=()) for c in base.claims)

    def make(perturbed: dict[str, str]) -> Report:
        from reader import pipeline
        from reader.store import Store

        with tempfile.TemporaryDirectory(prefix="reader-suite-") as tmp:
            documents = pipeline.read_documents(_write_texts(Path(tmp), perturbed), lambda error: None)
        if [(d.id, len(d.sentences)) for d in documents] != shape:
            return full(perturbed)
        parts = components or pipeline.Components()
        store = getattr(parts, "store", None) or Store(settings.store_path)  # type: ignore[attr-defined]
        documents, _ = pipeline.translate_stage(documents, settings, store, parts)
        return Report(documents=tuple(documents), claims=claims, unmatched=base.unmatched, meta=dict(base.meta))

    return make
