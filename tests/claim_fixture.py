"""A fixed report for the claim view: the sample report (hi, ar, ru) plus three short hand-written
articles (English, Persian with no translation, a second Russian outlet) that carry two of its
claims, and spans on the flags' values, as the comparing stage writes them.

Six articles, so the app opens on the claim view. Document ids are not of the "lang-n" form on
purpose: nothing in the view may depend on it.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from reader.model import (
    Article,
    Claim,
    Discrepancy,
    Document,
    Member,
    Report,
    Sentence,
    Span,
)
from reader.report import from_json

FIXTURE = Path(__file__).parent / "fixtures" / "sample_report.json"

SCHOOLS = "c7"  # ar 9 schools, ru three, + wire five, tehran three, evening three
ARRIVAL = "c8"  # the date Putin arrived
ADDED = {  # id -> (lang, outlet, title, sentences (text, English or None))
    "wire-en": ("en", "World Wire", "Putin in Bishkek", [
        "Putin arrived in Bishkek on 25 November for a state visit.",
        "Russia will build five Russian-language schools in Kyrgyzstan by 2027, he said.",
        "Trade between the two countries grew last year.",
    ]),
    "tehran-daily": ("fa", "Tehran Daily", "پوتین در بیشکک", [
        "پوتین گفت سه مدرسه روسی تا سال ۲۰۲۷ در قرقیزستان باز می‌شود.",
        "روابط دو کشور (روسیه و قرقیزستان) خوب است.",
    ]),
    "moscow-evening": ("ru", "Вечерняя Москва", "Визит в Бишкек", [
        "Путин прибыл в Бишкек 25 ноября.",
        "В Киргизии откроются три русские школы к 2027 году.",
    ]),
}
TRANSLATED = {"moscow-evening": ["Putin arrived in Bishkek on 25 November.",
                                 "Three Russian schools will open in Kyrgyzstan by 2027."]}


def _document(doc_id: str) -> Document:
    lang, outlet, title, texts = ADDED[doc_id]
    english = TRANSLATED.get(doc_id, [None] * len(texts))
    text = "\n".join(texts)
    sentences, at = [], 0
    for i, (t, e) in enumerate(zip(texts, english)):
        sentences.append(Sentence(f"{doc_id}:{i}", doc_id, i, t, at, at + len(t), e))
        at += len(t) + 1
    return Document(Article(doc_id, f"{doc_id}.txt", lang, text, 0, len(text), title=title, outlet=outlet,
                            published="2025-11-26"), tuple(sentences))


def _span(doc: Document, index: int, words: str) -> Span:
    s = doc.sentences[index]
    at = s.text.index(words)
    return Span(s.id, s.start + at, s.start + at + len(words))


def claim_report() -> Report:
    sample = from_json(FIXTURE.read_text(encoding="utf-8"))
    added = {doc_id: _document(doc_id) for doc_id in ADDED}
    docs = {d.id: d for d in sample.documents} | added
    claims = []
    for c in sample.claims:
        if c.id == SCHOOLS:
            members = c.members + (Member("wire-en", ("wire-en:1",)), Member("tehran-daily", ("tehran-daily:0",)),
                                   Member("moscow-evening", ("moscow-evening:1",)))
            flag = Discrepancy("number", "number of schools: 9 (ar-1) vs 3 (ru-1) vs 5 (wire-en)",
                               {"ar-1": "9", "ru-1": "3", "wire-en": "5", "tehran-daily": "3", "moscow-evening": "3"},
                               {"ar-1": (_span(docs["ar-1"], 9, "9"),), "ru-1": (_span(docs["ru-1"], 16, "три"),),
                                "wire-en": (_span(added["wire-en"], 1, "five"),),
                                "tehran-daily": (_span(added["tehran-daily"], 0, "سه"),),
                                "moscow-evening": (_span(added["moscow-evening"], 1, "три"),)})
            c = dataclasses.replace(c, members=members, discrepancies=(flag,))
        elif c.id == ARRIVAL:
            members = c.members + (Member("wire-en", ("wire-en:0",)), Member("moscow-evening", ("moscow-evening:0",)))
            old = c.discrepancies[0]
            flag = Discrepancy(old.kind, old.detail, old.values | {"wire-en": "25 November", "moscow-evening": "25 ноября"},
                               {"hi-1": (_span(docs["hi-1"], 17, "25 से 27 नवंबर"),),
                                "ar-1": (_span(docs["ar-1"], 11, "الأربعاء"),),
                                "ru-1": (_span(docs["ru-1"], 18, "25 ноября"),),
                                "wire-en": (_span(added["wire-en"], 0, "25 November"),),
                                "moscow-evening": (_span(added["moscow-evening"], 0, "25 ноября"),)})
            c = dataclasses.replace(c, members=members, discrepancies=(flag,))
        claims.append(c)
    claimed = {s for c in claims for s in c.sentence_ids()}
    documents = tuple(sample.documents) + tuple(added.values())
    unmatched = tuple(s.id for d in documents for s in d.sentences if s.id not in claimed)
    return Report(documents, tuple(claims), unmatched, sample.omissions, {"source": "tests/claim_fixture.py"})


def many_articles(count: int) -> Report:
    """``count`` articles: copies of :func:`claim_report`'s with new ids (``copyK-…``), each copy
    keeping its own claims, as a report of a hundred outlets has them."""
    base = claim_report()
    docs: list[Document] = []
    claims: list[Claim] = []
    k = 0
    while len(docs) < count:
        k += 1
        rename = {}
        for d in base.documents[: count - len(docs)]:
            new = f"copy{k}-{d.id}"
            rename[d.id] = new
            sentences = tuple(dataclasses.replace(s, id=f"{new}:{s.index}", document=new) for s in d.sentences)
            docs.append(Document(dataclasses.replace(d.article, id=new, outlet=f"{d.article.outlet or d.id} {k}"),
                                 sentences))
        for c in base.claims:
            members = tuple(Member(rename[m.document], tuple(f"{rename[m.document]}:{s.rpartition(':')[2]}"
                                                               for s in m.sentences))
                            for m in c.members if m.document in rename)
            if len(members) >= 2:
                flags = tuple(dataclasses.replace(d, values={rename[x]: v for x, v in d.values.items() if x in rename},
                                                  spans={}) for d in c.discrepancies)
                claims.append(Claim(f"{c.id}-{k}", c.score, members, flags))
    claimed = {s for c in claims for s in c.sentence_ids()}
    return Report(tuple(docs), tuple(claims), tuple(s.id for d in docs for s in d.sentences if s.id not in claimed))
