"""Argos package management: install from files (validated), from an index, list, remove, and `reader models`."""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from argos_fixture import rewrite_package, tiny_package
from reader import argos_packages
from reader.errors import BadInput, ModelMissing
from reader.models_command import add_parser, run
from reader.settings import Settings


@pytest.fixture(scope="session")
def package_file() -> Path:
    return tiny_package()


@pytest.fixture
def settings() -> Settings:
    return Settings.from_env()


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="reader")
    add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(list(argv))


def call(settings: Settings, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(parse(*argv), settings, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_install_file_puts_the_package_in_readers_dir(settings: Settings, package_file: Path) -> None:
    pkg = argos_packages.install_file(settings, package_file)
    assert pkg.id == "translate-ru_en-1.9"
    assert (pkg.from_code, pkg.to_code, pkg.version, pkg.tokenizer) == ("ru", "en", "1.9", "sentencepiece")
    assert pkg.path == settings.packages_dir / "translate-ru_en-1.9"
    assert (pkg.path / "model" / "model.bin").is_file()
    assert [p.id for p in argos_packages.installed_packages(settings)] == ["translate-ru_en-1.9"]
    assert argos_packages.find_package(settings, "ru") == pkg
    assert argos_packages.find_package(settings, "hi") is None
    # nothing half-unpacked is left behind
    assert sorted(p.name for p in settings.packages_dir.iterdir()) == ["translate-ru_en-1.9"]


def test_a_new_version_replaces_the_old_one(settings: Settings, package_file: Path, tmp_path: Path) -> None:
    argos_packages.install_file(settings, package_file)
    with zipfile.ZipFile(package_file) as zf:
        meta = json.loads(next(zf.read(n) for n in zf.namelist() if n.endswith("metadata.json")))
    newer = rewrite_package(package_file, tmp_path / "newer.argosmodel", metadata={**meta, "package_version": "1.10"})
    argos_packages.install_file(settings, newer)
    assert [p.id for p in argos_packages.installed_packages(settings)] == ["translate-ru_en-1.10"]


def test_corrupt_zip_is_a_clear_error(settings: Settings, package_file: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(package_file.read_bytes()[: 5000])  # a download cut short
    with pytest.raises(BadInput, match="not a zip archive"):
        argos_packages.install_file(settings, broken)
    text = tmp_path / "text.argosmodel"
    text.write_text("hello")
    with pytest.raises(BadInput, match="not a zip archive"):
        argos_packages.install_file(settings, text)
    assert argos_packages.installed_packages(settings) == []


def test_missing_file_is_a_clear_error(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        argos_packages.install_file(settings, tmp_path / "nope.argosmodel")


def test_package_without_metadata_is_rejected(settings: Settings, package_file: Path, tmp_path: Path) -> None:
    bare = rewrite_package(package_file, tmp_path / "bare.argosmodel", drop="metadata.json")
    with pytest.raises(BadInput, match="no metadata.json"):
        argos_packages.install_file(settings, bare)
    assert not settings.packages_dir.exists() or [p for p in settings.packages_dir.iterdir()] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"from_code": "en", "to_code": "de"}, "unsupported pair en→de"),
        ({"from_code": "ru", "to_code": "de"}, "unsupported pair ru→de"),
        ({"from_code": "en", "to_code": "en"}, "unsupported pair en→en"),
        ({"from_code": None}, "no from_code/to_code"),
        ({"type": "sbd"}, "unsupported package type"),
    ],
)
def test_unsupported_packages_are_rejected(
    settings: Settings, package_file: Path, tmp_path: Path, change: dict[str, object], message: str
) -> None:
    meta = {"package_version": "1.9", "from_code": "ru", "to_code": "en", **change}
    meta = {k: v for k, v in meta.items() if v is not None}
    odd = rewrite_package(package_file, tmp_path / "odd.argosmodel", metadata=meta)
    with pytest.raises(BadInput, match=message):
        argos_packages.install_file(settings, odd)
    assert argos_packages.installed_packages(settings) == []


def test_package_without_model_is_rejected(settings: Settings, package_file: Path, tmp_path: Path) -> None:
    hollow = rewrite_package(package_file, tmp_path / "hollow.argosmodel", drop="model.bin")
    with pytest.raises(BadInput, match="no CTranslate2 model"):
        argos_packages.install_file(settings, hollow)
    notok = rewrite_package(package_file, tmp_path / "notok.argosmodel", drop="sentencepiece.model")
    with pytest.raises(BadInput, match="no tokenizer"):
        argos_packages.install_file(settings, notok)


def test_unsafe_archive_paths_are_rejected(settings: Settings, tmp_path: Path) -> None:
    evil = tmp_path / "evil.argosmodel"
    with zipfile.ZipFile(evil, "w") as zf:
        zf.writestr("../escape/metadata.json", "{}")
    with pytest.raises(BadInput, match="unsafe path"):
        argos_packages.install_file(settings, evil)
    assert not (tmp_path / "escape").exists()


