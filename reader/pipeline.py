"""Wires the stages, files -> Report, reporting progress through a callback.

reading -> (segmenting) -> translating -> embedding -> aligning -> comparing

Every stage is a plain function of its own module; this one only passes data
along, opens the cache, and decides what a missing model means. Models load
lazily inside their stage, so building a report for files that fail to read
costs nothing.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from reader import align as aligner
from reader.align import calibration as calibrations
from reader.errors import BadInput, ReaderError
from reader.facts import SentenceFacts
from reader.model import Article, Claim, Document, Member, Report
from reader.progress import Progress, ProgressFn, check_cancel, no_progress
from reader.settings import AlignConfig, Limits, Settings, limits, overridden
from reader.store import Store


@dataclass
class Components:
    """The replaceable parts: tests pass fakes, the app passes loaded models to reuse them."""

    embedder: object | None = None  # reader.embed.Embedder
    translator: object | None = None  # reader.translate.Translator
    store: Store | None = None
    config: AlignConfig = field(default_factory=lambda: overridden(AlignConfig(), "ALIGN"))
    calibration: calibrations.Calibration | None = None  # None: the model's stored one, else ad hoc from the run
    facts: SentenceFacts = field(default_factory=SentenceFacts)  # the facts stage's values, kept across runs


def read_documents(
    paths: Sequence[str | Path], on_error: Callable[[BadInput], None], progress: ProgressFn = no_progress,
    bounds: Limits | None = None,
) -> list[Document]:
    """Articles of ``paths`` split into sentences. An article of more sentences than
    ``Limits.document_sentences``, or one that would take the run past ``Limits.run_sentences``,
    is reported to ``on_error`` and left out; the others are read."""
    from reader import ingest

    progress(Progress("reading", 0, len(paths), "reading articles"))
    documents = documents_of(ingest.read_paths(paths, on_error), on_error, bounds)
    progress(Progress("reading", len(paths), len(paths), f"{len(documents)} articles"))
    return documents


def documents_of(articles: Sequence[Article], on_error: Callable[[BadInput], None],
                 bounds: Limits | None = None) -> list[Document]:
    """Articles split into sentences, within ``bounds`` (as :func:`read_documents` says)."""
    from reader import segment

    bounds = bounds or limits()
    documents, total = [], 0
    for article in articles:
        sentences = segment.split_sentences(article)
        if len(sentences) > bounds.document_sentences:
            on_error(BadInput(article.path, f"{len(sentences):,} sentences, over the limit of "
                              f"{bounds.document_sentences:,} for one article",
                              hint="raise it with --max-sentences N (or READER_LIMITS_DOCUMENT_SENTENCES)"))
            continue
        if total + len(sentences) > bounds.run_sentences:
            on_error(BadInput(article.path, f"left out: it would take the run past {bounds.run_sentences:,} sentences",
                              hint="align fewer files at once, or raise the limit with --max-run-sentences N "
                                   "(or READER_LIMITS_RUN_SENTENCES)"))
            continue
        total += len(sentences)
        documents.append(Document(article, sentences))
    return documents


def build_report(
    paths: Sequence[str | Path],
    settings: Settings,
    progress: ProgressFn | None = None,
    cancel: threading.Event | None = None,
    on_error: Callable[[BadInput], None] | None = None,
    components: Components | None = None,
) -> Report:
    """Read, translate, embed, align and compare the articles under ``paths``.

    Unreadable files go to ``on_error`` (one BadInput each) and the rest goes on;
    with no readable article at all this raises ReaderError.
    """
    progress = progress or no_progress
    parts = components or Components()
    problems: list[str] = []

    def bad_file(error: BadInput) -> None:
        problems.append(error.message)
        if on_error is not None:
            on_error(error)

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    documents = read_documents(paths, bad_file, progress, settings.limits)
    if not documents:
        raise ReaderError("no readable articles in " + ", ".join(str(p) for p in paths),
                          hint="reader reads .txt, .md, .html, .json and .jsonl files")
    timings["reading"] = time.perf_counter() - clock
    return report_for(documents, settings, progress, cancel, parts, problems, timings)


def report_for(
    documents: list[Document],
    settings: Settings,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    parts: Components | None = None,
    problems: Sequence[str] = (),
    timings: dict[str, float] | None = None,
) -> Report:
    """The stages after reading: for documents already in memory (batch mode, eval)."""
    parts = parts or Components()
    timings = dict(timings or {})
    store = parts.store = parts.store or Store(settings.store_path)

    clock = time.perf_counter()
    facts_of = parts.facts.by_sentence(documents)  # once per sentence: anchors for alignment, values to compare
    timings["facts"] = time.perf_counter() - clock

    clock = time.perf_counter()
    documents, missing = translate_stage(documents, settings, store, parts, progress, cancel)
    timings["translating"] = time.perf_counter() - clock
    check_cancel(cancel)

    clock = time.perf_counter()
    embedder = parts.embedder
    if embedder is None:
        from reader.embed import make_embedder

        embedder = parts.embedder = make_embedder(settings, progress)
    from reader.embed import embed_cached, embed_with_tokens_cached

    texts = [s.text for d in documents for s in d.sentences]
    if parts.config.token_scores:
        vectors, tokens = embed_with_tokens_cached(texts, embedder, store, progress, cancel)
    else:
        vectors, tokens = embed_cached(texts, embedder, store, progress, cancel), None
    timings["embedding"] = time.perf_counter() - clock
    check_cancel(cancel)

    clock = time.perf_counter()
    progress(Progress("aligning", 0, 1, f"{len(texts)} sentences"))
    calibration_of(parts, settings)
    claims, unmatched, alignment = align_documents(documents, vectors, parts.config, tokens, parts.calibration,
                                                   getattr(embedder, "model_id", "?"), facts_of)
    progress(Progress("aligning", 1, 1, f"{len(claims)} claims"))
    timings["aligning"] = time.perf_counter() - clock

    report = Report(
        documents=tuple(documents),
        claims=tuple(claims),
        unmatched=unmatched,
        meta={
            "embedding_model": getattr(embedder, "model_id", "?"),
            "thresholds": {k: round(v, 4) for k, v in alignment.thresholds.items() if np.isfinite(v)},
            "calibration": parts.calibration.about if parts.calibration else "ad hoc: from the run's own documents",
            "untranslated_languages": list(missing),
            "errors": list(problems),
        },
    )
    clock = time.perf_counter()
    report = _compare(report, progress, facts_of)
    timings["comparing"] = time.perf_counter() - clock
    report.meta["timings"] = {k: round(v, 3) for k, v in timings.items()}
    return report


def calibration_of(parts: Components, settings: Settings) -> calibrations.Calibration | None:
    """The run's calibration: the one the parts carry, else the embedder's stored one (kept in
    the parts, so that a run reads the file once)."""
    if parts.calibration is None:
        parts.calibration = find_calibration(getattr(parts.embedder, "model_id", "?"), settings)
    return parts.calibration


def find_calibration(model_id: str, settings: Settings) -> calibrations.Calibration | None:
    """The stored calibration of this embedding model (``reader calibrate`` writes one), if any."""
    try:
        return calibrations.find(model_id, [settings.calibration_dir])
    except ValueError as exc:
        raise ReaderError(str(exc), hint="run reader calibrate again, or delete the file") from None


def align_documents(
    documents: list[Document],
    vectors: np.ndarray,
    config: AlignConfig,
    tokens: Sequence[np.ndarray] | None = None,
    calibration: calibrations.Calibration | None = None,
    model_id: str = "?",
    facts_of: Mapping[str, tuple] | None = None,
) -> tuple[list[Claim], tuple[str, ...], aligner.Alignment]:
    """Claims and unmatched sentence ids for documents whose sentence vectors (and, when the
    embedder gives them, token vectors: one array per sentence, in the same order) are known.
    Without a calibration the run's own documents stand in for one (not invariant)."""
    docs = doc_vectors(documents, vectors, tokens, config.min_words, facts_of)
    if calibration is None:
        from reader.align import fit

        calibration = fit.adhoc(docs, model_id)
    alignment = aligner.align(docs, calibration, config)
    claims = _claims(documents, alignment)
    in_claims = {sid for c in claims for sid in c.sentence_ids()}
    unmatched = tuple(s.id for d in documents for s in d.sentences if s.id not in in_claims)
    return claims, unmatched, alignment


