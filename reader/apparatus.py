"""Sentences that are the page's apparatus, not claims, so that alignment never links them:

* a sentence wholly in parentheses or brackets: credit and editing lines ("(Reporting by …;
  Editing by …)"), notes to the reader. Two wire stories of one agency carry near-identical
  credit lines whatever they report, and would otherwise align with each other;
* a link to another article, opened by a label such as "Also read:", «Читайте также:»,
  "यह भी पढ़ें:", "اقرأ أيضا:" (``reader/data/apparatus.json``, in every language the
  benchmark covers), before a colon or a dash.

Lines one outlet repeats verbatim across its articles are found apart, by repetition
(``reader.pipeline``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from reader.datafiles import table

_WRAPPED = re.compile(r"\A\s*[(\[（【].*[)\]）】][.。]?\s*\Z", re.DOTALL)


@lru_cache(maxsize=1)
def _read_also() -> re.Pattern[str]:
    labels = sorted({label for by_lang in table("apparatus.json")["read_also"].values() for label in by_lang},
                    key=len, reverse=True)
    return re.compile(r"\A\s*(?:" + "|".join(map(re.escape, labels)) + r")\s*[:：\-–—]", re.IGNORECASE)


def _wrapped(text: str) -> bool:
    """Wholly inside one pair of brackets: "(a) b (c)" is not."""
    if not _WRAPPED.match(text):
        return False
    body = text.strip().rstrip(".。")
    depth = 0
    for n, ch in enumerate(body):
        depth += ch in "([（【"
        depth -= ch in ")]）】"
        if depth == 0 and n < len(body) - 1:
            return False
    return True


def is_apparatus(text: str) -> bool:
    """Whether a sentence is a credit line, a note in parentheses, or a link to another article."""
    return _wrapped(text) or bool(_read_also().match(text))
