"""What the claim view shows, from a report: no Textual here.

A claim list entry per claim (how many outlets carry it, its flags, its languages, a
gist), the filters on that list, and for one claim an outlet card per member: its
wording, its English when a translation exists, and where in the wording the values
its flags differ on sit. Widgets draw these; tests check them without a terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import Enum

from reader.model import Claim, Document, Sentence
from reader.tui.rows import ReportIndex, doc_heading, is_rtl, term_len

CLAIM_VIEW_FROM = 5  # from this many articles the app opens on the claim view
MAX_COMPARED = 4  # outlets side by side, at most
ANY_FLAG = "any flag"


class View(str, Enum):
    """The app's two ways of reading a report."""

    COLUMNS = "columns"  # one column per article, a claim lit across them
    CLAIMS = "claims"  # a list of claims, each outlet's wording of the selected one


def first_view(documents: int) -> View:
    """Few articles read well side by side; more start from the claims."""
    return View.CLAIMS if documents >= CLAIM_VIEW_FROM else View.COLUMNS


def is_english(lang: str) -> bool:
    return lang.split("-")[0].lower() == "en"


# ------------------------------------------------------------------ the list
@dataclass(frozen=True)
class ClaimEntry:
    """One line of the claim list."""

    claim: Claim
    position: int  # in the report: its colour, and the order among equals
    outlets: int
    kinds: tuple[str, ...]  # its flags' kinds, first seen first
    langs: tuple[str, ...]  # its members' languages, sorted
    docs: frozenset[str]
    gist: str  # what it says: English where a member has it, else a member's wording
    gist_rtl: bool


def claim_entries(index: ReportIndex) -> list[ClaimEntry]:
    """Every claim of the report, the most widely carried first (report order among equals)."""
    entries = []
    for claim in index.report.claims:
        docs = [index.document(m.document) for m in claim.members]
        gist, rtl = _gist(index, claim)
        entries.append(ClaimEntry(
            claim=claim,
            position=index.claim_pos[claim.id],
            outlets=len(claim.members),
            kinds=tuple(dict.fromkeys(d.kind for d in claim.discrepancies)),
            langs=tuple(sorted({d.article.lang for d in docs})),
            docs=frozenset(d.id for d in docs),
            gist=gist,
            gist_rtl=rtl,
        ))
    entries.sort(key=lambda e: (-e.outlets, e.position))
    return entries


def _gist(index: ReportIndex, claim: Claim) -> tuple[str, bool]:
    """An English original, else a member's English, else a left-to-right wording, else the first."""
    members = [(index.document(m.document), [index.sentence(s) for s in m.sentences]) for m in claim.members]
    for doc, sentences in members:
        if is_english(doc.article.lang):
            return _joined(sentences), False
    for _doc, sentences in members:
        if all(s.translation for s in sentences):
            return " ".join(s.translation or "" for s in sentences), False
    for doc, sentences in members:
        if not is_rtl(doc.article.lang):
            return _joined(sentences), False
    doc, sentences = members[0]
    return _joined(sentences), True


def _joined(sentences: Sequence[Sentence]) -> str:
    return " ".join(s.text for s in sentences)


@dataclass(frozen=True)
class ClaimFilter:
    """Which claims the list keeps; None keeps all."""

    lang: str | None = None  # claims told in this language
    outlet: str | None = None  # claims this document carries
    flag: str | None = None  # ANY_FLAG, or claims with a flag of this kind
    words: str | None = None  # what the reader searched for
    found: frozenset[str] | None = None  # ids of the claims the search found

    def keeps(self, entry: ClaimEntry) -> bool:
        if self.lang is not None and self.lang not in entry.langs:
            return False
        if self.outlet is not None and self.outlet not in entry.docs:
            return False
        if self.flag == ANY_FLAG and not entry.kinds:
            return False
        if self.flag not in (None, ANY_FLAG) and self.flag not in entry.kinds:
            return False
        return self.found is None or entry.claim.id in self.found

    @property
    def active(self) -> bool:
        return self != ClaimFilter()

    def with_search(self, words: str | None, found: frozenset[str] | None) -> ClaimFilter:
        return replace(self, words=words, found=found)


def kept(entries: Iterable[ClaimEntry], flt: ClaimFilter) -> list[ClaimEntry]:
    return [e for e in entries if flt.keeps(e)]


def language_choices(index: ReportIndex) -> list[str | None]:
    """None (every language), then the report's languages."""
    return [None, *sorted({d.article.lang for d in index.report.documents})]


