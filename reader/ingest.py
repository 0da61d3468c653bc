"""Files and folders -> ``Article`` values: encoding, front matter, HTML, JSON, language.

What is read
    Files are read in the order given; a folder is walked recursively in sorted
    order (any depth; links to folders are not followed). Inside a folder only
    ``.txt .md .html .htm .json .jsonl`` files are read; hidden files and folders,
    ``README*`` files and gold files (names that start with ``gold`` or contain
    ``.gold.``) are skipped silently. A file named explicitly is read whatever its
    name, but an unsupported extension is an error. Only regular files are opened:
    a named pipe, socket or device, a link loop or a broken link is reported (and
    never waited on), as is a folder with nothing to read.

Encodings
    UTF-8 with or without a BOM; UTF-16 with a BOM, or without one when one byte
    of every pair takes only a few values (NUL for Latin text, 0x04 for Cyrillic…).
    NUL or control characters otherwise mean a binary file. The BOM is not part of
    ``Article.text``; line endings are kept as they are.

Plain text and Markdown (``.txt``, ``.md``)
    A file may start with a front-matter block, and may hold several articles,
    each starting with its own block::

        ---
        lang: ru
        title: В Бишкеке стартовали переговоры Путина и Жапарова
        outlet: unknown
        published: 2025-11-26
        url: https://…
        ---
        article text …

    A block is a line ``---``, one or more ``key: value`` lines and a line ``---``.
    Keys: ``lang`` (or ``language``), ``title``, ``outlet`` (or ``source``),
    ``published`` (or ``date``), ``url``; others are ignored. The values ``null``,
    ``~``, ``unknown`` and an empty value mean "not known". A ``---`` line that is
    not followed by such a block (a Markdown rule) is text. ``Article.text`` is the
    whole file, so sentence offsets are file offsets for every article in it;
    ``body_start``/``body_end`` delimit the article after its block.

HTML (``.html``, ``.htm``)
    ``reader.html_text``: the article's text by trafilatura, without the page's
    navigation, header, footer and sidebars, and its title, date and site name; a
    page where it finds no article is read whole by the standard library's parser
    (one line per block element). The language comes from ``<html lang>``, the url
    from ``og:url`` or ``<link rel=canonical>``. ``Article.text`` is the extracted text.

JSON (``.json``: one object or a list of them; ``.jsonl``: one object a line)
    Fields: ``text`` (or ``body``/``content``), ``title``, ``lang``/``language``,
    ``outlet``/``source``, ``published``/``date``, ``url``. ``Article.text`` is the
    body string. A file (or line) nested deeper than ``Limits.json_depth`` is refused
    before it is parsed (``reader.jsonsafe``).

Language and ids
    A declared language wins (it must be one Argos supports); otherwise it is
    detected from the body (a detected language reader cannot translate, such as
    Kazakh, is an error, not a guess at a neighbour). Dates become ISO ``YYYY-MM-DD``.
    Ids come from ``reader.docids``: the slug of the file name (``ru-bishkek.txt`` is
    ``ru-bishkek``), with a short digest of the body for each article of a file that
    holds several (front-matter blocks, a JSON list, ``.jsonl``) and for the articles
    of files whose names slug the same; the same whatever the order of the files,
    the folder they are in or the machine.

Errors
    Anything wrong with one file (missing, not a regular file, empty, binary,
    undecodable, malformed front matter or JSON, JSON nested too deep, unknown
    language, bad date) is passed to ``on_error`` as ``BadInput`` and the other files
    go on. Within a JSON list or a JSONL file a bad item is reported and the others
    are kept. File names and problems are made printable (``reader.untrusted``).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from reader import docids, html_text, jsonsafe, langid
from reader.errors import BadInput
from reader.model import Article
from reader.untrusted import printable

TEXT_SUFFIXES = frozenset({".txt", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json", ".jsonl"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES

_NULLS = frozenset({"", "null", "none", "~", "unknown"})
_KEYS = {
    "lang": "lang",
    "language": "lang",
    "title": "title",
    "outlet": "outlet",
    "source": "outlet",
    "published": "published",
    "date": "published",
    "url": "url",
}
_FM_LINE = re.compile(r"[A-Za-z_][\w-]*[ \t]*:(?:[ \t].*)?")
_TITLE_KEYS = ("title", "headline")
_BODY_KEYS = ("text", "body", "content")


@dataclass(frozen=True)
class _Draft:
    """An article before its id is known."""

    path: str
    text: str
    body_start: int
    body_end: int
    meta: dict[str, str | None]
    several: bool = False  # its file holds several articles by its form (reader.docids)


def read_paths(paths: Sequence[str | Path], on_error: Callable[[BadInput], None]) -> list[Article]:
    """Read files and folders into articles, reporting bad input to ``on_error`` and going on."""
    on_error = _shown(on_error)
    files = [_read_file(path, explicit, on_error) for path, explicit in _walk(paths, on_error)]
    return _identified([(drafts, [a for d in drafts if (a := _finish(d, on_error)) is not None]) for drafts in files])


def read_file_bytes(data: bytes, path: str | Path, on_error: Callable[[BadInput], None]) -> list[Article]:
    """The articles of one file whose bytes were read elsewhere (``reader batch`` ships a file's
    bytes to a worker that may be on another machine): the same articles, ids and errors as
    ``read_paths([path])`` on that file. ``path`` names it (its suffix, and the id's slug)."""
    on_error = _shown(on_error)
    name = str(path)
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        on_error(BadInput(name, f"unsupported file type '{suffix or Path(name).name}'",
                          hint="use .txt, .md, .html, .json or .jsonl"))
        return []
    drafts = _drafts(data, name, suffix, on_error)
    return _identified([(drafts, [a for d in drafts if (a := _finish(d, on_error)) is not None])])


def read_text_articles(text: str, path: str = "<text>") -> list[Article]:
    """Articles of one front-matter text (as in a ``.txt`` file); raises ``BadInput``."""
    errors: list[BadInput] = []
    drafts = _split_front_matter(text, path)
    articles = [a for d in drafts if (a := _finish(d, errors.append)) is not None]
    if errors:
        raise _printable(errors[0])
    return _identified([(drafts, articles)])


def _identified(files: Sequence[tuple[Sequence[_Draft], Sequence[Article]]]) -> list[Article]:
    """The articles of the files read (their drafts, and the articles made of them), with their ids."""
    items: list[tuple[str, str, str, str]] = []
    articles: list[Article] = []
    for drafts, done in files:
        if not done:
            continue
        several = any(d.several for d in drafts)
        ids = docids.file_ids(done[0].path, [(a.lang, a.body) for a in done], several)
        items += [(a.path, a.lang, doc_id, docids.digest(a.body)) for a, doc_id in zip(done, ids)]
        articles += done
    return [replace(a, id=doc_id) for a, doc_id in zip(articles, docids.run_ids(items))]


def _printable(error: BadInput) -> BadInput:
    """``error`` with its file name and problem as one line a terminal shows and does not obey."""
    path, problem = printable(error.path), printable(error.problem)
    if (path, problem) == (error.path, error.problem):
        return error
    return BadInput(path, problem, hint=error.hint)


def _shown(on_error: Callable[[BadInput], None]) -> Callable[[BadInput], None]:
    return lambda error: on_error(_printable(error))


# --- finding files ---------------------------------------------------------------


def _skipped_in_folder(path: Path) -> bool:
    name = path.name.lower()
    return (
        name.startswith(".")
        or name.startswith("readme")
        or name.startswith("gold")
        or ".gold." in name
        or path.suffix.lower() not in SUFFIXES
    )


def _walk(paths: Sequence[str | Path], on_error: Callable[[BadInput], None]) -> Iterator[tuple[Path, bool]]:
    for given in paths:
        path = Path(given)
        kind, problem = _kind(path)
        if kind == "folder":
            yield from ((child, False) for child in _folder_files(path, on_error))
        elif kind == "file":
            yield path, True
        else:
            on_error(BadInput(str(path), problem))


_FOLDER_HINT = "a folder is read for .txt, .md, .html, .htm, .json and .jsonl files (not hidden, README or gold ones)"


def _not_regular(mode: int) -> str:
    what = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return f"not a regular file ({what})"


def _kind(path: Path) -> tuple[str, str]:
    """("file" | "folder" | "bad", the problem of a bad one), by one stat that follows links."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "bad", "symbolic link loop"
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "bad", "broken symbolic link" if os.path.islink(path) else "no such file or folder"
        return "bad", f"cannot read: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "folder", ""
    if stat.S_ISREG(mode):
        return "file", ""
    return "bad", _not_regular(mode)


def _folder_files(root: Path, on_error: Callable[[BadInput], None]) -> list[Path]:
    """The files to read under ``root``, in sorted order; every other entry that looks like
    one (a link loop, a broken link, a named pipe), every unreadable folder, and a folder
    with nothing to read, reported.

    Walked with a stack, not recursion, so any depth is fine; a link to a folder is not
    followed (one to a folder around it is reported as a loop).
    """
    problems: list[BadInput] = []
    candidates: list[Path] = []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            problems.append(BadInput(str(folder), f"cannot read this folder: {exc.strerror or exc}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = Path(entry.path)
            if entry.is_dir(follow_symlinks=False):
                stack.append(child)
            elif not _skipped_in_folder(child) or _links_to_folder(entry):
                candidates.append(child)
    files = []
    for child in sorted(candidates, key=lambda c: c.parts):
        kind, problem = _kind(child)
        if kind == "file":
            files.append(child)
        elif kind == "folder":
            if _encloses(child.resolve(), child.parent):
                problems.append(BadInput(str(child), "symbolic link loop (to a folder around it)"))
        else:
            problems.append(BadInput(str(child), problem))
    if not files and not problems:
        problems.append(BadInput(str(root), "no article files in this folder", hint=_FOLDER_HINT))
    for error in problems:
        on_error(error)
    return files


def _links_to_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink() and entry.is_dir()
    except OSError:  # a link loop: reported when its name is one reader reads
        return False


def _encloses(target: Path, folder: Path) -> bool:
    here = folder.resolve()
    return target == here or target in here.parents


# --- decoding --------------------------------------------------------------------


def decode(data: bytes, path: str) -> str:
    """Bytes -> text: UTF-8 (BOM optional) or UTF-16 (BOM, or recognised by its byte pattern).

    Without a BOM, UTF-8 is tried first; when that fails or yields control
    characters, UTF-16 is recognised by one byte of every pair (the high byte)
    taking only a few values, as it does for text in one or two scripts.
    """
    if not data.strip():
        raise BadInput(path, "empty file")
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return _checked(data[len(bom) :], encoding, path)
    try:
        text = data.decode("utf-8")
        if "\x00" not in text and _control_share(text) <= 0.05:
            return _checked(data, "utf-8", path)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        utf8_error = None
    encoding = _utf16_by_pattern(data)
    if encoding is not None:
        try:
            return _checked(data, encoding, path)
        except BadInput:
            pass
    if utf8_error is not None and b"\x00" not in data:
        raise BadInput(
            path, f"not valid UTF-8 (byte {utf8_error.start})", hint="save the file as UTF-8"
        ) from None
    raise BadInput(path, "binary file, not text", hint="give a UTF-8 or UTF-16 text, HTML or JSON file")


def _checked(data: bytes, encoding: str, path: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise BadInput(
            path, f"not valid {encoding.upper()} (byte {exc.start})", hint="save the file as UTF-8"
        ) from None
    if "\x00" in text or _control_share(text) > 0.05:
        raise BadInput(path, "binary file, not text", hint="give a UTF-8 or UTF-16 text, HTML or JSON file")
    if not text.strip():
        raise BadInput(path, "empty file")
    return text


def _utf16_by_pattern(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = set(sample[0::2]), set(sample[1::2])
    if len(odd) <= 8 and len(odd) < len(even):
        return "utf-16-le"
    if len(even) <= 8 and len(even) < len(odd):
        return "utf-16-be"
    return None


def _control_share(text: str) -> float:
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return bad / max(1, len(sample))


# --- formats ---------------------------------------------------------------------


def _read_file(path: Path, explicit: bool, on_error: Callable[[BadInput], None]) -> list[_Draft]:
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        if explicit:
            on_error(
                BadInput(name, f"unsupported file type '{suffix or path.name}'", hint="use .txt, .md, .html, .json or .jsonl")
            )
        return []
    try:
        return _drafts(_read_regular(path, name), name, suffix, on_error)
    except BadInput as exc:  # not a regular file
        on_error(exc)
    except OSError as exc:
        on_error(BadInput(name, f"cannot read: {exc.strerror or exc}"))
    return []


def _drafts(data: bytes, name: str, suffix: str, on_error: Callable[[BadInput], None]) -> list[_Draft]:
    """The articles (before their ids) of a file of ``data`` named ``name`` with ``suffix``."""
    try:
        text = decode(data, name)
        if suffix in TEXT_SUFFIXES:
            return _split_front_matter(text, name)
        if suffix in HTML_SUFFIXES:
            return [_from_html(text, name)]
        return _from_json(text, name, suffix == ".jsonl", on_error)
    except BadInput as exc:
        on_error(exc)
    return []


def _read_regular(path: Path, name: str) -> bytes:
    """The bytes of a regular file; opened without blocking, so a named pipe put in the file's
    place after it was listed is reported, never waited on."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with open(fd, "rb") as f:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise BadInput(name, _not_regular(mode))
        return f.read()


def _split_front_matter(text: str, path: str) -> list[_Draft]:
    """Split a text into articles at front-matter blocks (see the module docstring)."""
    blocks = list(_front_matter_blocks(text, path))
    if not blocks:
        return [_Draft(path, text, 0, len(text), {})]
    if text[: blocks[0][0]].strip():
        # text before the first block is an article of its own, without metadata
        blocks.insert(0, (0, 0, {}))
    drafts = []
    for i, (_, body_start, meta) in enumerate(blocks):
        body_end = blocks[i + 1][0] if i + 1 < len(blocks) else len(text)
        drafts.append(_Draft(path, text, body_start, body_end, meta, several=len(blocks) > 1))
    return drafts


def _front_matter_blocks(text: str, path: str) -> Iterator[tuple[int, int, dict[str, str | None]]]:
    """(block start, body start, metadata) for every front-matter block in ``text``."""
    lines = text.splitlines(keepends=True)
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line)
    i = 0
    while i < len(lines):
        if lines[i].rstrip("\r\n") != "---":
            i += 1
            continue
        j = i + 1
        meta: dict[str, str | None] = {}
        while j < len(lines) and _FM_LINE.fullmatch(lines[j].rstrip("\r\n")):
            key, _, value = lines[j].rstrip("\r\n").partition(":")
            field = _KEYS.get(key.strip().lower())
            if field:
                meta[field] = _clean_value(value)
            j += 1
        closed = j < len(lines) and lines[j].rstrip("\r\n") == "---"
        if closed and j > i + 1:
            yield offsets[i], offsets[j] + len(lines[j]), meta
            i = j + 1
            continue
        if i == 0:
            got = lines[j].rstrip("\r\n") if j < len(lines) else "the end of the file"
            raise BadInput(
                path,
                f"malformed front matter at line {j + 1}: expected 'key: value' or '---', got {got[:40]!r}",
                hint="front matter is a '---' line, 'key: value' lines and a '---' line",
            )
        i += 1


