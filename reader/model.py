"""The data that flows through reader, as frozen dataclasses.

No third-party imports here: every stage, the report writers and the terminal
app share these types, and a test imports this module alone.

Offsets are character offsets into ``Article.text``, the whole decoded source
(a ``.txt``/``.md`` file as read, the extracted text of an ``.html`` file, the
body of a JSON object), so ``article.text[s.start:s.end] == s.text`` always.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Article:
    """One report of one outlet, as read from a file (or a part of one)."""

    id: str  # "ru-bishkek": from the file name, plus a digest of the body when needed (reader.docids)
    path: str  # the file it came from, as given by the user
    lang: str  # ISO 639-1 code: "hi", "ar", "ru", "en", …
    text: str  # the decoded source text the offsets refer to
    body_start: int  # where the article's body begins in ``text``
    body_end: int  # where it ends (exclusive)
    title: str | None = None
    outlet: str | None = None
    published: str | None = None  # ISO date "2025-11-26"
    url: str | None = None

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]


@dataclass(frozen=True)
class Sentence:
    id: str  # "ru-bishkek:16": the document id and the index
    document: str  # article id
    index: int  # position within its article, from 0
    text: str  # exactly article.text[start:end]
    start: int
    end: int
    translation: str | None = None  # English, where a translation ran


@dataclass(frozen=True)
class Document:
    """An article with its sentences: what a report holds per input."""

    article: Article
    sentences: tuple[Sentence, ...]

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True)
class Member:
    """The part of one document that carries a claim: one or more adjacent sentences."""

    document: str
    sentences: tuple[str, ...]  # sentence ids, in text order


@dataclass(frozen=True)
class Span:
    """Where a fact was read: a sentence and character offsets into the article text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class Discrepancy:
    kind: str  # "number", "date", "money", "name", "speaker", "omission", …
    detail: str  # one line for a person
    values: dict[str, str]  # document id -> the value it states ("" when it states none)
    spans: dict[str, tuple[Span, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Claim:
    """Sentences of two or more documents that say the same thing (at most one member per document)."""

    id: str
    score: float
    members: tuple[Member, ...]
    discrepancies: tuple[Discrepancy, ...] = ()

    def documents(self) -> tuple[str, ...]:
        return tuple(m.document for m in self.members)

    def sentence_ids(self) -> tuple[str, ...]:
        return tuple(s for m in self.members for s in m.sentences)


@dataclass(frozen=True)
class Report:
    documents: tuple[Document, ...]
    claims: tuple[Claim, ...]
    unmatched: tuple[str, ...]  # sentence ids that belong to no claim
    omissions: tuple[Discrepancy, ...] = ()  # report-level: claims some outlets carry and others omit
    meta: dict[str, object] = field(default_factory=dict)  # model ids, thresholds, timings

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def sentence(self, sentence_id: str) -> Sentence:
        doc_id, _, index = sentence_id.rpartition(":")
        return self.document(doc_id).sentences[int(index)]

    def claim_of(self) -> dict[str, Claim]:
        """Sentence id -> its first claim (a sentence that says two things can be in two)."""
        out: dict[str, Claim] = {}
        for claim in self.claims:
            for sid in claim.sentence_ids():
                out.setdefault(sid, claim)
        return out

    def claims_of(self) -> dict[str, tuple[Claim, ...]]:
        """Sentence id -> every claim it belongs to, in report order."""
        out: dict[str, tuple[Claim, ...]] = {}
        for claim in self.claims:
            for sid in claim.sentence_ids():
                out[sid] = out.get(sid, ()) + (claim,)
        return out
