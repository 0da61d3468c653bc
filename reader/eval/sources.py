"""Benchmark sources: labelled reports of one event -> article files and span gold.

The development benchmark (``corpora/dev``) is written as one ``.src`` file per
event: every report of the event, one sentence a line, each line labelled with
the claims it states (the format is in ``corpora/dev/README.md``). The gold is by
construction: the author labels a sentence while writing it. This module parses
and checks such files and renders each report as the plain article a user would
feed to ``reader``, with every sentence's character span and labels.

Pure standard library, so the checker runs without the package's dependencies.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SPLITS = ("dev", "test")
FLAG_KINDS = frozenset({"number", "date", "name", "speaker", "place", "event-kind"})
DOC_KEYS = frozenset({"lang", "outlet", "published", "title", "glue"})
# Languages whose sentences run together with no space between them.
UNSPACED = frozenset({"zh", "ja", "th"})
GOLD_FORMAT = "reader-gold-spans/1"
ENDINGS = ".!?…।॥؟。！？"
CLOSING = "\"'»”’)]）」』“"

_CLAIM_ID = re.compile(r"c[0-9]+\Z")
_OTHER_CLAIM = re.compile(r"([a-z0-9][a-z0-9-]*)#(c[0-9]+)\Z")  # a claim of another event
_DOC_NAME = re.compile(r"([a-z]{2})-[a-z0-9][a-z0-9-]*\Z")


class SourceError(ValueError):
    """One or more problems in a source file, each ``path:line: problem``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Line:
    labels: tuple[str, ...]  # claim ids; empty for "-"
    text: str
    paragraph: int
    lineno: int


@dataclass(frozen=True)
class Flag:
    claim: str
    kind: str
    documents: tuple[str, str]
    detail: str


@dataclass(frozen=True)
class SourceDocument:
    name: str
    meta: dict[str, str]
    lines: tuple[Line, ...]

    @property
    def lang(self) -> str:
        return self.meta["lang"]

    @property
    def separator(self) -> str:
        return "" if self.meta.get("glue") == "none" or self.lang in UNSPACED else " "


@dataclass(frozen=True)
class SourceEvent:
    event: str
    kind: str
    split: str
    about: str
    claims: dict[str, str]
    flags: tuple[Flag, ...]
    notes: tuple[str, ...]
    documents: tuple[SourceDocument, ...]
    path: str = ""

    def carriers(self) -> dict[str, set[str]]:
        """Claim id -> the documents that state it."""
        out: dict[str, set[str]] = {c: set() for c in self.claims}
        for doc in self.documents:
            for line in doc.lines:
                for label in line.labels:
                    if label in self.claims:
                        out[label].add(doc.name)
        return out


@dataclass(frozen=True)
class RenderedSentence:
    start: int
    end: int
    claims: tuple[str, ...]


@dataclass(frozen=True)
class Rendered:
    text: str  # the whole article file: front matter and body
    sentences: tuple[RenderedSentence, ...] = field(default=())


