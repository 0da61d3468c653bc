"""The report as Markdown that reads at any width, as plain text in a terminal and rendered.

No line grows with the number of documents: the run and its translation state at the top, one
line per document, then per claim a heading and ONE LINE PER OUTLET (its original, the values a
flag is about in bold, the English in italics) with the claim's flags under it; omissions one
line per outlet; unmatched sentences per document. Every piece of article text, title, outlet,
file name, id and value is escaped (:func:`reader.untrusted.markdown`): no HTML, link, image or
escape sequence survives from an article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from reader.model import Claim, Discrepancy, Document, Member, Report, Sentence
from reader.untrusted import markdown

INLINE_VALUES = 4  # a flag over at most this many documents lists them on its line, else one line per value
IDS_SHOWN = 5  # documents named per value of a bigger flag ("ru-1, ru-2, … and 9 more")
UNMATCHED_LINES = 100  # unmatched sentences listed in all, about: shared out among the documents …
UNMATCHED_LEAST = 3  # … at least this many of each (the rest are counted: "… and 12 more")


# ------------------------------------------------------------------------------ text
def _cell(text: object) -> str:
    """Text from an article, a file or a saved report, made literal inside a Markdown line (no
    HTML, link, image or escape sequence survives: :func:`reader.untrusted.markdown`)."""
    return markdown(str(text))


def _code(text: str) -> str:
    """An id or command as inline code when it is letters, digits, spaces and ``.:-_`` only (as
    reader makes them), else as escaped text: nothing in it can close the code span."""
    return f"`{text}`" if re.fullmatch(r"[\w.:-]+(?: [\w.:-]+)*", text) else _cell(text)


def _n(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _ids(ids: Iterable[str], shown: int | None = None) -> str:
    """Escaped ids, comma-separated; past ``shown`` of them "and N more"."""
    ids = list(ids)
    head = ", ".join(_cell(i) for i in ids[:shown])
    return head + (f" and {len(ids) - shown} more" if shown is not None and len(ids) > shown else "")


def _highlighted(s: Sentence, spans: Sequence[tuple[int, int]]) -> str:
    """A sentence's text escaped, with the character ranges ``spans`` (offsets into the sentence)
    in bold. Each piece is escaped on its own, so no markup can run from one piece into the next."""
    text, out, at = s.text, [], 0
    for start, end in sorted(spans):
        start, end = max(start, at), min(end, len(text))
        core = text[start:end].strip()
        if not core:
            continue
        start = text.index(core, start)
        end = start + len(core)
        out += [_piece(text[at:start]), f"**{_cell(core)}**"]
        at = end
    out.append(_piece(text[at:]))
    return re.sub(" {2,}", " ", "".join(out)).strip()


def _piece(text: str) -> str:
    """Escaped text that keeps one space where it began or ended with white space (it sits beside
    a bold span)."""
    if not text.strip():
        return " " if text else ""
    return (" " if text[0].isspace() else "") + _cell(text) + (" " if text[-1].isspace() else "")


# ------------------------------------------------------------------------------ the run
def _about(doc: Document, published: bool = False) -> str:
    """ "ru · Outlet" (and the date when ``published``), escaped: who a document is, after its id."""
    a = doc.article
    return _cell(" · ".join(str(x) for x in (a.lang, a.outlet, a.published if published else None) if x))


def _top(report: Report) -> list[str]:
    docs = report.documents
    langs = Counter(str(d.article.lang) for d in docs)
    outlets = {str(d.article.outlet) for d in docs if d.article.outlet}
    unnamed = sum(1 for d in docs if not d.article.outlet)
    who = f"from {_n(len(outlets), 'outlet')}" if outlets else "no outlet named"
    if outlets and unnamed:
        who += f" ({_n(unnamed, 'document')} naming none)"
    spread = ", ".join(f"{_cell(lang)} {k}" for lang, k in sorted(langs.items()))
    flagged = [c for c in report.claims if c.discrepancies]
    out = [
        (f"{_n(len(docs), 'document')} in {_n(len(langs), 'language')} ({spread}), {who}; "
         f"{_n(len(report.claims), 'claim')}, {len(flagged)} flagged; "
         f"{_n(len(report.unmatched), 'sentence')} in no claim."),
        "",
        "**Translation:** " + _translation(report),
    ]
    if flagged:
        kinds = ", ".join(f"{_cell(c.id)} ({_cell(', '.join(dict.fromkeys(d.kind for d in c.discrepancies)))})"
                          for c in flagged)
        out += ["", f"**Flagged claims:** {kinds}"]
    errors = report.meta.get("errors")
    if isinstance(errors, list) and errors:
        out += ["", f"**Not read ({len(errors)}):**", ""] + [f"- {_cell(e)}" for e in errors]
    return out


def _translation(report: Report) -> str:
    """The translation state in one sentence: ``meta["untranslated_languages"]`` as the pipeline
    records it (the languages no translation package covered), else what the sentences show."""
    foreign = sorted({str(d.article.lang) for d in report.documents if d.article.lang != "en"})
    missing = report.meta.get("untranslated_languages")
    if isinstance(missing, list) and missing:
        langs = [str(x) for x in missing]
        done = [lang for lang in foreign if lang not in langs]
        line = (f"no English translation for {_cell(', '.join(langs))}: no translation package installed "
                f"({_code('reader models install ' + ' '.join(langs))}); their sentences are shown in the original only.")
        return line + (f" Translated into English: {_cell(', '.join(done))}." if done else "")
    if not foreign:
        return "every document is in English; nothing to translate."
    if isinstance(missing, list):
        return f"every language had a translation package; {_cell(', '.join(foreign))} translated into English."
    sentences = [s for d in report.documents if d.article.lang != "en" for s in d.sentences]
    have = sum(1 for s in sentences if s.translation)
    none = [lang for lang in foreign
            if not any(s.translation for d in report.documents if d.article.lang == lang for s in d.sentences)]
    line = (f"not recorded in this report; {have} of {_n(len(sentences), 'non-English sentence')} "
            f"{'has' if have == 1 else 'have'} an English translation")
    return line + (f", none in {_cell(', '.join(none))}." if none else ".")


def _documents(report: Report) -> list[str]:
    out = [f"## Documents ({len(report.documents)})", ""]
    for d in report.documents:
        name = d.article.title or PurePath(str(d.article.path)).name or d.article.path
        out.append(f"- **{_cell(d.id)}** ({_about(d, True)}): {_cell(name)} ({_n(len(d.sentences), 'sentence')})")
    return out


# ------------------------------------------------------------------------------ claims
def _member_line(report: Report, member: Member, flags: Sequence[Discrepancy]) -> str:
    """``- **ru-1** (ru · Outlet): original — *English*``, the spans of the claim's flags in bold."""
    doc = report.document(member.document)
    sentences = [report.sentence(sid) for sid in member.sentences]
    originals = []
    for s in sentences:
        spans = [(sp.start - s.start, sp.end - s.start)
                 for d in flags for sp in d.spans.get(member.document, ()) if sp.sentence == s.id]
        originals.append(_highlighted(s, spans))
    line = f"- **{_cell(doc.id)}** ({_about(doc)}): " + " ".join(originals)
    english = " ".join(s.translation for s in sentences if s.translation)
    return line + (f" — *{_cell(english)}*" if english else "")