def _clean_value(value: str) -> str | None:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value = value[1:-1].strip()
    return None if value.lower() in _NULLS else value


def _from_json(text: str, path: str, lines: bool, on_error: Callable[[BadInput], None]) -> list[_Draft]:
    items: list[tuple[str, object]] = []
    # jsonsafe measures the nesting before parsing (Limits.json_depth): [[[[…]]]] nested
    # 100 000 deep is one line naming the file, not a RecursionError
    if lines:
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                items.append((f"line {n}", jsonsafe.loads(line)))
            except jsonsafe.BadJSON as exc:
                on_error(BadInput(path, f"line {n}: {str(exc).replace('at line 1 column', 'at column', 1)}"))
    else:
        data = jsonsafe.load_json(text, path)
        if isinstance(data, list):
            items = [(f"item {n}", obj) for n, obj in enumerate(data, 1)]
        else:
            items = [("", data)]
    drafts = []
    several = lines or bool(items and items[0][0])  # lines, or a list (even of one): a container all the same
    for where, obj in items:
        try:
            drafts.append(replace(_draft_from_object(obj, path, where), several=several))
        except BadInput as exc:
            on_error(exc)
    return drafts


def _draft_from_object(obj: object, path: str, where: str) -> _Draft:
    prefix = f"{where}: " if where else ""
    if not isinstance(obj, dict):
        raise BadInput(path, f"{prefix}expected a JSON object with a 'text' field")
    body = next((obj[k] for k in _BODY_KEYS if k in obj), None)
    if not isinstance(body, str) or not body.strip():
        raise BadInput(path, f"{prefix}no article text (a non-empty 'text' or 'body' field)")
    meta: dict[str, str | None] = {}
    for key, value in obj.items():
        field = "title" if key in _TITLE_KEYS else _KEYS.get(str(key).lower())
        if field is None or value is None:
            continue
        if not isinstance(value, str):
            raise BadInput(path, f"{prefix}field '{key}' should be a string")
        meta.setdefault(field, _clean_value(value))
    return _Draft(path, body, 0, len(body), meta)


