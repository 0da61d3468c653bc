"""Reports the HTML tests render: the sample (a real report of the sample corpus, from its JSON), a
30-document report of one benchmark event (its real files, claims and flags from its gold), and
one whose every string is hostile."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from reader import report as fmt
from reader.errors import BadInput
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
from reader.pipeline import read_documents

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = Path(__file__).parent / "fixtures" / "sample_report.json"
DEV = ROOT / "corpora" / "dev" / "dev"
EVENT = "cbr-key-rate-2024"  # eight outlets in ar, de, en, fa, hi, ru, tr, with three planted flags


def sample_report() -> Report:
    return fmt.from_json(SAMPLE.read_text("utf-8"))


# ---------------------------------------------------------------- a benchmark event, 30 documents
_FIGURE = re.compile(r"\d+(?:[.,٫–-]\d+)*%?")  # a figure, in any script's digits: "8,0–8,5%", "٢٠"
_YEAR = re.compile(r"(19|20)\d\d")


def _value(text: str) -> re.Match[str]:
    """Where a flagged sentence states its value: its first figure that is not a year, else its first word."""
    figures = [m for m in _FIGURE.finditer(text) if not _YEAR.fullmatch(m.group())]
    return figures[0] if figures else re.search(r"\w+", text)


def _copies(folder: Path, count: int) -> dict[Path, str]:
    """The event's files copied under ``folder`` until there are ``count``: copy -> the original's
    name in the gold (``cbr-key-rate-2024/ar-agency.txt``)."""
    originals = sorted((DEV / EVENT).glob("*.txt"))
    copies: dict[Path, str] = {}
    for n in range(count):
        source = originals[n % len(originals)]
        target = folder / f"{source.stem}-{n // len(originals) + 1}.txt"
        shutil.copyfile(source, target)
        copies[target] = f"{EVENT}/{source.name}"
    return copies


def benchmark_report(folder: Path, count: int = 30) -> Report:
    """``count`` documents of a real benchmark event read by reader (``read_documents``), with the
    gold's claims as claims (each document's first sentence stating it), the gold's flags as
    discrepancies (the differing figure of each flagged document as its span) and, per claim, the
    documents that lack it as an omission. No translation: none is installed for the test."""
    gold = json.loads((DEV / "gold.json").read_text("utf-8"))
    copies = _copies(folder, count)
    problems: list[BadInput] = []
    documents = read_documents(sorted(copies), problems.append)
    assert not problems and len(documents) == count, problems
    gold_name = {d.id: Path(copies[Path(d.article.path)]).stem for d in documents}  # "de-wirtschaft"
    stating: dict[str, dict[str, Sentence]] = {}  # gold claim -> document id -> its first sentence stating it
    for doc in documents:
        spans = gold["documents"][copies[Path(doc.article.path)]]["sentences"]
        for s in doc.sentences:
            for g in spans:
                if g["start"] < s.end and s.start < g["end"]:
                    for claim in g["claims"]:
                        stating.setdefault(claim, {}).setdefault(doc.id, s)
    event = gold["events"][EVENT]
    claims, omissions = [], []
    for n, claim_id in enumerate(event["claims"], start=1):
        members = stating.get(claim_id, {})
        if len(members) < 2:
            continue
        flags = []
        for flag in event["flags"]:
            if flag["claim"] != claim_id:
                continue
            values, spans = {}, {}
            for doc_id, s in members.items():
                if gold_name[doc_id] in flag["documents"]:
                    found = _value(s.text)
                    values[doc_id] = found.group()
                    spans[doc_id] = (Span(s.id, s.start + found.start(), s.start + found.end()),)
            flags.append(Discrepancy(flag["kind"], flag["detail"], values, spans))
        claims.append(Claim(f"c{n}", 0.8, tuple(Member(d, (s.id,)) for d, s in members.items()), tuple(flags)))
        missing = [d.id for d in documents if d.id not in members]
        if missing:
            values = {d: s.text for d, s in members.items()} | {d: "" for d in missing}
            spans = {d: (Span(s.id, s.start, s.end),) for d, s in members.items()}
            omissions.append(Discrepancy("omission", f"{len(members)} documents report {claim_id} "
                                         f"({event['claims'][claim_id]}); {len(missing)} do not", values, spans))
    in_claims = {sid for c in claims for sid in c.sentence_ids()}
    unmatched = tuple(s.id for d in documents for s in d.sentences if s.id not in in_claims)
    langs = sorted({d.article.lang for d in documents} - {"en"})
    return Report(tuple(documents), tuple(claims), unmatched, tuple(omissions),
                  meta={"embedding_model": "gold (hand-built)", "untranslated_languages": langs})


# ---------------------------------------------------------------- hostile strings
HOSTILE = {
    "script tag": "<script>alert(1)</script>",
    "closing the page's script": "</script><script>alert(2)</script>",
    "image onerror": '<img src=x onerror="alert(3)">',
    "svg onload": "<svg/onload=alert(4)>",
    "attribute break-out, double quote": '"><script>alert(5)</script><b x="',
    "attribute break-out, single quote": "' onmouseover='alert(6)' x='",
    "markdown javascript link": "[click me](javascript:alert(7))",
    "bare javascript URL": "javascript:alert(document.cookie)",
    "anchor with javascript": '<a href="javascript:alert(8)">click</a>',
    "entities": "&lt;script&gt;alert(9)&lt;/script&gt; &#106;avascript:x &amp;",
    "comment and CDATA": "<!-- hidden --> <![CDATA[ x ]]>",
    "style import": "<style>@import url(https://evil.example/x.css); body{display:none}</style>",
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "base href": '<base href="https://evil.example/">',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(10)</script>"></iframe>',
    "form": '<form action="https://evil.example/"><input name=x autofocus onfocus=alert(11)></form>',
    "escape sequences": "\x1b[2J\x1b]8;;https://evil.example/\x1b\\x\x1b]8;;\x1b\\ \x1b]0;owned\x07",
    "NUL, BEL, CR, C1": "a\x00b\x07c\rd\x9b2J",
    "bidi override": "invoice\u202etxt.exe",
    "bidi isolates": "\u2066x\u2069\u2067y\u2069",
    "line separators": "a\u2028b\u2029c\x85d",
    "autolink": "<https://evil.example/>",
    "Rich and Textual markup": "[bold red]loud[/] [link=https://evil.example]x[/link] [@click=app.quit]x",
    "long unbroken run": "https://evil.example/" + "a" * 300,
}


def hostile_report() -> Report:
    """Two documents: one whose text (every hostile string a sentence), id, title, outlet, path,
    URL and language are hostile, one plain but for its outlet (300 letters without a space); a claim joining them with a hostile id and a flag whose
    kind, detail and values are hostile, an omission, and meta naming hostile languages and errors."""
    bad_id = '<i onclick="alert(12)">bad</i>'
    sentences, text = [], ""
    for n, hostile in enumerate(HOSTILE.values()):
        start = len(text)
        text += hostile
        sentences.append(Sentence(f"{bad_id}:{n}", bad_id, n, hostile, start, len(text), translation=hostile))
        text += "\n"
    bad = Article(bad_id, '<img src=x onerror="alert(13)">.txt', 'en" onfocus="alert(14)', text, 0, len(text),
                  title=HOSTILE["script tag"], outlet=HOSTILE["image onerror"], published=HOSTILE["entities"],
                  url="javascript:alert(15)")
    plain_text = "The council met on Tuesday. It approved 3 budgets."
    plain = Article("en-1", "plain.txt", "en", plain_text, 0, len(plain_text), outlet=HOSTILE["long unbroken run"])
    cut, three = plain_text.index(".") + 1, plain_text.index("3")
    plain_sentences = (Sentence("en-1:0", "en-1", 0, plain_text[:cut], 0, cut),
                       Sentence("en-1:1", "en-1", 1, plain_text[cut + 1 :], cut + 1, len(plain_text)))
    first = sentences[0]
    flag = Discrepancy(HOSTILE["svg onload"], HOSTILE["anchor with javascript"],
                       {bad_id: HOSTILE["markdown javascript link"], "en-1": "3"},
                       {bad_id: (Span(first.id, first.start + 1, first.start + 7),),
                        "en-1": (Span("en-1:1", three, three + 1),)})
    claim = Claim(HOSTILE["attribute break-out, double quote"], 0.9,
                  (Member(bad_id, (first.id, sentences[1].id)), Member("en-1", ("en-1:1",))), (flag,))
    omission = Discrepancy("omission", HOSTILE["iframe srcdoc"], {"en-1": HOSTILE["base href"], bad_id: ""},
                           {"en-1": (Span("en-1:1", cut + 1, len(plain_text)),)})
    unmatched = tuple(s.id for s in sentences[2:]) + ("en-1:0",)
    return Report(
        (Document(bad, tuple(sentences)), Document(plain, plain_sentences)), (claim,), unmatched, (omission,),
        meta={"embedding_model": HOSTILE["meta refresh"], "untranslated_languages": [HOSTILE["form"]],
              "errors": [HOSTILE["escape sequences"], HOSTILE["style import"]]},
    )
