"""Pure functions from a Report to what the columns show: no Textual here.

Everything the widgets draw (lines of a sentence at a width, its marker and
colour, which sentences light up with the cursor, what a filter keeps, where a
search matches) is computed here so tests can check it without a terminal.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache

import arabic_reshaper
from bidi import get_display

from reader.model import Claim, Document, Report, Sentence
from reader.tui.bidi_order import display_order, has_mirrored
from reader.tui.wrapping import term_len, wrap

RTL_LANGS = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ug", "sd", "dv"})

# Claim colours: distinct on dark and light themes, cycled by claim position.
PALETTE = (
    "#4ea1ff",  # blue
    "#f0a030",  # orange
    "#3ec47a",  # green
    "#d070e0",  # violet
    "#40c8c8",  # teal
    "#e8d040",  # yellow
    "#ff7b9c",  # pink
    "#a0a0ff",  # lavender
    "#90d040",  # lime
    "#c89060",  # tan
)
UNIQUE_COLOR = "#9a9a9a"

MARK_CLAIM = "●"  # a sentence in a claim
MARK_DISCREPANT = "◆"  # a sentence in a claim whose outlets disagree
MARK_UNIQUE = "○"  # a sentence no other outlet carries
MARK_CONT = "│"  # continuation lines of a claim sentence
GUTTER = 2  # cells before the text: marker and a space


class Mode(str, Enum):
    """What each sentence shows."""

    ORIGINAL = "original"
    ENGLISH = "english"
    BOTH = "both"

    def next(self) -> Mode:
        order = list(Mode)
        return order[(order.index(self) + 1) % len(order)]


class Filter(str, Enum):
    """Which sentences the columns keep."""

    ALL = "all"
    DISCREPANCIES = "discrepancies"  # sentences of claims whose outlets disagree
    UNIQUE = "unique"  # sentences only one outlet has

    def next(self) -> Filter:
        order = list(Filter)
        return order[(order.index(self) + 1) % len(order)]


@dataclass(frozen=True)
class Row:
    """One display line of a sentence, fitting the width; in visual order, unless ``bidi`` says
    it is put there when painted (a column lays out all its lines, but paints a screenful)."""

    text: str
    kind: str  # "original", "english" or "note" (a missing translation)
    rtl: bool = False  # right-aligned in the column
    bidi: str = ""  # "L" or "R": ``text`` is in logical order, and ``shown`` reorders it

    @property
    def shown(self) -> str:
        """The line as the terminal gets it."""
        return shown_line(self.text, self.bidi) if self.bidi else self.text

    @property
    def width(self) -> int:
        """Cells the terminal gives the line."""
        return term_len(self.shown)


@dataclass
class ReportIndex:
    """Look-ups over a report that every move needs, computed once.

    ``shown`` narrows the columns to some documents, in that order (the outlets a reader
    picked to compare); claims, colours and "only here" still count every document.
    """

    report: Report
    shown: tuple[str, ...] | None = None
    claim_of: dict[str, Claim] = field(init=False)
    claim_pos: dict[str, int] = field(init=False)
    doc_pos: dict[str, int] = field(init=False)
    unique: frozenset[str] = field(init=False)
    documents: tuple[Document, ...] = field(init=False)
    claims: tuple[Claim, ...] = field(init=False)  # the claims with a member in a shown document
    doc_by_id: dict[str, Document] = field(init=False)
    sentence_by_id: dict[str, Sentence] = field(init=False)

    def __post_init__(self) -> None:
        self.claim_of = self.report.claim_of()
        self.claim_pos = {c.id: i for i, c in enumerate(self.report.claims)}  # colours alike in every view
        self.doc_by_id = {d.id: d for d in self.report.documents}
        self.sentence_by_id = {s.id: s for d in self.report.documents for s in d.sentences}
        if self.shown is None:
            self.documents = column_order(self.report)
        else:
            self.documents = tuple(self.doc_by_id[doc_id] for doc_id in dict.fromkeys(self.shown))
        self.doc_pos = {d.id: i for i, d in enumerate(self.documents)}
        self.claims = tuple(c for c in self.report.claims if any(m.document in self.doc_pos for m in c.members))
        self.unique = frozenset(
            s.id for d in self.report.documents for s in d.sentences if s.id not in self.claim_of
        )

    @property
    def narrowed(self) -> bool:
        """True when the columns show some of the report's documents only."""
        return len(self.documents) < len(self.report.documents)

    def document(self, doc_id: str) -> Document:
        return self.doc_by_id[doc_id]

    def sentence(self, sentence_id: str) -> Sentence:
        return self.sentence_by_id[sentence_id]

    def colour(self, claim: Claim) -> str:
        return claim_colour(self.claim_pos[claim.id])

    def marker(self, sentence_id: str) -> tuple[str, str]:
        """The gutter mark of a sentence and its colour."""
        claim = self.claim_of.get(sentence_id)
        if claim is None:
            return MARK_UNIQUE, UNIQUE_COLOR
        return (MARK_DISCREPANT if claim.discrepancies else MARK_CLAIM), self.colour(claim)

    def highlight(self, sentence_id: str | None, claim: Claim | None = None) -> frozenset[str]:
        """The sentences that light up with the cursor on ``sentence_id``: the members of ``claim``
        when the sentence is in it (a sentence can be in two claims), else of its first claim."""
        claim = self.focus(sentence_id, claim)
        if claim is None:
            return frozenset()
        return frozenset(s for m in claim.members if m.document in self.doc_pos for s in m.sentences)

    def focus(self, sentence_id: str | None, claim: Claim | None = None) -> Claim | None:
        """The claim in focus with the cursor on ``sentence_id``: ``claim`` if the sentence is in it,
        else the sentence's first claim."""
        if claim is not None and sentence_id in claim.sentence_ids():
            return claim
        return self.claim_of.get(sentence_id or "")

    def visible(self, doc: Document, flt: Filter) -> list[Sentence]:
        return visible_sentences(self, doc, flt)


