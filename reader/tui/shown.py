"""The report as the terminal app shows it: every string that came from an article, a file name or
a saved JSON report passed through :func:`reader.untrusted.visible`, once, when the report arrives.

``visible`` maps each character to one character, so sentence offsets and discrepancy spans
still index the text; and it is applied to ids as well as to text, the same way everywhere,
so that a hostile id in a saved report still names the same document in every place.
"""

from __future__ import annotations

from dataclasses import replace

from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence, Span
from reader.untrusted import visible


def _opt(text: str | None) -> str | None:
    return None if text is None else visible(text)


def _article(a: Article) -> Article:
    return replace(a, id=visible(a.id), path=visible(a.path), lang=visible(a.lang), text=visible(a.text),
                   title=_opt(a.title), outlet=_opt(a.outlet), published=_opt(a.published), url=_opt(a.url))


def _sentence(s: Sentence) -> Sentence:
    return replace(s, id=visible(s.id), document=visible(s.document), text=visible(s.text),
                   translation=_opt(s.translation))


def _discrepancy(d: Discrepancy) -> Discrepancy:
    return Discrepancy(
        kind=visible(d.kind),
        detail=visible(d.detail),
        values={visible(k): visible(v) for k, v in d.values.items()},
        spans={visible(k): tuple(Span(visible(x.sentence), x.start, x.end) for x in spans)
               for k, spans in d.spans.items()},
    )


def shown(report: Report) -> Report:
    """``report`` with every string made safe to show (see the module docstring)."""
    return replace(
        report,
        documents=tuple(Document(_article(d.article), tuple(_sentence(s) for s in d.sentences))
                        for d in report.documents),
        claims=tuple(Claim(visible(c.id), c.score,
                           tuple(Member(visible(m.document), tuple(visible(x) for x in m.sentences))
                                 for m in c.members),
                           tuple(_discrepancy(d) for d in c.discrepancies))
                     for c in report.claims),
        unmatched=tuple(visible(x) for x in report.unmatched),
        omissions=tuple(_discrepancy(d) for d in report.omissions),
    )
