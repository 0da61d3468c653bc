"""The report as one self-contained HTML page, read claim first, on a desktop or a phone.

The page, top to bottom:

* the run: how many documents in which languages, claims, flags, files that could not be read, and
  a banner when no translation was available (``meta["untranslated_languages"]``);
* the flagged claims, one line each, linking to their cards;
* one card per claim: how many outlets carry it, its flags with their detail and each outlet's
  value, then each outlet's sentence(s): the original (``lang`` set, ``dir="auto"``, so Arabic
  and Persian read right to left and Devanagari is shaped for Hindi) with the differing values
  marked from the discrepancy spans, and the English translation under it where one exists;
* what each outlet leaves out (the report's omissions, per outlet);
* every article whole, in a ``<details>`` that opens on a click: all its sentences in order, those
  in a claim marked and linked to it.

Safe by construction: every string that comes from an article, a file or a saved report (text,
titles, outlets, file names, ids, values, kinds, meta) goes through :func:`reader.untrusted.html_text`
before it is placed, as element text or a quoted attribute value; links point only at anchors
the page makes from positions (``#k3``, ``#d2-s5``), never at an id or a URL from an article (an
article's URL is shown as text). The page loads nothing: the style sheet and the small script are
inline, allowed by the Content-Security-Policy (:mod:`reader.report.html_page`) by their hashes.
Output is deterministic (no clock, no set order), so batch rewrites identical bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from reader.model import Article, Claim, Discrepancy, Document, Report, Sentence
from reader.report.html_page import CONTENT_SECURITY_POLICY, SCRIPT, STYLE
from reader.untrusted import html_text


def _count(n: int, noun: str) -> str:
    """``1 claim``, ``3 claims``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _t(value: object) -> str:
    """A string from an article, a file or a saved report, as literal HTML text or attribute value."""
    return html_text(str(value))


@dataclass
class _Anchors:
    """Lookups built once per page: documents and sentences by id, claims in order, each sentence and
    claim with the anchor the page gives it (made from positions, ``d2-s5`` and ``k3``, so nothing
    from an article ever reaches an ``href``)."""

    documents: dict[str, Document] = field(default_factory=dict)  # id -> document (its anchor: "d2")
    sentences: dict[str, tuple[str, Sentence]] = field(default_factory=dict)  # id -> ("d2-s5", sentence)
    claims: list[tuple[str, Claim]] = field(default_factory=list)  # ("k3", claim), in report order
    claims_of: dict[str, list[tuple[str, Claim]]] = field(default_factory=dict)  # sentence id -> its claims

    @classmethod
    def of(cls, report: Report) -> _Anchors:
        anchors = cls()
        for n, doc in enumerate(report.documents, start=1):
            anchors.documents.setdefault(doc.id, doc)
            for m, s in enumerate(doc.sentences):
                anchors.sentences.setdefault(s.id, (f"d{n}-s{m}", s))
        for n, claim in enumerate(report.claims, start=1):
            anchors.claims.append((f"k{n}", claim))
            for sid in dict.fromkeys(claim.sentence_ids()):
                anchors.claims_of.setdefault(sid, []).append((f"k{n}", claim))
        return anchors


# ------------------------------------------------------------------ pieces
def _name(article: Article) -> str:
    """Who wrote it, for a person: the outlet, else the file's name."""
    return str(article.outlet or str(article.path).replace("\\", "/").rpartition("/")[2] or "unknown outlet")


def _label(article: Article) -> str:
    """``ar-1 · ar · Outlet``: an outlet's line, each part isolated so that one in Arabic does not
    reorder the others."""
    return f"<bdi>{_t(article.id)}</bdi> · {_t(article.lang)} · <bdi>{_t(_name(article))}</bdi>"


