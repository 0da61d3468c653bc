"""Issue 3 end to end through the command line: a package installed from a file, then `reader align`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from argos_fixture import tiny_package
from e5_fixture import e5_cache_dir, e5_env  # noqa: F401  (fixtures)
from reader import cli
from reader.settings import Settings
from reader.translate import ArgosTranslator


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.slow
def test_align_fills_russian_translations_then_translates_nothing(
    e5_env: Settings, corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READER_PACKAGES_DIR", str(tmp_path / "packages"))
    # A version no other test uses: the translation cache is keyed by package and version,
    # and this test shares the cache dir that holds the converted e5 model.
    code, out, err = run("models", "install", "--file", str(tiny_package(version=f"7.{abs(hash(tmp_path)) % 10**6}")))
    assert code == 0, err
    assert "translate-ru_en" in out

    translated: list[int] = []
    original = ArgosTranslator.translate

    def counting(self: ArgosTranslator, lang: str, texts: list[str]) -> list[str]:
        translated.append(len(texts))
        return original(self, lang, texts)

    monkeypatch.setattr(ArgosTranslator, "translate", counting)
    code, out, err = run("align", str(corpus_dir), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    ru = next(d for d in report["documents"] if d["lang"] == "ru")
    assert all(s["translation"] for s in ru["sentences"])
    for doc in report["documents"]:
        if doc["lang"] in ("hi", "ar", "en"):
            assert all(s["translation"] is None for s in doc["sentences"])
    unique = {s["text"] for s in ru["sentences"]}
    assert sum(translated) == len(unique)  # every sentence once…
    assert len(translated) < len(unique)  # …in batches, not one call per sentence
    assert "reader models install ar hi" in err and "Traceback" not in err

    translated.clear()
    code, out, err = run("align", str(corpus_dir), "--format", "json")
    assert code == 0 and translated == []
    assert json.loads(out)["documents"] == report["documents"]


@pytest.mark.slow
def test_require_translation_turns_a_missing_package_into_an_error(e5_env: Settings, corpus_dir: Path) -> None:
    code, out, err = run("align", str(corpus_dir), "--require-translation")
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[-2].startswith("reader: no translation package for ar, hi, ru")
    assert lines[-1].startswith("hint: reader models install ar hi ru")
    assert "Traceback" not in err
