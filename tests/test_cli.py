"""The `reader` command: exit codes, the result alone on stdout, one-line errors on stderr, no traceback.

Runs against the shared converted e5 model (READER_CACHE_DIR pointed at it); the
session's sample report has already filled its embedding cache, so these runs are warm.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from e5_fixture import CORPUS, e5_cache_dir, e5_env, sample_report  # noqa: F401  (fixtures)
from reader import cli
from reader.model import Report
from reader.settings import Settings

GUIDE_DOC_KEYS = {"id", "path", "lang", "title", "outlet", "published", "sentences"}
GUIDE_SENTENCE_KEYS = {"id", "index", "text", "start", "end", "translation"}
GUIDE_CLAIM_KEYS = {"id", "score", "members", "discrepancies"}


def _command() -> list[str]:
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def _run(*args: str, timeout: float = 300, offline: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if offline:  # every download goes to a closed local port, whatever network the machine has
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
            env[key] = "http://127.0.0.1:9"
        env.pop("NO_PROXY", None)
        env.pop("no_proxy", None)
    return subprocess.run([*_command(), *args], capture_output=True, text=True, timeout=timeout, env=env)


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 16)
    return {"missing": tmp_path / "no-such-file.txt", "empty": empty, "binary": binary}


def _assert_error_lines(stderr: str, paths: list[Path]) -> None:
    assert "Traceback" not in stderr
    for path in paths:
        lines = [line for line in stderr.splitlines() if line.startswith(f"reader: {path}: ")]
        assert len(lines) == 1, (path, stderr)
        assert len(lines[0]) > len(f"reader: {path}: ")  # names the problem


# ------------------------------------------------------------------ align
@pytest.mark.slow
def test_align_prints_the_json_report_on_stdout_and_progress_on_stderr(e5_env: Settings, sample_report: Report) -> None:  # noqa: F811
    done = _run("align", str(CORPUS))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)  # stdout is the JSON alone
    assert {"documents", "claims", "unmatched"} <= set(data)
    assert len(data["documents"]) == 6
    for doc in data["documents"]:
        assert GUIDE_DOC_KEYS <= set(doc)
        assert all(GUIDE_SENTENCE_KEYS <= set(s) for s in doc["sentences"])
    assert data["claims"] and all(GUIDE_CLAIM_KEYS <= set(c) for c in data["claims"])
    assert len(data["claims"]) == len(sample_report.claims)
    assert "6 articles" in done.stderr and "claims" in done.stderr
    assert "no translation package for ar, hi, ru" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_align_markdown_prints_the_claims_one_line_per_outlet(e5_env: Settings, sample_report: Report) -> None:  # noqa: F811
    code, out, err = _main("align", str(CORPUS), "--format", "markdown")
    assert code == 0, err
    assert out.startswith("# Aligned coverage")
    assert "**Translation:** no English translation for ar, hi, ru" in out
    assert re.search(r"^### \S+ · \d+ of 6 documents · .* · score 0\.\d\d", out, re.MULTILINE)  # a claim
    assert re.search(r"^- \*\*\S+\*\* \(\w\w", out, re.MULTILINE)  # one outlet's line under it
    assert f"## Claims ({len(sample_report.claims)})" in out
    assert "articles" in err and "# Aligned coverage" not in err


@pytest.mark.slow
def test_bad_files_next_to_good_ones_are_one_line_each_and_exit_zero(
    e5_env: Settings, sample_report: Report, bad_files: dict[str, Path]  # noqa: F811
) -> None:
    paths = list(bad_files.values())
    code, out, err = _main("align", *map(str, paths), str(CORPUS / "ru-bishkek.txt"))
    assert code == 0, err
    _assert_error_lines(err, paths)
    data = json.loads(out)
    assert [d["lang"] for d in data["documents"]] == ["ru"]
    assert "reader:" not in out


@pytest.mark.parametrize("kind", ["missing", "empty", "binary"])
def test_a_single_bad_path_exits_one_with_a_one_line_message(kind: str, bad_files: dict[str, Path]) -> None:
    code, out, err = _main("align", str(bad_files[kind]))
    assert code == 1
    assert out == ""
    _assert_error_lines(err, [bad_files[kind]])
    assert "reader: no readable articles" in err


def test_align_with_only_bad_files_exits_one_without_a_traceback(bad_files: dict[str, Path]) -> None:
    paths = list(bad_files.values())
    done = _run("align", *map(str, paths), timeout=120)
    assert done.returncode == 1
    assert done.stdout == ""
    _assert_error_lines(done.stderr, paths)
    assert "reader: no readable articles in" in done.stderr
    assert "hint: " in done.stderr


def test_a_model_that_cannot_be_loaded_is_a_user_error(tmp_path: Path) -> None:
    code, out, err = _main("align", str(CORPUS / "ru-bishkek.txt"), "--model", str(tmp_path / "no-such-model"))
    assert code == 1 and out == ""
    assert "Traceback" not in err
    assert re.search(r"^reader: embedding model .*no-such-model.* cannot be loaded", err, re.MULTILINE)
    assert re.search(r"^hint: .*--model", err, re.MULTILINE)


def test_no_command_prints_help_and_exits_one() -> None:
    code, out, err = _main()
    assert code == 1 and out == "" and "usage: reader" in err


# ------------------------------------------------------------------ models
def test_models_install_offline_exits_one_with_one_line() -> None:
    done = _run("models", "install", "ru", timeout=120, offline=True)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("reader: ") and "ru" in lines[0]
    assert "Traceback" not in done.stderr


# ------------------------------------------------------------------ eval
@pytest.mark.slow
def test_eval_prints_precision_and_recall(e5_env: Settings, sample_report: Report) -> None:  # noqa: F811
    code, out, err = _main("eval", "--no-discrepancies")
    assert code == 0, err
    found = re.search(r"precision (\d\.\d+)\s+recall (\d\.\d+)\s+F1 (\d\.\d+)", out)
    assert found, out
    precision, recall, f1 = map(float, found.groups())
    assert f1 >= 0.90 and precision >= 0.85 and recall >= 0.8
    assert "Traceback" not in err


def test_eval_without_a_gold_file_is_a_user_error(tmp_path: Path) -> None:
    code, out, err = _main("eval", "--corpus", str(tmp_path), "--no-discrepancies")
    assert code == 1 and out == ""
    assert err.startswith(f"reader: {tmp_path / 'gold.json'}: no gold file")


def test_calibrate_without_span_gold_is_a_user_error(tmp_path: Path) -> None:
    code, out, err = _main("calibrate", "--corpus", str(tmp_path))
    assert code == 1 and out == ""
    assert err.startswith(f"reader: {tmp_path / 'gold.json'}: no gold file")


@pytest.mark.slow
def test_eval_on_the_benchmarks_test_half_prints_language_pairs_and_events(e5_env: Settings) -> None:
    code, out, err = _main("eval", "--corpus", str(CORPUS.parent / "dev" / "test"))
    assert code == 0, err
    assert re.search(r"precision \d\.\d+\s+recall \d\.\d+\s+F1 \d\.\d+", out), out
    assert re.search(r"^  hi-ru\s+\d+\s+\d\.\d{3}", out, re.MULTILINE), out
    assert re.search(r"^sentences: \d+/452 gold sentences split exactly", out, re.MULTILINE), out
    assert "claims spanning two events:" in out
    # the benchmark's planted discrepancies, on the gold claims and end to end
    assert re.search(r"^planted flags \(gold claims\): precision \d\.\d{3} \(\d+/\d+ flags\), recall \d\.\d{3} "
                     r"\(\d+/12 planted\)", out, re.MULTILINE), out
    assert re.search(r"^planted flags \(end to end\): ", out, re.MULTILINE), out