def _from_html(text: str, path: str) -> _Draft:
    page = html_text.extract(text)
    if not page.text.strip():
        raise BadInput(path, "no text in this HTML page")
    meta: dict[str, str | None] = {
        "title": page.title, "published": page.published, "outlet": page.outlet, "url": page.url
    }
    if page.lang:
        meta["lang"] = page.lang
    return _Draft(path, page.text, 0, len(page.text), meta)


# --- metadata --------------------------------------------------------------------

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            "jan january", "feb february", "mar march", "apr april", "may", "jun june",
            "jul july", "aug august", "sep sept september", "oct october", "nov november", "dec december",
        ),
        1,
    )
    for m in names.split()
}


def normalise_date(value: str) -> str | None:
    """An ISO ``YYYY-MM-DD`` for common date forms, or ``None`` when it is not a date.

    Accepted: ``2025-11-26`` (and ISO date-times), ``2025/11/26``, ``26.11.2025``,
    ``26/11/2025`` (day first), ``November 26, 2025``, ``26 November 2025``,
    ``Nov 26 2025``; a time after the date is ignored.
    """
    v = value.strip()
    m = re.match(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s,])", v)
    if m:
        return _iso(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})(?:$|[\s,])", v)
    if m:
        return _iso(int(m[3]), int(m[2]), int(m[1]))
    m = re.match(r"([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:$|[\s,])", v)
    if m and m[1].lower() in _MONTHS:
        return _iso(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    m = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})(?:$|[\s,])", v)
    if m and m[2].lower() in _MONTHS:
        return _iso(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
    try:
        return datetime.fromisoformat(v).date().isoformat()
    except ValueError:
        return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _finish(draft: _Draft, on_error: Callable[[BadInput], None]) -> Article | None:
    """Check a draft's body, language and date; ``None`` (after ``on_error``) when it is bad."""
    meta = draft.meta
    body = draft.text[draft.body_start : draft.body_end]
    if not body.strip():
        on_error(BadInput(draft.path, "an article with no text"))
        return None
    declared = meta.get("lang")
    if declared:
        lang = declared.strip().lower().replace("_", "-").split("-")[0]
        if lang not in langid.SUPPORTED:
            on_error(
                BadInput(
                    draft.path,
                    f"unsupported language '{declared}'",
                    hint="use an ISO 639-1 code with an Argos package, e.g. en, ru, ar, hi",
                )
            )
            return None
    else:
        detected = langid.detect(body)
        if detected is None or detected not in langid.SUPPORTED:
            problem = "could not tell the language" if detected is None else (
                f"the language looks like '{detected}', which reader cannot translate"
            )
            on_error(BadInput(draft.path, problem, hint="add front matter with 'lang: xx'"))
            return None
        lang = detected
    published = meta.get("published")
    if published:
        iso = normalise_date(published)
        if iso is None:
            on_error(BadInput(draft.path, f"not a date: {published!r}", hint="write dates as YYYY-MM-DD"))
            return None
        published = iso
    return Article(
        id="",
        path=draft.path,
        lang=lang,
        text=draft.text,
        body_start=draft.body_start,
        body_end=draft.body_end,
        title=meta.get("title"),
        outlet=meta.get("outlet"),
        published=published,
        url=meta.get("url"),
    )
