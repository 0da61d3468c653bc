"""Argos Translate packages in a reader-owned directory: list, install (index or file), remove.

Packages live in ``Settings.packages_dir`` (``READER_PACKAGES_DIR`` or
``<data dir>/argos-packages``), one directory per package, named by its id
``translate-<from>_<to>-<version>``. Reader only keeps ``<lang>→en`` packages,
one per language: installing a new version replaces the old one.

argostranslate is imported lazily and only through :func:`argos`, which points its
settings for the moment of the import: ``ARGOS_PACKAGES_DIR`` at the packages
dir, and ``XDG_DATA_HOME``, ``XDG_CONFIG_HOME``, ``XDG_CACHE_HOME`` under
``<cache dir>/argostranslate``, so the directories argostranslate creates at
import, and the settings file it reads, are reader's and not the user's (and the
packages dir holds nothing but packages, so argostranslate's own tools can read it). Reader never uses argostranslate's
own install/download or its index (they write to its global directories and
retry for long without a timeout); it validates and unpacks package files
itself and fetches the index with short timeouts. A package file is untrusted: it
is unpacked within ``Limits`` (unpacked size, compression ratio, metadata nesting).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import types
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reader.bounded_unzip import unpack
from reader.errors import BadInput, ModelMissing, ReaderError
from reader.jsonsafe import BadJSON, loads
from reader.settings import Limits, Settings, limits
from reader.untrusted import printable

TARGET = "en"  # reader translates into English only
INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
INDEX_ENV = "READER_ARGOS_INDEX"  # another index (a URL or a local path), e.g. a mirror
TIMEOUT = 10.0  # seconds per network operation (connect, each read)
ARGOS_HOME = "argostranslate"  # inside reader's cache dir: argostranslate's own data/config/cache dirs
FILE_HINT = "reader models install --file PATH.argosmodel"

_import_lock = threading.Lock()


# ----------------------------------------------------------------- argostranslate, contained
@contextmanager
def _env(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def argos(settings: Settings) -> types.ModuleType:
    """``argostranslate.package``, imported with its directories inside reader's packages dir.

    argostranslate reads its settings once, at its first import in a process; later
    calls return the module already imported. Reader passes explicit paths to it
    anyway, so which packages dir the import saw does not matter afterwards.
    """
    with _import_lock:
        import sys

        if "argostranslate.package" in sys.modules:
            return sys.modules["argostranslate.package"]
        home = settings.cache_dir / ARGOS_HOME
        values = {
            "ARGOS_PACKAGES_DIR": str(settings.packages_dir),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "ARGOS_DEVICE_TYPE": "cpu",
        }
        with _env(values):
            import argostranslate.package as package
        return package


# ----------------------------------------------------------------- installed packages
@dataclass(frozen=True)
class PackageInfo:
    """An installed package, read from its ``metadata.json``."""

    path: Path
    from_code: str
    to_code: str
    version: str
    from_name: str = ""
    to_name: str = ""
    tokenizer: str = "sentencepiece"  # or "bpe"

    @property
    def id(self) -> str:
        """``translate-ru_en-1.9``: pair and version, the cache key of its translations."""
        return package_id(self.from_code, self.to_code, self.version)

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    def describe(self) -> str:
        names = f"{self.from_name or self.from_code} → {self.to_name or self.to_code}"
        return f"{self.id}  {self.from_code}→{self.to_code}  version {self.version}  ({names})  {self.path}"


def package_id(from_code: str, to_code: str, version: str) -> str:
    return f"translate-{from_code}_{to_code}-{version or '0'}"


def _read_metadata(directory: Path, where: str, max_depth: int | None = None) -> dict[str, object]:
    """Parse and check ``metadata.json`` of an unpacked package; BadInput names ``where``.

    ``max_depth`` bounds its nesting (default ``Limits.json_depth``).
    """
    meta_path = directory / "metadata.json"
    if not meta_path.is_file():
        raise BadInput(where, "no metadata.json: not an Argos Translate package", _file_hint())
    try:
        meta = loads(meta_path.read_bytes(), max_depth)
    except BadJSON as err:
        raise BadInput(where, f"metadata.json: {err}") from None
    if not isinstance(meta, dict):
        raise BadInput(where, "metadata.json does not hold an object")
    from_code, to_code = meta.get("from_code"), meta.get("to_code")
    if not isinstance(from_code, str) or not isinstance(to_code, str) or not from_code or not to_code:
        raise BadInput(where, "metadata.json has no from_code/to_code: not a translation package")
    kind = meta.get("type", "translate")
    if kind != "translate":
        raise BadInput(where, f"unsupported package type {kind!r}: reader needs a translation package")
    if to_code != TARGET or from_code == TARGET:
        raise BadInput(
            where,
            f"unsupported pair {from_code}→{to_code}: reader translates into English only (<lang>→en)",
            f"install the {from_code if from_code != TARGET else '<lang>'}→en package instead",
        )
    return meta


def _info_from(directory: Path, meta: dict[str, object], where: str) -> PackageInfo:
    model = directory / "model"
    if not (model / "model.bin").is_file():
        raise BadInput(where, "no CTranslate2 model (model/model.bin) in the package")
    if (directory / "sentencepiece.model").is_file():
        tokenizer = "sentencepiece"
    elif (directory / "bpe.model").is_file():
        tokenizer = "bpe"
    else:
        raise BadInput(where, "no tokenizer (sentencepiece.model or bpe.model) in the package")
    return PackageInfo(
        path=directory,
        from_code=str(meta["from_code"]),
        to_code=str(meta["to_code"]),
        version=str(meta.get("package_version") or "0"),
        from_name=str(meta.get("from_name") or ""),
        to_name=str(meta.get("to_name") or ""),
        tokenizer=tokenizer,
    )


def read_package(directory: Path) -> PackageInfo:
    """Check an unpacked package directory and describe it (BadInput if it is not one)."""
    where = printable(str(directory))
    return _info_from(directory, _read_metadata(directory, where), where)


def installed_packages(settings: Settings) -> list[PackageInfo]:
    """Valid ``<lang>→en`` packages in the packages dir, sorted by language. Broken ones are skipped."""
    root = settings.packages_dir
    if not root.is_dir():
        return []
    found: list[PackageInfo] = []
    for directory in sorted(root.iterdir()):
        if not directory.is_dir() or directory.name.startswith("."):
            continue
        try:
            found.append(read_package(directory))
        except BadInput:
            continue
    return sorted(found, key=lambda p: (p.from_code, p.version))


def find_package(settings: Settings, lang: str) -> PackageInfo | None:
    """The installed ``lang→en`` package (the newest version, should there be several)."""
    matches = [p for p in installed_packages(settings) if p.from_code == lang]
    return max(matches, key=lambda p: _version_key(p.version)) if matches else None


def _version_key(version: str) -> tuple[tuple[int, object], ...]:
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in version.split("."))


# ----------------------------------------------------------------- install from a file
def install_file(settings: Settings, path: str | Path, bounds: Limits | None = None) -> PackageInfo:
    """Validate an ``.argosmodel`` file and unpack it into the packages dir.

    Replaces any installed package of the same pair. Raises BadInput naming the file
    for one that is missing, not a zip, damaged (bad CRC, truncated), encrypted, of a
    compression zipfile lacks, unsafe (a path out of the package), beyond ``bounds``
    (default ``limits()``: unpacked size, ratio, metadata nesting), without metadata,
    of an unsupported pair, or without a model or tokenizer; nothing is left behind.
    """
    path = Path(path)
    where = printable(str(path))
    bounds = bounds or limits()
    if not path.is_file():
        raise BadInput(where, "no such file")
    if not zipfile.is_zipfile(path):
        raise BadInput(where, "not a zip archive: a corrupt or incomplete .argosmodel file (copy it again)")
    root = settings.packages_dir
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root))
    try:
        unpack(path, staging, where, bounds)
        top = _package_root(staging)
        if top is None:
            raise BadInput(where, "no metadata.json: not an Argos Translate package", _file_hint())
        info = _info_from(top, _read_metadata(top, where, bounds.json_depth), where)
        final = root / info.id
        for old in installed_packages(settings):
            if old.from_code == info.from_code and old.to_code == info.to_code:
                shutil.rmtree(old.path)
        if final.exists():
            shutil.rmtree(final)
        top.rename(final)
        return read_package(final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _package_root(staging: Path) -> Path | None:
    """Where metadata.json sits: the archive root or its single top-level directory."""
    if (staging / "metadata.json").is_file():
        return staging
    tops = [p for p in staging.iterdir() if p.is_dir() and not p.name.startswith("__MACOSX")]
    if len(tops) == 1 and (tops[0] / "metadata.json").is_file():
        return tops[0]
    return None


def _file_hint() -> str:
    return "a valid package is a zip with metadata.json, model/ and sentencepiece.model (e.g. translate-ru_en-1_9.argosmodel)"


# ----------------------------------------------------------------- install from the index
def index_url() -> str:
    return os.environ.get(INDEX_ENV) or INDEX_URL


def _offline_error(lang: str, reason: str) -> ReaderError:
    # One line, on purpose: the alternative is in the message itself.
    return ReaderError(
        f"cannot download the {lang}→en package: the Argos package index is unreachable ({reason}); "
        f"offline, copy a package file from another machine and run: {FILE_HINT}"
    )


def _open(url: str) -> bytes:
    if "://" not in url:  # a local index file (a mirror on disk)
        return Path(url).read_bytes()
    request = urllib.request.Request(url, headers={"User-Agent": "reader (argos package index)"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read()


def fetch_index(lang: str = "?", opener: Callable[[str], bytes] = _open) -> list[dict[str, object]]:
    """The Argos package index (a list of package metadata); ReaderError in one line when unreachable."""
    url = index_url()
    try:
        raw = opener(url)
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", None) or err
        raise _offline_error(lang, str(reason)) from None
    try:
        index = loads(raw)
    except BadJSON:
        raise ReaderError(f"the Argos package index at {url} is not valid JSON") from None
    if not isinstance(index, list):
        raise ReaderError(f"the Argos package index at {url} is not a list of packages")
    return [entry for entry in index if isinstance(entry, dict)]


def choose_from_index(index: list[dict[str, object]], lang: str) -> dict[str, object]:
    """The newest ``lang→en`` translation package of the index."""
    matches = [
        e
        for e in index
        if e.get("from_code") == lang and e.get("to_code") == TARGET and e.get("type", "translate") == "translate"
    ]
    if not matches:
        raise ModelMissing(
            f"the Argos package index has no {lang}→en package",
            "list what exists at https://www.argosopentech.com/argospm/index/",
        )
    return max(matches, key=lambda e: _version_key(str(e.get("package_version") or "0")))


def install_from_index(
    settings: Settings,
    lang: str,
    opener: Callable[[str], bytes] = _open,
) -> PackageInfo:
    """Download and install the ``lang→en`` package (network with short timeouts)."""
    if lang == TARGET:
        raise BadInput(lang, "English needs no translation package")
    entry = choose_from_index(fetch_index(lang, opener), lang)
    links = [str(link) for link in entry.get("links", []) or [] if isinstance(link, str)]
    if not links:
        raise ReaderError(f"the index entry of the {lang}→en package has no download link")
    root = settings.packages_dir
    root.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    for link in links:
        fd, name = tempfile.mkstemp(prefix=".download-", suffix=".argosmodel", dir=root)
        os.close(fd)
        target = Path(name)
        try:
            target.write_bytes(opener(link))
            return install_file(settings, target)
        except (urllib.error.URLError, OSError, ValueError) as err:
            errors.append(str(getattr(err, "reason", None) or err))
        finally:
            target.unlink(missing_ok=True)
    raise _offline_error(lang, "; ".join(errors) or "download failed")


# ----------------------------------------------------------------- remove
def remove(settings: Settings, name: str) -> list[PackageInfo]:
    """Remove packages given by id (``translate-ru_en-1.9``), directory name or source language."""
    gone = [p for p in installed_packages(settings) if name in (p.id, p.path.name, p.from_code)]
    if not gone:
        raise ModelMissing(f"no installed package matches {name!r}", "see what is installed: reader models list")
    for pkg in gone:
        shutil.rmtree(pkg.path)
    return gone