def _heading(report: Report, claim: Claim) -> str:
    docs = [report.document(d) for d in dict.fromkeys(claim.documents())]
    langs = ", ".join(dict.fromkeys(str(d.article.lang) for d in docs))
    outlets = {d.article.outlet or d.id for d in docs}
    carried = f"{len(docs)} of {_n(len(report.documents), 'document')}"
    if len(outlets) != len(docs):
        carried += f" ({_n(len(outlets), 'outlet')})"
    heading = f"### {_cell(claim.id)} · {carried} · {_cell(langs)} · score {claim.score:.2f}"
    if claim.discrepancies:
        heading += " · ⚠ " + _cell(", ".join(dict.fromkeys(d.kind for d in claim.discrepancies)))
    return heading


def _split(detail: str, docs: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """``"subject: d1: v1; d2: v2"`` (what :mod:`reader.discrepancy` writes) over exactly ``docs``,
    in any order, as the subject and each document's value as written there; else None."""
    starts = [i for doc in docs if (i := detail.find(f": {doc}: ")) >= 0]
    if not starts:
        return None
    subject, rest = detail[: min(starts)], detail[min(starts) + 2 :]
    left, shown = set(docs), {}
    while left:
        doc = max((x for x in left if rest.startswith(f"{x}: ")), key=len, default=None)
        if doc is None:
            return None
        left.discard(doc)
        rest = rest[len(doc) + 2 :]
        ends = [i for x in left if (i := rest.find(f"; {x}: ")) >= 0]
        if not ends:
            if left:
                return None
            shown[doc] = rest
            break
        shown[doc], rest = rest[: min(ends)], rest[min(ends) + 2 :]
    return subject, {x: shown[x] for x in docs}


_MISSING = re.compile(r"(?P<give>.+?) gives? a figure about (?P<key>.+?) \((?P<values>.*)\); "
                      r"(?P<lack>.+?) mentions? (?P=key) without it")
_UNNAMED = {"conflicting figure", "conflicting percentage", "conflicting sum"}


def _subject_and_values(d: Discrepancy) -> tuple[str, dict[str, str]]:
    """What a flag is about and each document's value as its detail writes it (the surface form
    too: ``3 («три»)``), from :func:`reader.discrepancy._detail`'s wording; a detail of another
    form is kept whole, with the bare values."""
    docs = list(d.values)
    missing = _MISSING.fullmatch(d.detail) if d.kind == "missing-number" else None
    if missing:
        givers = [x for x in docs if d.values[x]]
        split = _split(f"x: {missing['values']}", givers)
        shown = split[1] if split else {x: d.values[x] for x in givers}
        return f"figure about {missing['key']} given by some, not others", {x: shown.get(x) or "no figure" for x in docs}
    split = _split(d.detail, docs)
    if split is None:
        return d.detail, {x: d.values[x] or "—" for x in docs}
    subject, shown = split
    if subject in _UNNAMED:  # no noun counted beside the figure was found: the sentences are the subject
        subject += " (what it counts is not named: see the outlets' lines above)"
    return subject, shown


def _flag_lines(d: Discrepancy) -> list[str]:
    """One flag: its subject and every document's value, on one line for a few documents; for
    more, one line per distinct value with the documents that state it."""
    subject, shown = _subject_and_values(d)
    head = f"- ⚠ {_cell(subject)}"
    if len(shown) <= INLINE_VALUES:
        return [head + ": " + "; ".join(f"{_cell(doc)}: {_cell(v)}" for doc, v in shown.items())]
    groups: dict[str, list[str]] = {}
    for doc, v in shown.items():
        groups.setdefault(d.values.get(doc) or v, []).append(doc)
    return [head + f" ({_n(len(shown), 'document')}):"] + [
        f"  - {_cell(value)}: {_ids(docs, IDS_SHOWN)}" for value, docs in groups.items()
    ]


def _claims(report: Report, omitted: dict[str, list[str]]) -> list[str]:
    out = [f"## Claims ({len(report.claims)})", ""]
    left_out = Counter(cid for cids in omitted.values() for cid in cids)
    for c in report.claims:
        flags = [d for d in c.discrepancies if d.kind != "omission"]
        out += [_heading(report, c), ""] + [_member_line(report, m, flags) for m in c.members]
        if left_out[c.id]:
            out += ["", f"Left out by {_n(left_out[c.id], 'document')} of the same event (see Omissions)."]
        if c.discrepancies:
            out += ["", "Flags:", ""]
            for d in c.discrepancies:
                out += _flag_lines(d)
        out.append("")
    return out


# ------------------------------------------------------------------------------ omissions
_REPORTS = re.compile(r" reports? (\S+) \(")


def _omitted_claim(report: Report, d: Discrepancy) -> str | None:
    """The claim an omission is about: the one its detail names (``"ru-1, ar-1 report c3 (…)"``,
    as :func:`reader.compare.omissions.omissions` writes it), else the claim whose members open
    with the sentences the omission quotes for its carriers; None for neither."""
    carriers = [doc for doc, v in d.values.items() if v]
    found = _REPORTS.search(d.detail)
    named = next((c for c in report.claims if found and c.id == found.group(1)), None)
    if named and set(carriers) <= set(named.documents()):
        return named.id
    for c in report.claims:
        firsts = {m.document: report.sentence(m.sentences[0]).text for m in c.members if m.sentences}
        if carriers and all(firsts.get(doc) == d.values[doc] for doc in carriers):
            return c.id
    return None


def _omitted(report: Report) -> tuple[dict[str, list[str]], list[Discrepancy]]:
    """Document id -> the claims it leaves out (report order), and the omissions tied to no claim."""
    by_doc: dict[str, list[str]] = {}
    loose = []
    for d in report.omissions:
        cid = _omitted_claim(report, d)
        if cid is None:
            loose.append(d)
            continue
        for doc, v in d.values.items():
            if not v and cid not in by_doc.setdefault(doc, []):
                by_doc[doc].append(cid)
    order = {c.id: i for i, c in enumerate(report.claims)}
    return {doc: sorted(cids, key=order.__getitem__) for doc, cids in by_doc.items()}, loose


def _omissions(report: Report, omitted: dict[str, list[str]], loose: list[Discrepancy]) -> list[str]:
    out = ["## Omissions", "",
           "Claims that two or more documents of an event carry and these documents leave out:", ""]
    known = {d.id for d in report.documents}
    for doc in [d.id for d in report.documents] + [x for x in omitted if x not in known]:
        cids = omitted.get(doc)
        if not cids:
            continue
        who = f" ({_about(report.document(doc))})" if doc in known else ""
        out.append(f"- **{_cell(doc)}**{who} leaves out {len(cids)} of {_n(len(report.claims), 'claim')}: {_ids(cids)}")
    for d in loose:
        lacking = [doc for doc, v in d.values.items() if not v]
        out.append(f"- {_cell(d.detail)} (left out by {_ids(lacking, IDS_SHOWN)})")
    return out


# ------------------------------------------------------------------------------ unmatched
def _unmatched(report: Report) -> list[str]:
    """Per document, its sentences in no claim (what only it says, or what alignment missed): the
    first of them, about :data:`UNMATCHED_LINES` in all, the rest counted."""
    by_doc: dict[str, list[str]] = {}
    for sid in report.unmatched:
        by_doc.setdefault(sid.rpartition(":")[0], []).append(sid)
    out = [f"## Unmatched sentences ({len(report.unmatched)})", ""]
    shown = max(UNMATCHED_LEAST, UNMATCHED_LINES // max(1, len(report.documents)))
    if any(len(ids) > shown for ids in by_doc.values()):
        out += [f"Sentences in no claim, the first {shown} of each document:", ""]
    for doc in report.documents:
        ids = by_doc.get(doc.id, [])
        if not ids:
            continue
        out += [f"### {_cell(doc.id)} ({_about(doc)}): {_n(len(ids), 'sentence')}", ""]
        for sid in ids[:shown]:
            s = report.sentence(sid)
            line = f"- {_code(sid)} {_cell(s.text)}"
            out.append(line + (f" — *{_cell(s.translation)}*" if s.translation else ""))
        if len(ids) > shown:
            out.append(f"- … and {len(ids) - shown} more (all in the JSON report)")
        out.append("")
    return out


# ------------------------------------------------------------------------------ public
def to_markdown(report: Report) -> str:
    """The whole report as Markdown (see the module docstring for its layout)."""
    omitted, loose = _omitted(report)
    out = ["# Aligned coverage", ""] + _top(report) + [""] + _documents(report) + [""]
    out += _claims(report, omitted)
    if report.omissions:
        out += _omissions(report, omitted, loose) + [""]
    out += _unmatched(report)
    return "\n".join(out).rstrip() + "\n"
