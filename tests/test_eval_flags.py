"""reader.eval.flags: planted-discrepancy scores, and what of them reaches the terminal."""

from __future__ import annotations

from pathlib import Path

from reader.untrusted import printable
from reader.eval import evaluate, flags
from reader.model import Article, Claim, Discrepancy, Document, Member, Report, Sentence


def test_planted_flag_details_reach_the_terminal_printable(tmp_path: Path) -> None:
    """A spurious flag's detail quotes the articles; ``reader eval -v`` prints it, so escape
    sequences, newlines and right-to-left overrides in it are written as escapes."""
    hostile = "\x1b]0;owned\x07\x1b[2J\u202eevil\nsecond line \x9b"
    docs = []
    for name in ("a", "b"):
        text = f"{name} says 5 {hostile}"
        article = Article(id=name, path=str(tmp_path / f"{name}.txt"), lang="en", text=text, body_start=0,
                          body_end=len(text))
        docs.append(Document(article, (Sentence(f"{name}:0", name, 0, text, 0, len(text)),)))
    d = Discrepancy("number", f"conflicting figure: a: 5 «{hostile}»", {"a": "5", "b": "6"})
    claim = Claim("c1", 1.0, (Member("a", ("a:0",)), Member("b", ("b:0",))), (d,))
    report = Report(documents=tuple(docs), claims=(claim,), unmatched=())
    gold = evaluate.Gold(frozenset(), frozenset(), frozenset(), {}, frozenset({"a", "b"}), {"a": "e", "b": "e"})
    (line,) = flags.score_flags(report, gold, []).spurious
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 or ch == "\u202e" for ch in line)
    assert "\\x1b]0;owned\\x07" in line and "\\u202e" in line and "\\n" in line


def test_printable_keeps_every_script_and_the_joiners_persian_needs() -> None:
    text = "Путин, بوتين, पुतिन, 普京, سانتی\u200cمتر"
    assert printable(text) == text