def test_remove_by_language_and_by_id(settings: Settings, package_file: Path) -> None:
    argos_packages.install_file(settings, package_file)
    assert [p.id for p in argos_packages.remove(settings, "ru")] == ["translate-ru_en-1.9"]
    argos_packages.install_file(settings, package_file)
    assert [p.id for p in argos_packages.remove(settings, "translate-ru_en-1.9")] == ["translate-ru_en-1.9"]
    with pytest.raises(ModelMissing):
        argos_packages.remove(settings, "ru")


def test_install_from_an_index(settings: Settings, package_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    index = tmp_path / "index.json"
    entry = {"type": "translate", "from_code": "ru", "to_code": "en", "package_version": "1.9", "links": [package_file.as_uri()]}
    old = {**entry, "package_version": "1.0", "links": ["file:///nonexistent.argosmodel"]}
    index.write_text(json.dumps([old, entry, {**entry, "from_code": "hi"}]))
    monkeypatch.setenv(argos_packages.INDEX_ENV, str(index))
    pkg = argos_packages.install_from_index(settings, "ru")
    assert pkg.id == "translate-ru_en-1.9"
    with pytest.raises(ModelMissing, match="no ar→en package"):
        argos_packages.install_from_index(settings, "ar")


# ------------------------------------------------------------------ reader models
def test_models_install_offline_fails_in_one_line(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(argos_packages.INDEX_ENV, "http://127.0.0.1:9/index.json")  # nothing listens there
    code, out, err = call(settings, "models", "install", "ru")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("reader: ")
    assert "reader models install --file PATH.argosmodel" in lines[0]
    assert "Traceback" not in err


def test_models_install_file_list_and_remove(settings: Settings, package_file: Path) -> None:
    code, out, err = call(settings, "models", "install", "--file", str(package_file))
    assert (code, err) == (0, "")
    assert "installed translate-ru_en-1.9" in out
    code, out, err = call(settings, "models", "list")
    assert code == 0
    assert "translate-ru_en-1.9  ru→en  version 1.9" in out
    assert "embedding model:" in out
    code, out, err = call(settings, "models", "remove", "ru")
    assert (code, out.strip()) == (0, "removed translate-ru_en-1.9")
    code, out, err = call(settings, "models", "list")
    assert "none installed" in out


def test_models_errors_are_one_message_and_exit_1(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.argosmodel"
    bad.write_text("not a zip")
    code, out, err = call(settings, "models", "install", "--file", str(bad))
    assert code == 1
    assert err.startswith(f"reader: {bad}: not a zip archive")
    assert "Traceback" not in err
    code, _, err = call(settings, "models", "remove", "xx")
    assert code == 1 and "no installed package matches 'xx'" in err
    code, _, err = call(settings, "models", "install")
    assert code == 1


# ------------------------------------------------------------------ argostranslate contained
def test_argostranslate_writes_only_inside_the_packages_dir(tmp_path: Path) -> None:
    """In a fresh process: importing through reader creates argostranslate's dirs under reader's dirs only."""
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg-config"),
        "XDG_CACHE_HOME": str(tmp_path / "xdg-cache"),
        "READER_PACKAGES_DIR": str(tmp_path / "packages"),
        "READER_CACHE_DIR": str(tmp_path / "cache"),
    }
    code = (
        "import os, sys\n"
        "import reader.translate, reader.argos_packages, reader.models_command\n"
        "assert 'argostranslate' not in sys.modules and 'ctranslate2' not in sys.modules\n"
        "assert not any(m.startswith(('textual', 'rich')) for m in sys.modules)\n"
        "before = {k: v for k, v in os.environ.items() if k != 'KMP_DUPLICATE_LIB_OK'}\n"
        "from reader.settings import Settings\n"
        "from reader.argos_packages import argos\n"
        "pkg = argos(Settings.from_env())\n"
        "import argostranslate.settings as s\n"
        "print(s.package_data_dir, s.data_dir, s.config_dir, s.cache_dir, sep='\\n')\n"
        "after = {k: v for k, v in os.environ.items() if k != 'KMP_DUPLICATE_LIB_OK'}  # argostranslate sets it\n"
        "assert after == before, set(after.items()) ^ set(before.items())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    package_dir, *own_dirs = (Path(line) for line in done.stdout.split())
    assert package_dir == tmp_path / "packages"
    for path in own_dirs:
        assert path.is_relative_to(tmp_path / "cache" / "argostranslate"), path
    assert not (tmp_path / "home").exists()
    for name in ("xdg-data", "xdg-config", "xdg-cache"):
        assert not (tmp_path / name).exists()
