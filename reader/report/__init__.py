"""The report wing: Report <-> JSON here (the format in GUIDE.md that other tools read), the
Markdown view in :mod:`reader.report.markdown`, the self-contained HTML page in :mod:`reader.report.html`.

JSON keys are a contract: keys may be added, never renamed or removed.
"""

from __future__ import annotations

import json
from typing import Any

from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence, Span

FORMAT_VERSION = 1


# ---------------------------------------------------------------- JSON out
def _span_json(span: Span) -> dict[str, Any]:
    return {"sentence": span.sentence, "start": span.start, "end": span.end}


def _discrepancy_json(d: Discrepancy) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "detail": d.detail,
        "values": dict(d.values),
        "spans": {doc: [_span_json(s) for s in spans] for doc, spans in d.spans.items()},
    }


def _document_json(doc: Document) -> dict[str, Any]:
    a = doc.article
    return {
        "id": a.id,
        "path": a.path,
        "lang": a.lang,
        "title": a.title,
        "outlet": a.outlet,
        "published": a.published,
        "url": a.url,
        "sentences": [
            {
                "id": s.id,
                "index": s.index,
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "translation": s.translation,
            }
            for s in doc.sentences
        ],
    }


def to_dict(report: Report) -> dict[str, Any]:
    return {
        "documents": [_document_json(d) for d in report.documents],
        "claims": [
            {
                "id": c.id,
                "score": round(c.score, 4),
                "members": [{"document": m.document, "sentences": list(m.sentences)} for m in c.members],
                "discrepancies": [_discrepancy_json(d) for d in c.discrepancies],
            }
            for c in report.claims
        ],
        "unmatched": list(report.unmatched),
        "omissions": [_discrepancy_json(d) for d in report.omissions],
        "meta": {"format": FORMAT_VERSION, **report.meta},
    }


def to_json(report: Report) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


# ----------------------------------------------------------------- JSON in
def _discrepancy_from(d: dict[str, Any]) -> Discrepancy:
    spans = {
        doc: tuple(Span(s["sentence"], s["start"], s["end"]) for s in items)
        for doc, items in (d.get("spans") or {}).items()
    }
    return Discrepancy(kind=d["kind"], detail=d["detail"], values=dict(d["values"]), spans=spans)


def from_dict(data: dict[str, Any]) -> Report:
    """Rebuild a Report from its JSON form.

    The report does not carry whole article texts, so ``Article.text`` is empty
    here; every sentence still carries its own text and offsets.
    """
    documents = []
    for d in data["documents"]:
        article = Article(
            id=d["id"],
            path=d.get("path", ""),
            lang=d["lang"],
            text="",
            body_start=0,
            body_end=0,
            title=d.get("title"),
            outlet=d.get("outlet"),
            published=d.get("published"),
            url=d.get("url"),
        )
        sentences = tuple(
            Sentence(
                id=s["id"],
                document=d["id"],
                index=s["index"],
                text=s["text"],
                start=s["start"],
                end=s["end"],
                translation=s.get("translation"),
            )
            for s in d["sentences"]
        )
        documents.append(Document(article, sentences))
    claims = tuple(
        Claim(
            id=c["id"],
            score=float(c["score"]),
            members=tuple(Member(m["document"], tuple(m["sentences"])) for m in c["members"]),
            discrepancies=tuple(_discrepancy_from(x) for x in c.get("discrepancies", ())),
        )
        for c in data["claims"]
    )
    meta = dict(data.get("meta") or {})
    meta.pop("format", None)
    return Report(
        documents=tuple(documents),
        claims=claims,
        unmatched=tuple(data.get("unmatched", ())),
        omissions=tuple(_discrepancy_from(x) for x in data.get("omissions", ())),
        meta=meta,
    )


class NotAReport(ValueError):
    """A JSON file that is not a reader report (wrong shape, or claims naming what it lacks)."""


def from_json(text: str) -> Report:
    """A report from its JSON text, checked whole: :class:`NotAReport` (one line) for anything that
    is not valid JSON of the report's shape, or that names a document or sentence it does not have."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise NotAReport("JSON nested too deeply") from None
    except ValueError as exc:
        raise NotAReport(f"not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise NotAReport(f"a JSON {type(data).__name__}, not an object")
    try:
        report = from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise NotAReport(f"wrong shape ({type(exc).__name__}: {exc})") from None
    check(report)
    return report


def check(report: Report) -> None:
    """Every id a string, every claim, omission and discrepancy naming documents and sentences the
    report has (a saved report may have been edited or cut short): :class:`NotAReport` otherwise."""
    known: dict[str, set[str]] = {}
    for d in report.documents:
        if not isinstance(d.id, str) or d.id in known:
            raise NotAReport(f"document id {d.id!r} is not a unique string")
        known[d.id] = set()
        for n, s in enumerate(d.sentences):
            if not isinstance(s.id, str) or s.id != f"{d.id}:{n}" or not isinstance(s.text, str):
                raise NotAReport(f"sentence {n} of {d.id} has id {s.id!r}, not {d.id}:{n}")
            if s.translation is not None and not isinstance(s.translation, str):
                raise NotAReport(f"sentence {s.id} has a translation that is not text")
            known[d.id].add(s.id)

    def sentences_ok(doc: object, sids: object) -> bool:
        return isinstance(doc, str) and doc in known and all(isinstance(x, str) and x in known[doc] for x in sids)

    def discrepancy_ok(x: Discrepancy) -> bool:
        return (isinstance(x.kind, str) and isinstance(x.detail, str)
                and all(isinstance(k, str) and isinstance(v, str) for k, v in x.values.items())
                and all(sentences_ok(doc, [sp.sentence for sp in spans]) for doc, spans in x.spans.items()))

    for c in report.claims:
        if not isinstance(c.id, str) or not all(sentences_ok(m.document, m.sentences) for m in c.members):
            raise NotAReport(f"claim {c.id!r} names a document or sentence the report does not have")
        if not all(discrepancy_ok(x) for x in c.discrepancies):
            raise NotAReport(f"claim {c.id!r} has a discrepancy of the wrong shape")
    if not all(discrepancy_ok(x) for x in report.omissions):
        raise NotAReport("an omission of the wrong shape")
    every = set().union(*known.values()) if known else set()
    if not all(isinstance(x, str) and x in every for x in report.unmatched):
        raise NotAReport("an unmatched sentence the report does not have")


from reader.report.markdown import to_markdown  # noqa: E402  (the report's other format, re-exported)
from reader.report.html import to_html  # noqa: E402  (the HTML page, re-exported)
