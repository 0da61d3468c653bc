"""The report as Markdown: readable as plain text and rendered; every piece of article text and
every file name escaped (:func:`reader.untrusted.markdown`)."""

from __future__ import annotations

import re

from reader.model import Document, Member, Report
from reader.untrusted import markdown


def _cell(text: object) -> str:
    """Text from an article or a file name, made literal inside a Markdown line or table cell (no
    HTML, link, image or escape sequence survives: :func:`reader.untrusted.markdown`)."""
    return markdown(str(text))


def _code(text: str) -> str:
    """An id as inline code when it is letters, digits and ``.:-_`` only (as reader makes them),
    else as escaped text: nothing in it can close the code span."""
    return f"`{text}`" if re.fullmatch(r"[\w.:-]+", text) else _cell(text)


def _doc_heading(doc: Document) -> str:
    a = doc.article
    bits = [a.id, a.lang]
    if a.outlet:
        bits.append(a.outlet)
    if a.published:
        bits.append(a.published)
    return _cell(" · ".join(bits))


def _member_cell(report: Report, member: Member | None) -> str:
    if member is None:
        return "—"
    parts = []
    for sid in member.sentences:
        s = report.sentence(sid)
        text = _cell(s.text)
        if s.translation:
            text += f"<br>*{_cell(s.translation)}*"
        parts.append(text)
    return "<br>".join(parts)


def to_markdown(report: Report) -> str:
    docs = report.documents
    out: list[str] = ["# Aligned coverage", ""]
    out.append("| document | language | outlet | published | title | sentences |")
    out.append("|---|---|---|---|---|---|")
    for d in docs:
        a = d.article
        out.append(
            f"| {_cell(a.id)} | {_cell(a.lang)} | {_cell(a.outlet or 'unknown')} | {_cell(a.published or '?')} | "
            f"{_cell(a.title or '')} | {len(d.sentences)} |"
        )
    out += ["", f"## Claims ({len(report.claims)})", ""]
    if report.claims:
        out.append("| claim | score | " + " | ".join(_doc_heading(d) for d in docs) + " |")
        out.append("|---|---|" + "---|" * len(docs))
        for c in report.claims:
            by_doc = {m.document: m for m in c.members}
            flag = " ⚠" if c.discrepancies else ""
            cells = [_member_cell(report, by_doc.get(d.id)) for d in docs]
            out.append(f"| {_cell(c.id)}{flag} | {c.score:.2f} | " + " | ".join(cells) + " |")
    flagged = [c for c in report.claims if c.discrepancies]
    if flagged or report.omissions:
        out += ["", "## Discrepancies", ""]
        for c in flagged:
            for d in c.discrepancies:
                values = "; ".join(f"{doc}: {v or '—'}" for doc, v in d.values.items())
                out.append(f"- **{_cell(c.id)}** {_cell(d.kind)}: {_cell(d.detail)} ({_cell(values)})")
        for d in report.omissions:
            out.append(f"- {_cell(d.kind)}: {_cell(d.detail)}")
    out += ["", f"## Unmatched sentences ({len(report.unmatched)})", ""]
    for d in docs:
        ids = [s for s in report.unmatched if s.rpartition(":")[0] == d.id]
        if not ids:
            continue
        out.append(f"### {_doc_heading(d)}")
        out.append("")
        for sid in ids:
            s = report.sentence(sid)
            line = f"- {_code(sid)} {_cell(s.text)}"
            if s.translation:
                line += f" — *{_cell(s.translation)}*"
            out.append(line)
        out.append("")
    return "\n".join(out).rstrip() + "\n"