def parse(path: str | Path) -> SourceEvent:
    """Read and check one ``.src`` file; every problem found is reported at once."""
    path = Path(path)
    problems: list[str] = []

    def problem(lineno: int, message: str) -> None:
        problems.append(f"{path}:{lineno}: {message}")

    header: dict[str, str] = {}
    claims: dict[str, str] = {}
    flag_lines: list[tuple[int, str]] = []
    notes: list[str] = []
    docs: list[tuple[str, int, dict[str, str], list[Line]]] = []
    state = "header"
    paragraph = 0
    try:
        raw_lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError([f"{path}: cannot read ({exc})"]) from None
    for lineno, raw in enumerate(raw_lines, 1):
        line = raw.rstrip()
        if line.startswith("=== "):
            docs.append((line[4:].strip(), lineno, {}, []))
            state, paragraph = "meta", 0
            continue
        if state == "header":
            if not line:
                continue
            if not line.startswith("# "):
                problem(lineno, "expected a '# key: value' header line or '=== <doc>'")
                continue
            key, _, value = line[2:].partition(":")
            key, value = key.strip(), value.strip()
            if key.startswith("claim "):
                cid = key[6:].strip()
                if not _CLAIM_ID.match(cid):
                    problem(lineno, f"claim id {cid!r} is not c<number>")
                elif cid in claims:
                    problem(lineno, f"claim {cid} declared twice")
                claims[cid] = value
            elif key.startswith("flag "):
                flag_lines.append((lineno, line[2:]))
            elif key == "note":
                notes.append(value)
            elif key in ("event", "kind", "split", "about"):
                header[key] = value
            else:
                problem(lineno, f"unknown header key {key!r}")
        elif state == "meta":
            if line == "---":
                state = "body"
                continue
            key, sep, value = line.partition(":")
            if not sep or key.strip() not in DOC_KEYS:
                problem(lineno, f"expected one of {', '.join(sorted(DOC_KEYS))} as 'key: value', or '---'")
                continue
            docs[-1][2][key.strip()] = value.strip()
        else:
            if not line.strip():
                paragraph += 1
                continue
            labels_part, sep, text = raw.partition(" | ")
            if not sep:
                problem(lineno, "a sentence line is 'labels | sentence'")
                continue
            text = text.strip()
            labels = labels_part.split()
            if not text:
                problem(lineno, "empty sentence")
            if " | " in text:
                problem(lineno, "' | ' inside a sentence")
            if labels == ["-"]:
                labels = []
            elif not labels or any(not (_CLAIM_ID.match(x) or _OTHER_CLAIM.match(x)) for x in labels):
                problem(lineno, f"labels {labels_part.strip()!r}: claim ids (c1 c2 …, other-event#c3) or '-'")
                labels = []
            elif len(set(labels)) != len(labels):
                problem(lineno, "a claim id repeated on one line")
            for label in labels:
                if label not in claims and not _OTHER_CLAIM.match(label):
                    problem(lineno, f"claim {label} has no '# claim {label}:' line")
            docs[-1][3].append(Line(tuple(dict.fromkeys(labels)), text, paragraph, lineno))

    for key in ("event", "kind", "split", "about"):
        if not header.get(key):
            problem(1, f"missing '# {key}:' header")
    if header.get("event") and header["event"] != path.stem:
        problem(1, f"event {header['event']!r} differs from the file name {path.stem!r}")
    if header.get("split") and header["split"] not in SPLITS:
        problem(1, f"split must be one of {', '.join(SPLITS)}")
    if not docs:
        problem(len(raw_lines), "no reports ('=== <doc>')")

    documents: list[SourceDocument] = []
    seen: set[str] = set()
    for name, lineno, meta, lines in docs:
        m = _DOC_NAME.match(name)
        if not m:
            problem(lineno, f"report name {name!r} is not <lang>-<slug> (lower case, digits, hyphens)")
        if name in seen:
            problem(lineno, f"report {name!r} appears twice")
        seen.add(name)
        for key in ("lang", "outlet", "published"):
            if not meta.get(key):
                problem(lineno, f"report {name}: missing '{key}:'")
        if m and meta.get("lang") and m.group(1) != meta["lang"]:
            problem(lineno, f"report {name}: lang {meta['lang']!r} differs from its name")
        if meta.get("published"):
            try:
                date.fromisoformat(meta["published"])
            except ValueError:
                problem(lineno, f"report {name}: published {meta['published']!r} is not YYYY-MM-DD")
        if meta.get("glue", "none") != "none":
            problem(lineno, f"report {name}: glue can only be 'none'")
        if not lines:
            problem(lineno, f"report {name}: no sentences")
        documents.append(SourceDocument(name, meta, tuple(lines)))

    flags = []
    names = {d.name for d in documents}
    for lineno, text in flag_lines:
        head, _, detail = text.partition(":")
        parts = head.split()
        if len(parts) != 5:
            problem(lineno, "a flag is '# flag <claim> <kind> <doc> <doc>: what differs'")
            continue
        _, cid, kind, a, b = parts
        if cid not in claims:
            problem(lineno, f"flag names unknown claim {cid}")
        if kind not in FLAG_KINDS:
            problem(lineno, f"flag kind {kind!r} is not one of {', '.join(sorted(FLAG_KINDS))}")
        for doc in (a, b):
            if doc not in names:
                problem(lineno, f"flag names unknown report {doc}")
        flags.append(Flag(cid, kind, (a, b), detail.strip()))

    event = SourceEvent(
        event=header.get("event", path.stem), kind=header.get("kind", ""), split=header.get("split", ""),
        about=header.get("about", ""), claims=claims, flags=tuple(flags), notes=tuple(notes),
        documents=tuple(documents), path=str(path),
    )
    for cid, where in event.carriers().items():
        if cid in claims and not where:
            problems.append(f"{path}: claim {cid} is declared but no sentence states it")
    if problems:
        raise SourceError(problems)
    return event


