"""Document ids: derived from what identifies an article, the same in every command, run and machine.

``reader align``, ``reader batch`` and ``reader eval`` (and the perturbation suite) all name a
document through this module, so ``ru-bishkek`` is one article everywhere.

The id
    The *slug* of the file name's stem: transliterated to ASCII (``anyascii``, after NFC, so a
    name stored decomposed, as macOS does, reads the same), lower case, every run of characters
    other than ``a-z 0-9`` one ``-``, trimmed, at most :data:`MAX_SLUG` characters; a stem with
    nothing left (``—.txt``) falls back to the article's language code. So
    ``corpora/bishkek-2025/ru-bishkek.txt`` is ``ru-bishkek`` wherever the folder is and however
    the path was written. The folder is not part of it (it changes from machine to machine); nor
    is the outlet (often missing, read from HTML by an extractor whose version changes it, and one
    outlet has many articles: it is in the report beside the id).

    ``-`` and a *digest* (:func:`digest`: six hex digits of blake2b of the article's body, its
    line endings made ``\\n`` and its ends stripped, so a checkout with CRLF gives the same) is
    added

    * to every article of a file that holds several by its form: a ``.txt``/``.md`` file with
      more than one front-matter block, a JSON list (even of one), a ``.jsonl`` file. A digest,
      not the position: an article added, removed or moved in the file leaves the others' ids as
      they were, and an id never passes to another article (a position would: the third article
      of a feed becomes the second when the first is deleted);
    * to the articles of two or more files of one run whose ids would be the same
      (``a/report.txt`` and ``b/report.txt``, or ``report.txt`` and ``report.md``): all of them,
      not all but the first, so the id does not depend on the order the files were given in.

    What is still the same after that (the same article twice) gets ``-2``, ``-3``… in the order
    of (path, position in the file).

    An id is ``[a-z0-9]+(-[a-z0-9]+)*``: no ``:`` (a sentence id is ``{document}:{index}``), no
    space, markup or control character, so it is plain wherever it is shown.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from anyascii import anyascii

from reader.model import Document

MAX_SLUG = 40
DIGEST_HEX = 6
ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # every id this module makes
MAX_ID = 64  # a slug, a digest and a number, with room to spare
DIGEST = re.compile(rf"[0-9a-f]{{{DIGEST_HEX}}}")
_OTHER = re.compile(r"[^a-z0-9]+")


def plain(doc_id: object) -> bool:
    """Whether ``doc_id`` is an id this module could have made (a check on ids read back from disk)."""
    return isinstance(doc_id, str) and len(doc_id) <= MAX_ID and ID.fullmatch(doc_id) is not None


def slug(name: str, fallback: str) -> str:
    """``name`` as ``[a-z0-9-]``: transliterated, lower case, runs of anything else one ``-``,
    trimmed, at most :data:`MAX_SLUG` characters; ``fallback`` so made (then ``doc``) when empty."""
    for candidate in (name, fallback):
        text = _OTHER.sub("-", anyascii(unicodedata.normalize("NFC", candidate)).lower()).strip("-")
        text = text[:MAX_SLUG].rstrip("-")
        if text:
            return text
    return "doc"


def base(path: str, lang: str) -> str:
    """The id of the one article of a file that holds one: the slug of its name without the extension."""
    return slug(PurePath(path).stem, lang)


def digest(body: str) -> str:
    """Six hex digits of blake2b of an article's body (line endings as ``\\n``, NFC, ends stripped)."""
    text = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n")).strip()
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST_HEX // 2).hexdigest()


def file_ids(path: str, articles: Sequence[tuple[str, str]], several: bool) -> list[str]:
    """The ids of one file's articles, ``(lang, body)`` each, in file order.

    ``several``: the file holds several articles by its form (see the module docstring), so each
    id carries its digest even when only one article of it could be read.
    """
    if len(articles) == 1 and not several:
        (lang, _), = articles
        return [base(path, lang)]
    return _numbered([f"{base(path, lang)}-{digest(body)}" for lang, body in articles])


def run_ids(items: Sequence[tuple[str, str, str, str]]) -> list[str]:
    """The ids of one run's articles, unique in it: ``(path, lang, file id, digest)`` each, where
    the file id is :func:`file_ids`' and the digest :func:`digest`'s for the same article.

    A file id that articles of two or more files share gets the digest added where it is not in
    it yet (the id of a file that holds one article), then what is still shared is numbered.
    Depends on the set of items only, not on their order across files; applied to one file's
    items it changes nothing, so ids read one file at a time (``reader batch``) and resolved
    together here are those of one read of all the files (``reader align``).
    """
    paths_of: dict[str, set[str]] = defaultdict(set)
    for path, _, file_id, _ in items:
        paths_of[file_id].add(path)
    ids = [
        f"{file_id}-{body_digest}" if len(paths_of[file_id]) > 1 and file_id == base(path, lang) else file_id
        for path, lang, file_id, body_digest in items
    ]
    positions: Counter[str] = Counter()
    order = []
    for n, (path, *_) in enumerate(items):
        order.append((path, positions[path], n))
        positions[path] += 1
    ranked = [n for *_, n in sorted(order)]
    renamed = _numbered([ids[n] for n in ranked])
    out = [""] * len(items)
    for n, new in zip(ranked, renamed):
        out[n] = new
    return out


def _numbered(ids: Iterable[str]) -> list[str]:
    """``ids`` with the second, third… of a repeated one made ``-2``, ``-3``… (skipping taken ids)."""
    ids = list(ids)
    taken = set(ids)
    seen: set[str] = set()
    out = []
    for doc_id in ids:
        new = doc_id
        n = 2
        while new in seen or (new != doc_id and new in taken):
            new = f"{doc_id}-{n}"
            n += 1
        seen.add(new)
        out.append(new)
    return out


def renamed(document: Document, doc_id: str) -> Document:
    """``document`` under another id, its sentences' ids (``{doc_id}:{index}``) with it."""
    if document.id == doc_id:
        return document
    sentences = tuple(dataclasses.replace(s, id=f"{doc_id}:{s.index}", document=doc_id) for s in document.sentences)
    return Document(dataclasses.replace(document.article, id=doc_id), sentences)
