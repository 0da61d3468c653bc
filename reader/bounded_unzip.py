"""Unpacking an untrusted zip archive within ``Limits``: no path out of the target, no encryption,
only the compressions zipfile has, and the bytes unpacked held to ``package_bytes`` in all and
``package_ratio`` per member, both as the headers declare them and as the bytes come (headers may
lie). A zip bomb is refused before its first large chunk is written. Every failure is one
``BadInput`` naming the archive."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from reader.errors import BadInput
from reader.settings import Limits
from reader.untrusted import printable

CHUNK = 1024 * 1024  # bytes unpacked at a time
# smaller members are not held to Limits.package_ratio (deflate packs a run of spaces 300:1; package_bytes bounds them)
RATIO_FLOOR = 1024 * 1024
METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
# what zipfile and its decompressors raise on a damaged archive (a name not UTF-8, a bad offset), or a full disk
_UNPACK_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


def unpack(path: Path, staging: Path, where: str, bounds: Limits) -> None:
    """Unpack the archive into ``staging`` member by member within ``bounds``; BadInput otherwise.

    Before anything is written, every member needs a path inside the package, no
    encryption, a compression zipfile has, and declared sizes within ``package_bytes``
    (all) and ``package_ratio`` (each; the packed size counts at most the member's span
    up to the next one, so a header claiming more hides no bomb). Then each is copied
    in chunks, the running count held to the same limits, since headers may lie.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            packed = _packed_sizes(members, getattr(zf, "start_dir", path.stat().st_size))
            for info, size in zip(members, packed):
                _check_member(info, where)
                _hold(0, where, bounds, info.filename, info.file_size, size)
            _hold(sum(info.file_size for info in members), where, bounds)
            total = 0
            for info, size in zip(members, packed):
                total = _copy(zf, info, staging, total, size, where, bounds)
    except NotImplementedError as err:  # a zip version, compression or feature zipfile lacks
        raise BadInput(where, f"cannot unpack the archive: unsupported {printable(str(err))}") from None
    except _UNPACK_ERRORS as err:
        raise BadInput(where, f"cannot unpack the archive ({printable(str(err))})") from None


def _check_member(info: zipfile.ZipInfo, where: str) -> None:
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise BadInput(where, f"unsafe path in the archive: {printable(name)}")
    if info.flag_bits & 0x1:
        raise BadInput(where, f"{printable(name)} is encrypted: reader cannot unpack encrypted packages")
    if info.compress_type not in METHODS:
        method = info.compress_type
        raise BadInput(where, f"{printable(name)} uses compression method {method}, which reader cannot unpack")


def _packed_sizes(members: list[zipfile.ZipInfo], end: int) -> list[int]:
    """Each member's packed size: what its header says, at most the bytes up to the next member."""
    offsets = sorted({info.header_offset for info in members} | {end})
    following = {offset: offsets[min(i + 1, len(offsets) - 1)] for i, offset in enumerate(offsets)}
    return [max(0, min(info.compress_size, following[info.header_offset] - info.header_offset)) for info in members]


def _copy(zf: zipfile.ZipFile, info: zipfile.ZipInfo, staging: Path, total: int, packed: int, where: str, bounds: Limits) -> int:
    """Write one member under ``staging`` in chunks, counting; the running total of bytes unpacked."""
    target = staging.joinpath(*PurePosixPath(info.filename).parts)
    if info.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        return total
    target.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with zf.open(info) as source, target.open("wb") as sink:
        while chunk := source.read(CHUNK):
            written += len(chunk)
            total += len(chunk)
            _hold(total, where, bounds, info.filename, written, packed)
            sink.write(chunk)
    return total


def _hold(total: int, where: str, bounds: Limits, name: str = "", unpacked: int = 0, packed: int = 0) -> None:
    """BadInput unless ``total`` bytes unpacked and member ``name`` (``unpacked`` of ``packed``) are within ``bounds``."""
    if total > bounds.package_bytes:
        raise BadInput(where, f"unpacks to more than {_size(bounds.package_bytes)} (limit READER_LIMITS_PACKAGE_BYTES)")
    if unpacked > RATIO_FLOOR and unpacked > bounds.package_ratio * max(packed, 1):
        raise BadInput(
            where,
            f"{printable(name)} unpacks to more than {bounds.package_ratio:g} times its packed size, "
            "like a zip bomb (limit READER_LIMITS_PACKAGE_RATIO)",
        )


def _size(n: int) -> str:
    """``2.0 GiB``, ``5.0 MiB``, ``512 bytes``."""
    for exponent, unit in ((3, "GiB"), (2, "MiB"), (1, "KiB")):
        if n >= 1024**exponent:
            return f"{n / 1024**exponent:.1f} {unit}"
    return f"{n} bytes"
