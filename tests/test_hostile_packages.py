"""Hostile ``.argosmodel`` files: zip bombs, lying headers, deep metadata, encrypted, unknown
compression, bad CRC, truncated. Each is refused in one line naming the file, and nothing is
installed. Every archive is built here, at test time; the limits are lowered through the
``READER_LIMITS_*`` variables so a few MB of zeros trips them.
"""

from __future__ import annotations

import io
import json
import os
import random
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from reader import argos_packages, cli
from reader.errors import BadInput
from reader.settings import Settings
from reader.untrusted import printable

MiB = 1024 * 1024
META = {"package_version": "1.0", "from_code": "ru", "to_code": "en", "type": "translate", "from_name": "Russian"}
READER = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "reader"


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


def build(
    dest: Path,
    extra: dict[str, bytes] | None = None,
    *,
    metadata: bytes | None = None,
    method: int = zipfile.ZIP_DEFLATED,
) -> Path:
    """A small package reader accepts (fake model bytes suffice to install), plus ``extra`` members."""
    with zipfile.ZipFile(dest, "w") as zf:
        zf.writestr("p/metadata.json", metadata if metadata is not None else json.dumps(META).encode(), method)
        zf.writestr("p/model/model.bin", random.Random(1).randbytes(4000), method)
        zf.writestr("p/sentencepiece.model", b"sentencepiece " * 200, method)
        for name, data in (extra or {}).items():
            zf.writestr(name, data, zipfile.ZIP_DEFLATED, compresslevel=9)
    return dest


