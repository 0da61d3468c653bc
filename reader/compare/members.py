"""One member of a claim as the comparison sees it (its facts, names, speaker), and what the whole
run knows that a single member cannot (:class:`Run`): which skeletons are names, which office
description stands for which name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reader.facts import Fact, concepts_in, extract
from reader.facts.names import NOUNS_CAPITALISED, name_key, name_mentions, word_keys
from reader.facts.speakers import Book, Speaker, find_speaker, roles
from reader.model import Document, Report, Sentence, Span
from reader.names import caseless
from reader.settings import CompareConfig
from reader.tokens import tokens

EVENT_WINDOW_DAYS = CompareConfig().event_window_days  # tunables live in reader.settings
EVENT_SHARE = CompareConfig().event_share
FIGURE_RATIO = CompareConfig().figure_ratio
YEAR_GAP = CompareConfig().year_gap
FIGURE_KINDS = ("number", "percent", "money")

# ----------------------------------------------------------------------------- member facts
@dataclass
class Member:
    doc: str
    lang: str
    published: str | None
    sentences: list[Sentence]
    facts: list[tuple[Fact, Sentence]] = field(default_factory=list)  # from the original
    tfacts: list[Fact] = field(default_factory=list)  # from translations (no spans)
    text: str = ""
    translation: str = ""
    concepts: set[str] = field(default_factory=set)
    speaker: Speaker | None = None
    speaker_span: Span | None = None
    words: frozenset[str] = frozenset()  # every word's skeleton and the places named, original and English
    named: dict[str, tuple[str, Span]] = field(default_factory=dict)  # names and places: key -> (as written, where)
    roles: set[tuple[str, str | None]] = field(default_factory=set)  # offices described ("the Russian president")

    def of(self, *kinds: str) -> list[tuple[Fact, Sentence]]:
        return [(f, s) for f, s in self.facts if f.kind in kinds]

    def t_of(self, *kinds: str) -> list[Fact]:
        return [f for f in self.tfacts if f.kind in kinds]


def span(f: Fact, s: Sentence) -> Span:
    return Span(s.id, s.start + f.start, s.start + f.end)


def sentence_span(s: Sentence) -> Span:
    return Span(s.id, s.start, s.end)


FactsOf = Mapping[str, tuple[Fact, ...]]  # sentence id -> facts of its original text (the facts stage)


def sentence_facts(s: Sentence, doc: Document, facts_of: FactsOf | None) -> tuple[Fact, ...] | list[Fact]:
    """A sentence's facts from the facts stage, or read now when it did not run (a hand-built report)."""
    if facts_of is not None and s.id in facts_of:
        return facts_of[s.id]
    return extract(s.text, doc.article.lang, doc.article.published)


@dataclass
class Run:
    """What the comparison knows of the whole run: the skeletons its reports write as names (a
    capitalised word inside a sentence, in a language that capitalises names only, and never
    written in lower case), by document, so that a name in Arabic or Devanagari is found by what
    the other reports of its claim call a name; and which description stands for which name
    (:class:`reader.facts.speakers.Book`)."""

    names_by_doc: dict[str, frozenset[str]] = field(default_factory=dict)
    book: Book = field(default_factory=Book)

    @classmethod
    def of(cls, report: Report) -> Run:
        from reader.langid import stopwords

        lower: set[str] = set()  # words written in lower case somewhere: common words, not names
        capitals: dict[str, list[tuple[str, str]]] = {}
        for doc in report.documents:
            if doc.article.lang in NOUNS_CAPITALISED:
                continue
            mine = capitals.setdefault(doc.id, [])
            for s in doc.sentences:
                for n, (word, _, _) in enumerate(tokens(s.text)):
                    if caseless(word) or not word[0].isalpha():
                        continue
                    if word[0].islower():
                        lower.add(word)
                    elif n > 0:
                        mine.append((word, doc.article.lang))
        names = {d: {name_key(w, lang) for w, lang in words if w.lower() not in lower} for d, words in capitals.items()}
        run = cls({d: frozenset(k for k in keys if len(k) >= 3) for d, keys in names.items()})
        known = run.known_for(run.names_by_doc)
        for doc in report.documents:
            stop = stopwords(doc.article.lang)
            for s in doc.sentences:
                run.book.read(s.text, doc.article.lang, known, stop)
        return run

    def known_for(self, docs: Iterable[str]) -> frozenset[str]:
        return frozenset().union(*(self.names_by_doc.get(d, frozenset()) for d in docs))


def member(report: Report, doc: Document, sentence_ids: Iterable[str], facts_of: FactsOf | None = None,
            run: Run | None = None, known: frozenset[str] = frozenset()) -> Member:
    from reader.langid import stopwords

    run = run or Run()
    a = doc.article
    sents = [report.sentence(sid) for sid in sentence_ids]
    mem = Member(a.id, a.lang, a.published, sents)
    for s in sents:
        for f in sentence_facts(s, doc, facts_of):
            if not f.extra.get("dateline"):  # where and when the report was filed, not what it claims
                mem.facts.append((f, s))
                if f.kind == "name" and (f.start == 0 or a.lang in NOUNS_CAPITALISED) and f.value not in known:
                    continue  # a capital that only starts the sentence, or a German noun
                if f.kind == "name" or (f.kind == "place" and not f.extra.get("adjective")):
                    mem.named.setdefault(("" if f.kind == "name" else "=") + f.value, (f.surface, span(f, s)))
        if s.translation:
            mem.tfacts += extract(s.translation, "en", a.published)
        if known:  # names in a script without case: the words the claim's reports call names
            for m in name_mentions(s.text, a.lang, frozenset(), known):
                if caseless(m.surface):
                    mem.named.setdefault(m.value, (m.surface, Span(s.id, s.start + m.start, s.start + m.end)))
    mem.text = " ".join(s.text for s in sents)
    mem.translation = " ".join(s.translation or "" for s in sents)
    mem.concepts = concepts_in(mem.text) | concepts_in(mem.translation)
    mem.words = word_keys(mem.text) | word_keys(mem.translation)
    mem.roles = {r for text in (mem.text, mem.translation) for r, _, _ in roles(text) if r[1]}
    stop = stopwords(a.lang)
    people = frozenset(k for k in known if run.book.person(k))
    for s in sents:
        found = find_speaker(s.text, a.lang, known, stop, people)
        if found:
            mem.speaker, mem.speaker_span = found, Span(s.id, s.start + found.start, s.start + found.end)
            break
    if mem.speaker is None:
        for s in sents:
            if s.translation and (found := find_speaker(s.translation, "en", known, people=people)):
                mem.speaker, mem.speaker_span = found, sentence_span(s)
                break
    return mem


# ------------------------------------------------------------------------ pairwise findings
@dataclass
class Finding:
    kind: str
    key: str  # what is compared: a concept, "date", "speaker", "name"
    values: dict[str, str]
    spans: dict[str, tuple[Span, ...]]
    surfaces: dict[str, str]