def render(doc: SourceDocument) -> Rendered:
    """The article file of one report (front matter, then the body) and each sentence's span in it."""
    head = ["---"] + [f"{k}: {doc.meta[k]}" for k in ("lang", "title", "outlet", "published") if doc.meta.get(k)]
    text = "\n".join(head + ["---", ""])
    sentences = []
    paragraph = None
    ended = True
    for line in doc.lines:
        if paragraph is not None:
            # a line with no full stop (a heading, "Read also: …", a byline) stands on a line of its own
            text += "\n\n" if line.paragraph != paragraph else doc.separator if ended else "\n"
        paragraph = line.paragraph
        ended = line.text.rstrip(CLOSING).endswith(tuple(ENDINGS))
        sentences.append(RenderedSentence(len(text), len(text) + len(line.text), line.labels))
        text += line.text
    return Rendered(text + "\n", tuple(sentences))


def summary(event: SourceEvent) -> str:
    carriers = event.carriers()
    shared = sum(1 for where in carriers.values() if len(where) > 1)
    langs = sorted({d.lang for d in event.documents})
    n = sum(len(d.lines) for d in event.documents)
    pairs = gold_pair_count(event)
    return (f"{event.event} ({event.split}, {event.kind}): {len(event.documents)} reports, {n} sentences, "
            f"{len(event.claims)} claims ({shared} in 2+ reports), {len(event.flags)} flags, "
            f"{pairs} gold pairs; languages {' '.join(langs)}")


def gold_pair_count(event: SourceEvent) -> int:
    """Cross-report sentence pairs that share a claim: what recall counts."""
    items = [(d.name, set(line.labels)) for d in event.documents for line in d.lines if line.labels]
    return sum(1 for i, (da, la) in enumerate(items) for db, lb in items[i + 1:] if da != db and la & lb)


def check_references(events: list[SourceEvent]) -> None:
    """Every ``other-event#cN`` label names a claim of an event of the same half."""
    by_name = {e.event: e for e in events}
    problems = []
    for event in events:
        for doc in event.documents:
            for line in doc.lines:
                for label in line.labels:
                    m = _OTHER_CLAIM.match(label)
                    if not m:
                        continue
                    other = by_name.get(m.group(1))
                    if other is None or m.group(2) not in other.claims:
                        problems.append(f"{event.path}:{line.lineno}: {label} names no claim of a known event")
                    elif other.split != event.split:
                        problems.append(f"{event.path}:{line.lineno}: {label} is in the other half ({other.split})")
    if problems:
        raise SourceError(problems)


def build(sources: Path, out: Path) -> dict[str, int]:
    """Write ``out/<split>/<event>/<doc>.txt`` and ``out/<split>/gold.json`` from every source."""
    events = [parse(p) for p in sorted(sources.glob("*.src"))]
    check_references(events)
    counts: dict[str, int] = {}
    for split in SPLITS:
        gold = {
            "format": GOLD_FORMAT,
            "corpus": f"the {split} half of the development benchmark",
            "about": "Generated by scripts/build_dev_corpus.py from corpora/dev/sources; do not edit. "
                     "Per document (path relative to this folder): its event and each sentence's character "
                     "span in the file with the claims it states. Claim ids are local to their event.",
            "events": {},
            "documents": {},
        }
        for event in (e for e in events if e.split == split):
            gold["events"][event.event] = {
                "kind": event.kind, "about": event.about, "claims": event.claims,
                "flags": [{"claim": f.claim, "kind": f.kind, "documents": list(f.documents), "detail": f.detail}
                          for f in event.flags],
            }
            folder = out / split / event.event
            folder.mkdir(parents=True, exist_ok=True)
            for doc in event.documents:
                rendered = render(doc)
                (folder / f"{doc.name}.txt").write_text(rendered.text, encoding="utf-8", newline="\n")
                gold["documents"][f"{event.event}/{doc.name}.txt"] = {
                    "event": event.event, "lang": doc.lang, "published": doc.meta["published"],
                    "sentences": [{"start": s.start, "end": s.end, "claims": list(s.claims)}
                                  for s in rendered.sentences],
                }
            counts[split] = counts.get(split, 0) + len(event.documents)
        (out / split).mkdir(parents=True, exist_ok=True)
        (out / split / "gold.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n",
                                               encoding="utf-8", newline="\n")
    return counts