def flag_choices(index: ReportIndex) -> list[str | None]:
    """None (every claim), any flag, then each kind of flag, the most frequent first."""
    counts = Counter(d.kind for c in index.report.claims for d in c.discrepancies)
    return [None, ANY_FLAG, *(kind for kind, _ in counts.most_common())]


def cycle(choices: Sequence[str | None], current: str | None, step: int = 1) -> str | None:
    """The choice after ``current`` (before, with step -1), wrapping around."""
    at = choices.index(current) if current in choices else 0
    return choices[(at + step) % len(choices)]


@dataclass(frozen=True)
class OutletChoice:
    doc_id: str
    label: str  # outlet · language · date
    claims: int  # how many claims it carries


def outlet_choices(index: ReportIndex) -> list[OutletChoice]:
    """Every document with how many claims it carries, the most first (report order among equals)."""
    carried = Counter(m.document for c in index.report.claims for m in c.members)
    choices = [OutletChoice(d.id, doc_heading(d), carried[d.id]) for d in index.report.documents]
    order = {d.id: i for i, d in enumerate(index.report.documents)}
    return sorted(choices, key=lambda c: (-c.claims, order[c.doc_id]))


def filter_label(flt: ClaimFilter, index: ReportIndex) -> list[tuple[str, str]]:
    """(name, value) of each filter, as the filter bar says it."""
    outlet = "all"
    if flt.outlet is not None:
        doc = index.doc_by_id.get(flt.outlet)
        outlet = (doc.article.outlet or doc.id) if doc else flt.outlet
    out = [("lang", flt.lang or "all"), ("outlet", outlet), ("flag", flt.flag or "all")]
    if flt.words is not None:
        out.append(("words", flt.words))
    return out


# ------------------------------------------------------------------ the cards
@dataclass(frozen=True)
class OutletCard:
    """One outlet's wording of a claim."""

    doc: Document
    sentence_ids: tuple[str, ...]
    original: str  # the member's sentences joined by a space
    english: str | None  # None unless every sentence has a translation
    marks: tuple[tuple[int, int], ...]  # ranges of ``original`` holding the values its flags differ on
    values: tuple[tuple[str, str], ...]  # (kind, the value this outlet states) per flag
    rtl: bool


def outlet_cards(index: ReportIndex, claim: Claim, lang: str | None = None) -> list[OutletCard]:
    """A card per member of ``claim`` (only those in ``lang`` when given), in the claim's order."""
    cards = []
    for m in claim.members:
        doc = index.document(m.document)
        if lang is not None and doc.article.lang != lang:
            continue
        sentences = [index.sentence(s) for s in m.sentences]
        english = None
        if all(s.translation for s in sentences):
            english = " ".join(s.translation or "" for s in sentences)
        values = tuple((d.kind, d.values[doc.id]) for d in claim.discrepancies if d.values.get(doc.id))
        cards.append(OutletCard(doc, m.sentences, _joined(sentences), english,
                                value_marks(claim, doc.id, sentences), values, is_rtl(doc.article.lang)))
    return cards


def value_marks(claim: Claim, doc_id: str, sentences: Sequence[Sentence]) -> tuple[tuple[int, int], ...]:
    """Where in the member's joined wording the values of the claim's flags sit.

    A span gives a sentence and offsets into the article text, as the sentence's own
    ``start``/``end`` do; a span outside the member is left out, one that runs past its
    sentence is cut to it.
    """
    at: dict[str, tuple[int, Sentence]] = {}
    offset = 0
    for s in sentences:
        at[s.id] = (offset, s)
        offset += len(s.text) + 1
    ranges = []
    for d in claim.discrepancies:
        for span in d.spans.get(doc_id, ()):
            if span.sentence not in at:
                continue
            base, s = at[span.sentence]
            a, b = max(span.start, s.start) - s.start, min(span.end, s.end) - s.start
            if a < b:
                ranges.append((base + a, base + b))
    return tuple(_merged(ranges))


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def translation_note(index: ReportIndex) -> str | None:
    """One sentence when some languages have no English at all, said once rather than under
    every sentence; None when every language that needs one has a translation."""
    translated = {d.article.lang for d in index.report.documents if any(s.translation for s in d.sentences)}
    needs = {d.article.lang for d in index.report.documents if not is_english(d.article.lang)}
    missing = sorted(needs - translated)
    if not missing:
        return None
    if not translated:
        return "No English in this report: no translation was installed when it was built."
    return f"No English for {', '.join(missing)}: no translation installed for {'it' if len(missing) == 1 else 'them'}."


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells, with … when cut."""
    if term_len(text) <= width:
        return text
    out, used = "", 0
    for ch in text:
        cells = term_len(ch)
        if used + cells > width - 1:
            break
        out, used = out + ch, used + cells
    return out + "…"