def translate_stage(documents, settings, store, parts, progress=no_progress, cancel=None):
    """The translation stage alone (English articles pass; a missing package leaves translations empty)."""
    if all(d.article.lang == "en" for d in documents):
        return documents, []
    from reader import translate

    translator = parts.translator
    if translator is None:
        translator = parts.translator = translate.ArgosTranslator(settings)
    documents, missing = translate.translate_documents(documents, translator, store, progress, cancel)
    if missing and settings.require_translation:
        translate.require_packages(missing)
    return documents, missing


def _compare(report: Report, progress: ProgressFn, facts_of: Mapping[str, tuple] | None = None) -> Report:
    from reader import discrepancy

    progress(Progress("comparing", 0, 1, "comparing facts"))
    report = discrepancy.annotate(report, facts_of)
    flagged = sum(1 for c in report.claims if c.discrepancies)
    progress(Progress("comparing", 1, 1, f"{flagged} claims with discrepancies"))
    return report


def _published(doc: Document) -> date | None:
    try:
        return date.fromisoformat(doc.article.published) if doc.article.published else None
    except ValueError:
        return None


def _word_count(text: str) -> int:
    """Words, where a run of Han, kana, Thai or Lao letters counts one word per two characters."""
    words = 0
    for token in text.split():
        unspaced = sum(1 for ch in token if _UNSPACED_SCRIPT.match(ch))
        if unspaced:
            words += max(1, unspaced // 2)
        elif any(ch.isalnum() for ch in token):
            words += 1
    return words


_UNSPACED_SCRIPT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0eff]")