def column_order(report: Report) -> tuple[Document, ...]:
    """Columns left to right: the story with the most claims first, so an unrelated article never
    splits it. Articles joined by claims form a story; stories go by their number of claims,
    articles within a story (and stories that tie) keep report order."""
    position = {d.id: i for i, d in enumerate(report.documents)}
    parent = {d.id: d.id for d in report.documents}

    def root(doc_id: str) -> str:
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    for claim in report.claims:
        first, *others = [m.document for m in claim.members if m.document in parent]
        for other in others:
            parent[root(other)] = root(first)
    weight: dict[str, int] = {}
    for claim in report.claims:
        story = root(claim.members[0].document)
        weight[story] = weight.get(story, 0) + 1
    first_of: dict[str, int] = {}
    for d in report.documents:
        first_of.setdefault(root(d.id), position[d.id])

    def key(doc: Document) -> tuple[int, int, int]:
        story = root(doc.id)
        return (-weight.get(story, 0), first_of[story], position[doc.id])

    return tuple(sorted(report.documents, key=key))


def claim_colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def is_rtl(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGS


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


# ------------------------------------------------------------------ wrapping
def display_lines(text: str, width: int, rtl: bool) -> list[str]:
    """Wrap in logical order, then put each line in visual order (right-to-left scripts reordered)."""
    lines, base = logical_lines(text, width, rtl)
    return [shown_line(line, base) for line in lines] if base else lines


def logical_lines(text: str, width: int, rtl: bool) -> tuple[list[str], str]:
    """Wrapped lines in logical order, and the base direction ("L" or "R") they need to be put in
    visual order with, or "" when they need none."""
    lines = wrap(text, width)
    if rtl or has_rtl(text):
        return lines, "R" if rtl else "L"
    return lines, ""


@lru_cache(maxsize=8192)
def shown_line(line: str, base: str) -> str:
    """:func:`visual`, remembered: a column repaints the same lines as it scrolls."""
    return visual(line, base)


def visual(line: str, base: str = "L") -> str:
    """One display line as a terminal must get it: Arabic letters in their joined (contextual)
    forms, since terminals do not shape, and right-to-left runs in visual order, since terminals
    do not reorder. Shaping only merges letters (lam-alef), so a wrapped line never grows.
    Brackets in right-to-left runs are mirrored, as a renderer would (python-bidi's fast
    reordering leaves them facing away from the words they enclose)."""
    shaped = arabic_reshaper.reshape(line)
    if has_mirrored(shaped) and (ordered := display_order(shaped, base)) is not None:
        return ordered[0]
    return get_display(shaped, base_dir=base)


def sentence_rows(sentence: Sentence, lang: str, mode: Mode, width: int, lazy: bool = False) -> list[Row]:
    """The display lines of one sentence in a column ``width`` cells wide (gutter excluded);
    ``lazy`` leaves right-to-left lines in logical order until they are painted (Row.shown)."""
    rtl = is_rtl(lang)
    if lang.split("-")[0].lower() == "en" and not sentence.translation:
        mode = Mode.ORIGINAL  # an English original is its own English

    def rows_of(text: str, kind: str, right: bool) -> list[Row]:
        lines, base = logical_lines(text, width, right)
        if lazy or not base:
            return [Row(line, kind, right, base) for line in lines]
        return [Row(visual(line, base), kind, right) for line in lines]

    rows: list[Row] = []
    if mode in (Mode.ORIGINAL, Mode.BOTH):
        rows += rows_of(sentence.text, "original", rtl)
    if mode in (Mode.ENGLISH, Mode.BOTH):
        if sentence.translation:
            rows += rows_of(sentence.translation, "english", False)
        elif mode is Mode.ENGLISH:
            rows.append(Row("(no translation)", "note"))
            rows += rows_of(sentence.text, "original", rtl)
        # In "both" the original is already there: a note under every sentence would only be noise.
    return rows


# ------------------------------------------------------------------ finding
def visible_sentences(index: ReportIndex, doc: Document, flt: Filter) -> list[Sentence]:
    if flt is Filter.ALL:
        return list(doc.sentences)
    if flt is Filter.UNIQUE:
        return [s for s in doc.sentences if s.id in index.unique]
    return [s for s in doc.sentences if (c := index.claim_of.get(s.id)) is not None and c.discrepancies]


def search(index: ReportIndex, query: str) -> list[str]:
    """Sentence ids whose original or English contains ``query`` (case-insensitive), in reading order."""
    needle = query.casefold().strip()
    if not needle:
        return []
    return [
        s.id
        for d in index.documents
        for s in d.sentences
        if needle in s.text.casefold() or (s.translation is not None and needle in s.translation.casefold())
    ]


def claim_target(index: ReportIndex, claim: Claim, doc_id: str) -> str:
    """Where the cursor lands on a claim: its member in ``doc_id`` if it has one, else its first member
    in a shown column."""
    for m in claim.members:
        if m.document == doc_id and doc_id in index.doc_pos:
            return m.sentences[0]
    return next(m for m in claim.members if m.document in index.doc_pos).sentences[0]


def step_claim(
    index: ReportIndex, current: str | None, direction: int, only_discrepant: bool = False,
    focused: Claim | None = None,
) -> Claim | None:
    """The next (direction 1) or previous (-1) claim from the cursor at ``current``, wrapping around.

    Claims go in report order. On a sentence of no claim, the next claim is the next one
    met in reading order of that sentence's own column (else the first claim of all).
    """
    claims = [c for c in index.claims if c.discrepancies or not only_discrepant]
    if not claims:
        return None
    ids = [c.id for c in claims]
    here = index.focus(current, focused)  # a sentence in two claims steps from the one in focus
    if here is not None and here.id in ids:
        return claims[(ids.index(here.id) + direction) % len(claims)]
    if here is not None:  # on a claim the step skips: go by report order
        pos = index.claim_pos[here.id]
        later = [c for c in claims if (index.claim_pos[c.id] - pos) * direction > 0]
        return (later[0] if direction > 0 else later[-1]) if later else claims[0 if direction > 0 else -1]
    if current:
        doc_id, _, idx = current.rpartition(":")
        sentences = index.document(doc_id).sentences
        i = int(idx)
        seq = sentences[i + 1 :] if direction > 0 else tuple(reversed(sentences[:i]))
        for s in seq:
            c = index.claim_of.get(s.id)
            if c is not None and c.id in ids:
                return c
    return claims[0 if direction > 0 else -1]


def member_text(index: ReportIndex, claim: Claim, doc_id: str) -> tuple[str, str | None]:
    """A member's original wording and its English (None when any sentence lacks one)."""
    for m in claim.members:
        if m.document == doc_id:
            sentences = [index.sentence(s) for s in m.sentences]
            original = " ".join(s.text for s in sentences)
            english = None
            if all(s.translation for s in sentences):
                english = " ".join(s.translation or "" for s in sentences)
            return original, english
    raise KeyError(doc_id)


def doc_heading(doc: Document) -> str:
    a = doc.article
    bits = [a.outlet or a.id, a.lang]
    if a.published:
        bits.append(a.published)
    return " · ".join(bits)
