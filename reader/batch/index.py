"""OUT's index: every event with its articles, languages, dates and counts, as JSON and Markdown.

Written from the manifest alone (no report is read back), sorted by first date then event id,
with no timings: two runs over the same inbox write the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from reader.batch.files import EVENTS_DIR, atomic_write
from reader.batch.manifest import Manifest
from reader.untrusted import markdown


def index_of(manifest: Manifest, inbox: Path) -> dict[str, Any]:
    """The index as a JSON-ready dict."""
    by_key = {a.key: a for a in manifest.all_articles()}
    rows = []
    for event_id, entry in manifest.events.items():
        articles = []
        for member in entry.members:
            rec = by_key.get(member.key)
            articles.append({
                "id": member.doc_id,
                "path": rec.path if rec else None,
                "position": rec.position if rec else None,
                "lang": rec.lang if rec else None,
                "published": rec.published if rec else None,
                "title": rec.title if rec else None,
                "outlet": rec.outlet if rec else None,
                "sentences": rec.sentences if rec else None,
            })
        dates = sorted(a["published"] for a in articles if a["published"])
        rows.append({
            "id": event_id,
            "report": f"{EVENTS_DIR}/{event_id}.json",
            "markdown": f"{EVENTS_DIR}/{event_id}.md",
            "html": f"{EVENTS_DIR}/{event_id}.html",
            "languages": sorted({a["lang"] for a in articles if a["lang"]}),
            "first_published": dates[0] if dates else None,
            "last_published": dates[-1] if dates else None,
            "articles": articles,
            "claims": entry.claims,
            "discrepancies": entry.discrepancies,
            "untranslated": list(entry.untranslated),
        })
    rows.sort(key=lambda r: (r["first_published"] or "9999", r["id"]))
    errors = sorted(f.error for f in manifest.files.values() if f.error)
    return {"inbox": str(inbox), "model": manifest.model, "events": rows, "errors": errors}


def write_index(out: Path, manifest: Manifest, inbox: Path) -> None:
    index = index_of(manifest, inbox)
    atomic_write(out / "index.json", json.dumps(index, ensure_ascii=False, indent=2) + "\n")
    atomic_write(out / "index.md", index_markdown(index))


def _cell(text: object) -> str:
    """A path, title or outlet made literal Markdown (no HTML, link or escape survives)."""
    return markdown(str(text))


def index_markdown(index: dict[str, Any]) -> str:
    """The index as Markdown: one table of events, then each event's articles."""
    events = index["events"]
    out = ["# Events", "", f"{len(events)} events from {_cell(index['inbox'])}.", ""]
    out.append("| event | dates | languages | articles | claims | discrepancies |")
    out.append("|---|---|---|---|---|---|")
    for e in events:
        dates = e["first_published"] or "?"
        if e["last_published"] and e["last_published"] != e["first_published"]:
            dates += f" – {e['last_published']}"
        out.append(
            f"| [{e['id']}]({e['markdown']}) | {_cell(dates)} | {_cell(', '.join(e['languages']))} | "
            f"{len(e['articles'])} | {e['claims']} | {e['discrepancies']} |"
        )
    for e in events:
        out += ["", f"## {e['id']}", ""]
        for a in e["articles"]:
            bits = [a["id"], a["lang"] or "?", a["published"] or "?", a["outlet"] or "unknown"]
            title = f" — {_cell(a['title'])}" if a["title"] else ""
            out.append(f"- {' · '.join(_cell(b) for b in bits)}{title} ({_cell(a['path'])}#{a['position']})")
    if index["errors"]:
        out += ["", "## Files that could not be read", ""]
        out += [f"- {_cell(e)}" for e in index["errors"]]
    return "\n".join(out) + "\n"