def headers(blob: bytes, name: str) -> tuple[int, int]:
    """Offsets of ``name``'s local header and of its central directory entry in ``blob``."""
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        local, central = zf.getinfo(name).header_offset, zf.start_dir
    while blob[central : central + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", blob, central + 28)
        if blob[central + 46 : central + 46 + name_len] == name.encode():
            return local, central
        central += 46 + name_len + extra_len + comment_len
    raise AssertionError(f"{name} is not in the central directory")


def patch(path: Path, name: str, field: str, value: int) -> Path:
    """Set a header field of member ``name`` in both its local header and its central entry."""
    local_at, central_at, fmt = {
        "flags": (6, 8, "<H"),
        "method": (8, 10, "<H"),
        "compressed": (18, 20, "<I"),
        "size": (22, 24, "<I"),
        "crc": (14, 16, "<I"),
    }[field]
    blob = bytearray(path.read_bytes())
    local, central = headers(bytes(blob), name)
    struct.pack_into(fmt, blob, local + local_at, value)
    struct.pack_into(fmt, blob, central + central_at, value)
    path.write_bytes(bytes(blob))
    return path


def data_offset(path: Path, name: str) -> int:
    """Where member ``name``'s packed data starts in the file."""
    blob = path.read_bytes()
    local, _ = headers(blob, name)
    name_len, extra_len = struct.unpack_from("<HH", blob, local + 26)
    return local + 30 + name_len + extra_len


def refused(settings: Settings, path: Path, message: str) -> BadInput:
    """install_file refuses ``path`` with BadInput naming it, and leaves nothing in the packages dir."""
    with pytest.raises(BadInput) as caught:
        argos_packages.install_file(settings, path)
    assert caught.value.message.startswith(f"{printable(str(path))}: "), caught.value.message
    assert message in caught.value.message, caught.value.message
    assert "\n" not in caught.value.message
    assert caught.value.hint is None  # one line: no hint line below it
    nothing_installed(settings)
    return caught.value


def nothing_installed(settings: Settings) -> None:
    root = settings.packages_dir
    assert not root.exists() or list(root.iterdir()) == []  # no package, no staging folder left


def bomb(tmp_path: Path, megabytes: int, name: str = "p/model/zeros.bin") -> Path:
    return build(tmp_path / "bomb.argosmodel", {name: bytes(megabytes * MiB)})


# ------------------------------------------------------------------ zip bombs and lying headers
def test_a_zip_bomb_is_refused_from_its_headers_before_anything_is_unpacked(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bomb(tmp_path, 64)  # default limits; 64 MiB of zeros packs into 64 KiB
    assert path.stat().st_size < MiB
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spying_open(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        opened.append(str(name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spying_open)
    refused(settings, path, "p/model/zeros.bin unpacks to more than 200 times its packed size")
    assert opened == []  # refused before a single member was opened


def test_the_unpacked_size_limit(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_LIMITS_PACKAGE_BYTES", str(4 * MiB))
    monkeypatch.setenv("READER_LIMITS_PACKAGE_RATIO", "100000")  # the size alone must trip
    refused(settings, bomb(tmp_path, 8), "unpacks to more than 4.0 MiB (limit READER_LIMITS_PACKAGE_BYTES)")
    # several members, each under the limit, over it together
    many = build(tmp_path / "many.argosmodel", {f"p/part{i}.bin": bytes(2 * MiB) for i in range(3)})
    refused(settings, many, "unpacks to more than 4.0 MiB")


def test_the_ratio_limit_trips_under_the_size_limit(settings: Settings, tmp_path: Path) -> None:
    path = bomb(tmp_path, 4)  # 4 MiB, far under the 2 GiB default, but packed 1000:1
    error = refused(settings, path, "zeros.bin unpacks to more than 200 times its packed size")
    assert "READER_LIMITS_PACKAGE_RATIO" in error.message


def test_a_header_that_claims_a_large_packed_size_does_not_hide_a_bomb(settings: Settings, tmp_path: Path) -> None:
    """The bomb's headers claim it packs 8 MiB into all the bytes up to the end of the file (under 200:1);
    zipfile reads its real 8 KiB and stops there. Its span up to the next member gives it away."""
    padding = random.Random(3).randbytes(64 * 1024)
    path = build(tmp_path / "liar.argosmodel", {"p/model/zeros.bin": bytes(8 * MiB), "p/padding.bin": padding})
    claimed = path.stat().st_size - data_offset(path, "p/model/zeros.bin")
    assert 8 * MiB / claimed < 200
    patch(path, "p/model/zeros.bin", "compressed", claimed)
    refused(settings, path, "zeros.bin unpacks to more than 200 times its packed size")


def test_a_member_that_unpacks_to_more_than_its_header_says_is_stopped_while_streaming(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The headers declare 1 KiB; an unpacker that believed the data would write 8 MiB. The running count stops it."""
    monkeypatch.setenv("READER_LIMITS_PACKAGE_BYTES", str(4 * MiB))
    monkeypatch.setenv("READER_LIMITS_PACKAGE_RATIO", "100000")
    path = build(tmp_path / "liar.argosmodel", {"p/liar.bin": random.Random(2).randbytes(MiB)})
    patch(path, "p/liar.bin", "size", 1024)
    real_open = zipfile.ZipFile.open

    def lying_open(self: zipfile.ZipFile, name: object, *args: object, **kwargs: object) -> object:
        member = name.filename if isinstance(name, zipfile.ZipInfo) else name
        return io.BytesIO(bytes(8 * MiB)) if member == "p/liar.bin" else real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", lying_open)
    refused(settings, path, "unpacks to more than 4.0 MiB")
    monkeypatch.setenv("READER_LIMITS_PACKAGE_BYTES", str(64 * MiB))
    monkeypatch.setenv("READER_LIMITS_PACKAGE_RATIO", "2")  # packed 1 MiB, 8 MiB coming out
    refused(settings, path, "p/liar.bin unpacks to more than 2 times its packed size")


def test_a_header_that_understates_the_size_is_a_damaged_archive(settings: Settings, tmp_path: Path) -> None:
    path = bomb(tmp_path, 8)
    patch(path, "p/model/zeros.bin", "size", 1024)  # zipfile stops at 1 KiB: the CRC no longer matches
    refused(settings, path, "cannot unpack the archive (Bad CRC-32")


# ------------------------------------------------------------------ deep metadata.json
def test_deeply_nested_metadata_is_refused(settings: Settings, tmp_path: Path) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    path = build(tmp_path / "deep.argosmodel", metadata=deep)
    refused(settings, path, "metadata.json: JSON nested deeper than 64 levels (limit READER_LIMITS_JSON_DEPTH)")


def test_metadata_nesting_is_held_to_the_limit_exactly(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_LIMITS_JSON_DEPTH", "10")

    def nested(levels: int) -> bytes:  # the object itself is level 1
        return json.dumps({**META, "extra": json.loads("[" * (levels - 1) + "]" * (levels - 1))}).encode()

    refused(settings, build(tmp_path / "eleven.argosmodel", metadata=nested(11)), "nested deeper than 10 levels")
    ten = build(tmp_path / "ten.argosmodel", metadata=nested(10))
    assert argos_packages.install_file(settings, ten).id == "translate-ru_en-1.0"


def test_metadata_that_is_not_utf8_or_not_json_is_refused(settings: Settings, tmp_path: Path) -> None:
    latin = build(tmp_path / "latin.argosmodel", metadata=b'{"from_name": "\xe9"}')
    refused(settings, latin, "metadata.json: not UTF-8")
    junk = build(tmp_path / "junk.argosmodel", metadata=b"{from_code: ru")
    refused(settings, junk, "metadata.json: invalid JSON at line 1")


# ------------------------------------------------------------------ archives zipfile cannot read
def test_an_encrypted_member_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = patch(build(tmp_path / "locked.argosmodel"), "p/model/model.bin", "flags", 0x1)
    refused(settings, path, "p/model/model.bin is encrypted")


def test_an_unknown_compression_method_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = patch(build(tmp_path / "odd.argosmodel"), "p/model/model.bin", "method", 99)  # 99: AES in WinZip
    refused(settings, path, "p/model/model.bin uses compression method 99, which reader cannot unpack")


def test_a_corrupted_stored_member_fails_its_crc(settings: Settings, tmp_path: Path) -> None:
    path = build(tmp_path / "crc.argosmodel", method=zipfile.ZIP_STORED)
    blob = bytearray(path.read_bytes())
    blob[data_offset(path, "p/model/model.bin") + 100] ^= 0xFF
    path.write_bytes(bytes(blob))
    refused(settings, path, "cannot unpack the archive (Bad CRC-32 for file 'p/model/model.bin')")


def test_corrupted_deflate_data_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = build(tmp_path / "zlib.argosmodel")
    blob = bytearray(path.read_bytes())
    blob[data_offset(path, "p/model/model.bin")] = 0xFF  # final block of the reserved type 3: zlib.error
    path.write_bytes(bytes(blob))
    refused(settings, path, "cannot unpack the archive (Error -3 while decompressing data: invalid block type)")


@pytest.mark.parametrize("keep", [0.5, 0.95, -10])
def test_a_truncated_archive_is_refused(settings: Settings, tmp_path: Path, keep: float) -> None:
    whole = build(tmp_path / "whole.argosmodel").read_bytes()
    cut = tmp_path / "cut.argosmodel"
    cut.write_bytes(whole[: int(len(whole) * keep)] if keep > 0 else whole[: int(keep)])
    refused(settings, cut, "not a zip archive")


def test_a_member_cut_short_under_an_intact_directory_is_refused(settings: Settings, tmp_path: Path) -> None:
    path = build(tmp_path / "short.argosmodel")
    blob = path.read_bytes()
    start = data_offset(path, "p/model/model.bin")
    path.write_bytes(blob[: start + 100] + blob[start + 2000 :])  # half of its data gone, the directory kept
    refused(settings, path, "cannot unpack the archive")


def test_random_damage_is_always_one_bad_input_or_an_install(settings: Settings, tmp_path: Path) -> None:
    """Cut, flip and drop bytes at random: install_file installs or raises BadInput, never anything else."""
    whole = build(tmp_path / "whole.argosmodel", method=zipfile.ZIP_DEFLATED).read_bytes()
    rng = random.Random(20250)
    damaged = tmp_path / "damaged.argosmodel"
    outcomes: set[str] = set()
    for n in range(200):
        blob = bytearray(whole)
        if n % 4 == 0:
            cut = rng.randrange(len(blob))
            blob = blob[:cut] + blob[cut + rng.randint(1, 300) :]
        else:
            for _ in range(rng.randint(1, 3)):
                blob[rng.randrange(len(blob))] = rng.randrange(256)
        damaged.write_bytes(bytes(blob))
        try:
            argos_packages.install_file(settings, damaged)
            outcomes.add("installed")
        except BadInput as error:
            assert "\n" not in error.message
            outcomes.add("refused")
        for leftover in settings.packages_dir.glob(".installing-*"):
            pytest.fail(f"staging folder left behind: {leftover}")
    assert outcomes == {"installed", "refused"}


# ------------------------------------------------------------------ what must keep working
def test_a_plain_package_still_installs_byte_for_byte(settings: Settings, tmp_path: Path) -> None:
    spaces = {"p/README.md": b" " * 200_000}  # packs 500:1, but small members are not held to the ratio
    path = build(tmp_path / "fine.argosmodel", spaces)
    pkg = argos_packages.install_file(settings, path)
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            assert (pkg.path / info.filename.removeprefix("p/")).read_bytes() == zf.read(info)
    assert [p.name for p in settings.packages_dir.iterdir()] == ["translate-ru_en-1.0"]


def test_zip_slip_is_still_refused(settings: Settings, tmp_path: Path) -> None:
    for name in ("../escape.bin", "/abs.bin", "p/../../escape.bin", "C:/windows.bin"):
        path = build(tmp_path / "slip.argosmodel", {name: b"x"})
        refused(settings, path, "unsafe path in the archive")
    assert not (tmp_path / "escape.bin").exists()


def test_names_are_shown_printable(settings: Settings, tmp_path: Path) -> None:
    path = build(tmp_path / "evil\x1b[2J\u202e.argosmodel", {"p/\x1b]0;owned\x07.bin": bytes(4 * MiB)})
    error = refused(settings, path, "evil\\x1b[2J\\u202e.argosmodel: p/\\x1b]0;owned\\x07.bin unpacks to more than 200 times")
    assert "\x1b" not in error.message and "\u202e" not in error.message and "\x07" not in error.message


# ------------------------------------------------------------------ the command line
def truncated(tmp: Path) -> Path:
    cut = tmp / "cut.argosmodel"
    cut.write_bytes(build(tmp / "whole.argosmodel").read_bytes()[:-30])
    return cut


CASES: dict[str, Callable[[Path], Path]] = {
    "bomb": lambda tmp: bomb(tmp, 8),
    "deep": lambda tmp: build(tmp / "deep.argosmodel", metadata=b"[" * 100_000 + b"]" * 100_000),
    "encrypted": lambda tmp: patch(build(tmp / "locked.argosmodel"), "p/model/model.bin", "flags", 0x1),
    "method": lambda tmp: patch(build(tmp / "odd.argosmodel"), "p/model/model.bin", "method", 99),
    "crc": lambda tmp: patch(build(tmp / "crc.argosmodel"), "p/model/model.bin", "crc", 12345),
    "truncated": truncated,
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_cli_refuses_in_one_line_and_exits_1(case: str, settings: Settings, tmp_path: Path) -> None:
    path = CASES[case](tmp_path)
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["models", "install", "--file", str(path)], out=out, err=err)
    assert code == 1
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1, err.getvalue()
    assert lines[0].startswith(f"reader: {path}: ")
    assert "Traceback" not in err.getvalue()
    nothing_installed(settings)


def test_the_installed_command_refuses_a_bomb_under_lowered_limits(tmp_path: Path) -> None:
    path = bomb(tmp_path, 8)
    packages = tmp_path / "packages"
    env = {**os.environ, "READER_PACKAGES_DIR": str(packages), "READER_DATA_DIR": str(tmp_path / "data")}
    env.update(READER_LIMITS_PACKAGE_BYTES=str(4 * MiB), READER_LIMITS_PACKAGE_RATIO="100000")
    argv = [str(READER), "models", "install", "--file", str(path)]
    run = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1
    assert run.stderr.splitlines() == [f"reader: {path}: unpacks to more than 4.0 MiB (limit READER_LIMITS_PACKAGE_BYTES)"]
    assert not packages.exists() or list(packages.iterdir()) == []
