"""Assertions about reports that several test files share."""

from __future__ import annotations

from reader.model import Report


def assert_discrepancy_spans_hold(report: Report) -> None:
    """Every span a discrepancy points to lies inside its sentence and covers visible text."""
    for claim in report.claims:
        for d in claim.discrepancies:
            for doc, spans in d.spans.items():
                text = report.document(doc).article.text
                for sp in spans:
                    s = report.sentence(sp.sentence)
                    assert s.start <= sp.start < sp.end <= s.end and text[sp.start : sp.end].strip(), (claim.id, d)
