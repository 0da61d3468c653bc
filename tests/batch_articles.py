"""Short articles for the batch tests: a visit in two languages and a follow-up, an event in
another city the same day, and one of another year (original text written for the tests); and
inboxes of many articles made from the sample corpus (:func:`make_inbox`)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path


def article(lang: str, date: str, title: str, body: str) -> str:
    return f"---\nlang: {lang}\ntitle: {title}\noutlet: test\npublished: {date}\n---\n{body}\n"


VISIT_EN = article(
    "en", "2025-11-26", "Putin in Bishkek",
    "Vladimir Putin arrived in Bishkek for talks with Sadyr Japarov. The two presidents signed 12 agreements. "
    "Japarov said Kyrgyzstan values the partnership with Russia.",
)
VISIT_RU = article(
    "ru", "2025-11-26", "Путин в Бишкеке",
    "Владимир Путин прибыл в Бишкек на переговоры с Садыром Жапаровым. Президенты подписали 12 соглашений. "
    "Жапаров заявил, что Киргизия ценит партнёрство с Россией.",
)
VISIT_EN2 = article(
    "en", "2025-11-27", "Japarov and Putin sign deals",
    "In Bishkek, Japarov and Putin discussed energy and trade. Kyrgyzstan will receive new investment.",
)
MINSK = article(
    "en", "2025-11-26", "Lukashenko in Minsk",
    "Alexander Lukashenko met officials in Minsk on Wednesday. Belarus plans a new budget for 2026.",
)
OLD = article(
    "en", "2020-12-02", "Rosatom meeting",
    "Putin met the head of Rosatom in Moscow. The company reported its results for the year.",
)


# ----------------------------------------------------------------- inboxes of many articles
# scripts/bench_batch.py times reader batch on these; tests/test_batch_ray.py compares engines on them.
CORPUS = Path(__file__).resolve().parent.parent / "corpora" / "bishkek-2025"
_DIGITS = re.compile(r"\d+")


def _vary(sentences: list[str], seed: int, vary: int) -> list[str]:
    """Another order of the sentences, and ``vary`` of them with other numbers (or a new ending)."""
    n = len(sentences)
    rot = seed % max(1, n // 4 or 1)
    out = sentences[rot:] + sentences[:rot]
    for k in range(min(vary, n)):
        j = (seed * 7 + k * 5) % n
        s = out[j]
        if _DIGITS.search(s):
            out[j] = _DIGITS.sub(lambda m, k=k: str((int(m.group()) + seed + k) % 997 + 1), s, count=1)
        else:
            out[j] = s.rstrip() + f" ({seed % 89 + 2} sources)"
    return out


def make_inbox(folder: Path, n: int, per_event: int = 6, vary: int = 3, max_sentences: int = 30) -> None:
    """An inbox of ``n`` articles in events of about ``per_event``, made from the sample corpus.

    An event copies the 2025 reports (hi, ar, ru) or one English transcript (every fourth event),
    a week after the one before (so events stay apart); each article rotates the sentence order and
    changes the numbers of ``vary`` sentences (so it brings new sentences while the unique ones
    stay bounded), cut to its first ``max_sentences`` sentences to keep articles of a news size."""
    from reader.pipeline import read_documents

    docs = read_documents([CORPUS], lambda e: None)
    visit = [d for d in docs if d.article.lang != "en"]
    english = [d for d in docs if d.article.lang == "en"]
    folder.mkdir(parents=True)
    start = date(2024, 1, 1)
    for i in range(n):
        event = i // per_event
        doc = english[event % len(english)] if event % 4 == 3 else visit[i % len(visit)]
        a = doc.article
        body = " ".join(_vary([s.text for s in doc.sentences][:max_sentences], i, vary))
        published = start + timedelta(days=7 * event + (i % 2))
        (folder / f"{i:05d}-{a.lang}.txt").write_text(
            article(a.lang, str(published), f"{a.title or 'report'} #{i}", body).replace(
                "outlet: test", f"outlet: outlet-{i % 5}"),
            "utf-8",
        )


def four_article_inbox(root: Path) -> Path:
    """``root/inbox`` with the two visit reports, the Minsk report and the old one."""
    inbox = root / "inbox"
    inbox.mkdir()
    for name, text in (("visit-en.txt", VISIT_EN), ("visit-ru.txt", VISIT_RU), ("minsk.txt", MINSK), ("old.txt", OLD)):
        (inbox / name).write_text(text, "utf-8")
    return inbox


def batch_outputs(out: Path) -> dict[str, bytes]:
    """Every report and the index of a batch OUT folder: what must be the same bytes whichever engine
    (or run) wrote them."""
    files = sorted(out.glob("events/e-*")) + [out / "index.json", out / "index.md"]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}