def _ranges(s: Sentence, discrepancies: tuple[Discrepancy, ...]) -> list[tuple[int, int]]:
    """Where the differing values sit in ``s.text``: the discrepancy spans that fall in ``s``, as
    offsets into it, clipped to it and merged where they overlap. Omission spans (a whole
    sentence) mark nothing; a span of a saved report that makes no sense is left out."""
    found: list[tuple[int, int]] = []
    if not isinstance(s.start, int):
        return found
    for d in discrepancies:
        if d.kind == "omission":
            continue
        for spans in d.spans.values():
            for span in spans:
                if span.sentence != s.id or not isinstance(span.start, int) or not isinstance(span.end, int):
                    continue
                start, end = max(span.start - s.start, 0), min(span.end - s.start, len(s.text))
                if start < end:
                    found.append((start, end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(s: Sentence, discrepancies: tuple[Discrepancy, ...]) -> str:
    """A sentence's text as HTML, its differing values in ``<mark>``."""
    out, at = [], 0
    for start, end in _ranges(s, discrepancies):
        out.append(_t(s.text[at:start]) + f"<mark>{_t(s.text[start:end])}</mark>")
        at = end
    return "".join(out) + _t(s.text[at:])


def _translation(s: Sentence) -> str:
    if not s.translation:
        return ""
    return f'<p class="translation" lang="en" dir="ltr">{_t(s.translation)}</p>'


def _values(d: Discrepancy) -> str:
    """``ar-1: 9 · ru-1: 3``: what each outlet states ("—" where it states none)."""
    return " · ".join(f"<bdi>{_t(doc)}</bdi>: <bdi>{_t(value or '—')}</bdi>" for doc, value in d.values.items())


def _flag(d: Discrepancy) -> str:
    return (f'<li class="flag"><span class="kind">{_t(d.kind)}</span>: <span class="detail">{_t(d.detail)}</span>'
            f' <span class="values">({_values(d)})</span></li>')


# ------------------------------------------------------------------ sections
def _run(report: Report) -> str:
    """The header: what was read, what was found, and the translation state."""
    docs = report.documents
    langs = Counter(d.article.lang for d in docs)
    flagged = sum(1 for c in report.claims if c.discrepancies)
    by_lang = ", ".join(f"{_t(lang)} ({n})" for lang, n in sorted(langs.items(), key=lambda x: str(x[0])))
    read = f'<a href="#articles">{_count(len(docs), "document")}</a> in {_count(len(langs), "language")}'
    found = (f'{_count(len(report.claims), "claim")}, {flagged} flagged; {_count(len(report.omissions), "omission")}; '
             f'{_count(len(report.unmatched), "sentence")} in no claim')
    lines = [f'<p class="run">{read}{": " + by_lang if by_lang else ""}</p>', f'<p class="run">{found}</p>']
    if report.meta.get("embedding_model"):
        lines.append(f'<p class="run muted">embedding model: {_t(report.meta["embedding_model"])}</p>')
    lines.append(_translation_state(report))
    errors = report.meta.get("errors")
    if isinstance(errors, list) and errors:
        items = "".join(f"<li>{_t(e)}</li>" for e in errors)
        lines.append(f'<details class="banner"><summary>{_count(len(errors), "file")} could not be read</summary>'
                     f"<ul>{items}</ul></details>")
    return "\n".join(x for x in lines if x)


def _translation_state(report: Report) -> str:
    """A banner when no translation was available, or a note of the languages left untranslated."""
    missing = report.meta.get("untranslated_languages")
    missing = [str(x) for x in missing] if isinstance(missing, list) else []
    named = f" (no translation package for {_t(', '.join(missing))})" if missing else ""
    foreign = any(d.article.lang != "en" for d in report.documents)
    translated = any(s.translation for d in report.documents for s in d.sentences)
    if foreign and not translated:
        return (f'<p class="banner" role="note"><strong>No translation was available</strong>{named}: '
                "every sentence is shown in its original language only.</p>")
    if missing:
        return (f'<p class="banner" role="note">Not translated: {_t(", ".join(missing))} '
                "(no translation package); their sentences are shown without English.</p>")
    if translated:
        return '<p class="run muted">English translations are shown under the originals.</p>'
    return ""


def _flag_index(anchors: _Anchors) -> str:
    rows = [
        f'<li><a href="#{anchor}">{_t(c.id)}</a>: '
        + "; ".join(f'<span class="kind">{_t(d.kind)}</span>: {_t(d.detail)}' for d in c.discrepancies) + "</li>"
        for anchor, c in anchors.claims if c.discrepancies
    ]
    if not rows:
        return ""
    return f'<h2 id="flags">Flagged claims ({len(rows)})</h2>\n<ul class="flag-index">' + "".join(rows) + "</ul>"


def _claim(anchor: str, claim: Claim, report: Report, anchors: _Anchors) -> str:
    members = [m for m in claim.members if m.document in anchors.documents]
    langs = list(dict.fromkeys(anchors.documents[m.document].article.lang for m in members))
    kinds = ", ".join(_t(d.kind) for d in claim.discrepancies)
    head = (f'<header><h3>{_t(claim.id)}</h3><span class="count">carried by {len(members)} of '
            f"{len(report.documents)} outlets · {_t(', '.join(langs))}</span>"
            f'<span class="score">score {claim.score:.2f}</span>'
            + (f'<span class="flag">⚑ {kinds}</span>' if kinds else "") + "</header>")
    flags = ('<ul class="flags">' + "".join(_flag(d) for d in claim.discrepancies) + "</ul>"
             if claim.discrepancies else "")
    rows = []
    for member in members:
        article = anchors.documents[member.document].article
        states = "; ".join(f"{_t(d.kind)}: <bdi>{_t(d.values[member.document] or '—')}</bdi>"
                           for d in claim.discrepancies if member.document in d.values)
        first = anchors.sentences.get(member.sentences[0]) if member.sentences else None
        link = f' · <a href="#{first[0]}">in the article</a>' if first else ""
        body = []
        for sid in member.sentences:
            if sid in anchors.sentences:
                s = anchors.sentences[sid][1]
                body.append(f'<p class="original" lang="{_t(article.lang)}" dir="auto">'
                            f"{_marked(s, claim.discrepancies)}</p>{_translation(s)}")
        rows.append(f'<li class="member"><div class="who">{_label(article)}{link}</div>'
                    + (f'<div class="states">states {states}</div>' if states else "") + "".join(body) + "</li>")
    flagged = " flagged" if claim.discrepancies else ""
    return (f'<section class="claim{flagged}" id="{anchor}">{head}{flags}'
            f'<ol class="members">{"".join(rows)}</ol></section>')


def _omitted_claim(omission: Discrepancy, anchors: _Anchors) -> tuple[str, Claim] | None:
    """The claim an omission is about: the first claim holding the carriers' first sentence."""
    for spans in omission.spans.values():
        for span in spans:
            found = anchors.claims_of.get(span.sentence)
            if found:
                return found[0]
    return None


def _omissions(report: Report, anchors: _Anchors) -> str:
    """Per outlet, the claims other outlets of its event carry and it leaves out."""
    left_out: dict[str, list[Discrepancy]] = {}
    for omission in report.omissions:
        for doc_id, value in omission.values.items():
            if value == "" and doc_id in anchors.documents:
                left_out.setdefault(doc_id, []).append(omission)
    if not left_out:
        return ""
    carries = Counter(doc for c in report.claims for doc in dict.fromkeys(c.documents()))
    rows = []
    for doc in report.documents:
        if doc.id not in left_out:
            continue
        items = []
        for omission in left_out[doc.id]:
            claim = _omitted_claim(omission, anchors)
            link = f'<a href="#{claim[0]}">{_t(claim[1].id)}</a>: ' if claim else ""
            items.append(f"<li>{link}{_t(omission.detail)}</li>")
        n = len(left_out[doc.id])
        rows.append(f"<li><details><summary>{_label(doc.article)} carries {_count(carries[doc.id], 'claim')} and "
                    f"leaves out {n} that other outlets carry</summary><ul>{''.join(items)}</ul></details></li>")
    return (f'<h2 id="omissions">What each outlet leaves out ({_count(len(rows), "outlet")})</h2>\n'
            f'<ul class="docs">{"".join(rows)}</ul>')


def _article(anchor: str, doc: Document, anchors: _Anchors) -> str:
    """One article whole, closed until clicked: every sentence in order, those in a claim shaded and
    linked to it, their values marked; a line break of the source between two sentences (where the
    article's text is known: not in a report read back from JSON) shown as a gap."""
    a = doc.article
    in_claims = sum(1 for s in doc.sentences if s.id in anchors.claims_of)
    bits = [x for x in (a.published, a.title) if x]
    about = " · ".join(f'<bdi lang="{_t(a.lang)}">{_t(x)}</bdi>' for x in bits)
    summary = (f"<summary>{_label(a)}{' · ' + about if about else ''} "
               f'<span class="count">({_count(len(doc.sentences), "sentence")}, {in_claims} in claims)</span></summary>')
    source = f'<p class="muted">{_t(a.path)}' + (f" · {_t(a.url)}" if a.url else "") + "</p>"
    body, previous = [], None
    for m, s in enumerate(doc.sentences):
        if a.text and previous is not None and "\n" in a.text[previous.end : s.start]:
            body.append('<div class="gap"></div>')
        previous = s
        claims = anchors.claims_of.get(s.id, [])
        tags = "".join(f'<a href="#{k}">{_t(c.id)}{" ⚑" if c.discrepancies else ""}</a> ' for k, c in claims)
        marks = tuple(d for _, c in claims for d in c.discrepancies)
        css = "sentence in-claim" if claims else "sentence"
        body.append(f'<div class="{css}" id="{anchor}-s{m}"><p class="original" lang="{_t(a.lang)}" '
                    f'dir="auto">' + (f'<span class="tags" dir="ltr">{tags}</span>' if tags else "")
                    + f"{_marked(s, marks)}</p>{_translation(s)}</div>")
    return f'<details class="article" id="{anchor}">{summary}{source}{"".join(body)}</details>'


def to_html(report: Report) -> str:
    """The report as one HTML page that loads nothing (see the module docstring)."""
    anchors = _Anchors.of(report)
    claims = "\n".join(_claim(anchor, c, report, anchors) for anchor, c in anchors.claims)
    articles = "\n".join(_article(f"d{n}", d, anchors) for n, d in enumerate(report.documents, start=1))
    title = f"reader: {_count(len(report.documents), 'document')}, {_count(len(report.claims), 'claim')}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<h1>Aligned coverage</h1>",
        _run(report),
        _flag_index(anchors),
        f'<h2 id="claims">Claims ({len(report.claims)})</h2>',
        claims or '<p class="muted">No claim: no two documents say the same thing.</p>',
        _omissions(report, anchors),
        f'<h2 id="articles">Articles ({len(report.documents)})</h2>',
        '<p class="muted">Each article whole, in order; sentences in a claim are shaded and link to it.</p>',
        articles,
        "</main>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(x for x in parts if x) + "\n"