def _furniture(documents: list[Document]) -> set[tuple[str, str]]:
    """Lines that one outlet repeats verbatim across its articles: page furniture, not claims."""
    seen: dict[tuple[str, str], set[str]] = {}
    for doc in documents:
        outlet = doc.article.outlet
        if not outlet:
            continue
        for s in doc.sentences:
            seen.setdefault((outlet, s.text), set()).add(doc.id)
    return {key for key, docs in seen.items() if len(docs) > 1}


def _anchors(doc: Document, facts_of: Mapping[str, tuple] | None = None) -> tuple[frozenset[str], ...]:
    """Places (by the exonym file), short quoted names (by skeleton), numbers and dates of each
    sentence, as canonical values comparable across scripts (from the facts stage when it ran)."""
    from reader import facts, names

    out = []
    for s in doc.sentences:
        found = facts_of[s.id] if facts_of is not None and s.id in facts_of else facts.extract(
            s.text, doc.article.lang, doc.article.published)
        quoted = {f"name:{key}" for key in names.quoted_names(s.text)}  # venues, companies: «Ынтымак Ордо»
        out.append(frozenset(a for f in found for a in _anchor_values(f)) | quoted)
    return tuple(out)


def _name_keys(doc: Document) -> tuple[tuple[frozenset[str], frozenset[str]], ...]:
    """Each sentence's names and (in scripts without case) words, as skeletons comparable across scripts."""
    from reader import langid, names

    stop = langid.stopwords(doc.article.lang)
    return tuple(names.sentence_keys(s.text, stop, doc.article.lang) for s in doc.sentences)


def _anchor_values(fact) -> list[str]:
    """A date range counts as each of its days (up to a week), so "25–27 November" meets "25 November".
    A dateline's place and date, a weekday read as a date, and any guess are no anchors: two sentences of one week's story
    both saying "on Wednesday" are not the same claim for that."""
    if fact.extra.get("dateline") or (fact.kind == "date" and (fact.extra.get("weekday") or fact.extra.get("approx"))):
        return []
    if fact.kind == "date" and "/" in fact.value:
        try:
            lo, hi = (date.fromisoformat(x) for x in fact.value.split("/"))
        except ValueError:
            return [f"date:{fact.value}"]
        if 0 <= (hi - lo).days <= 7:
            return [f"date:{date.fromordinal(d).isoformat()}" for d in range(lo.toordinal(), hi.toordinal() + 1)]
    if fact.kind == "name" or fact.extra.get("adjective"):  # names are compared by skeleton (names.sentence_keys)
        return []
    if fact.extra.get("low") is not None and "–" in fact.value:  # a range counts as each end: "8–8.5" meets "8"
        low, high = fact.value.split("–", 1)
        currency = f" {high.split()[-1]}" if fact.kind == "money" else ""
        return [f"{fact.kind}:{fact.value}", f"{fact.kind}:{low}{currency}", f"{fact.kind}:{high}"]
    return [f"{fact.kind}:{fact.value}"]


def doc_vectors(
    documents: list[Document], vectors: np.ndarray, tokens: Sequence[np.ndarray] | None = None, min_words: int = 4,
    facts_of: Mapping[str, tuple] | None = None,
) -> list[aligner.DocVectors]:
    """What alignment needs of each document: vectors, language, date, anchors, which sentences may align."""
    from reader.apparatus import is_apparatus

    furniture = _furniture(documents)
    out, row = [], 0
    for doc in documents:
        n = len(doc.sentences)
        alignable = np.array(
            [
                _word_count(s.text) >= min_words and (doc.article.outlet, s.text) not in furniture
                and not is_apparatus(s.text)  # "(Reporting by …)", "Also read: …"
                for s in doc.sentences
            ],
            dtype=bool,
        )
        out.append(
            aligner.DocVectors(
                vectors=vectors[row : row + n] if n else np.zeros((0, vectors.shape[1] or 1), np.float32),
                weights=np.asarray([len(s.text) for s in doc.sentences], dtype=np.float32),
                published=_published(doc),
                lang=doc.article.lang,
                anchors=_anchors(doc, facts_of),
                alignable=alignable,
                tokens=tuple(tokens[row : row + n]) if tokens is not None else None,
                keys=_name_keys(doc),
            )
        )
        row += n
    return out


def _claims(documents: list[Document], alignment: aligner.Alignment) -> list[Claim]:
    claims = []
    for number, ac in enumerate(alignment.claims, start=1):
        members = tuple(
            Member(documents[d].id, tuple(documents[d].sentences[i].id for i in idx)) for d, idx in ac.members
        )
        claims.append(Claim(id=f"c{number}", score=ac.score, members=members))
    return claims
