"""The command line's conventions under hostile use: one line and exit 1 for every user error
(argparse's included), no full-screen app by accident, a closed pipe or a full disk on stdout,
bad READER_* values, Ctrl-C before anything is imported."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from reader import cli
from reader.errors import BadSetting
from reader.settings import Settings

READER = Path(sys.executable).parent / "reader"


def run(argv: list[str], out: io.StringIO | None = None) -> tuple[int, str, str]:
    out = out or io.StringIO()
    err = io.StringIO()
    code = cli.main(argv, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_an_argument_error_is_exit_1_and_one_line_with_a_hint() -> None:
    code, out, err = run(["align"])
    assert code == 1 and out == ""
    assert err.splitlines() == ["reader: the following arguments are required: PATH",
                                "hint: reader align --help"]


def test_an_unknown_option_is_exit_1() -> None:
    code, _, err = run(["align", "x.txt", "--formt", "json"])
    assert code == 1 and err.startswith("reader: unrecognized arguments: --formt json")


def test_a_mistyped_command_is_named_not_opened_as_the_app() -> None:
    code, out, err = run(["algn", "x"])
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "reader: unknown command 'algn'; did you mean align?"


def test_a_hostile_command_word_is_shown_escaped() -> None:
    code, _, err = run(["\x1b]0;owned\x07"])
    assert code == 1 and "\x1b" not in err and "\\x1b" in err and len(err.splitlines()) == 2


def test_paths_with_stdout_redirected_do_not_open_the_app(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hello there. This is a test.", encoding="utf-8")
    code, out, err = run([str(article)])
    assert code == 1 and out == ""
    assert err.splitlines()[0] == "reader: the terminal app needs a terminal, and stdout is not one"


def test_version_is_printed(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.startswith("reader ")


@pytest.mark.parametrize("name, value", [("READER_THREADS", "abc"), ("READER_EMBED_BATCH_SIZE", "lots"),
                                         ("READER_ALIGN_LINK", "high"), ("READER_LIMITS_JSON_DEPTH", "\x1b[2J")])
def test_a_bad_variable_is_one_line_naming_it(monkeypatch, tmp_path: Path, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path))
    article = tmp_path / "a.txt"
    article.write_text("Hello there. This is a test.", encoding="utf-8")
    code, out, err = run(["align", str(article)])
    assert code == 1 and out == ""
    assert err.startswith(f"reader: {name}=") and "\x1b" not in err
    assert len(err.splitlines()) == 2  # the message and its hint


def test_bad_setting_is_still_a_value_error() -> None:
    with pytest.raises(ValueError):
        Settings.from_env({"READER_THREADS": "abc"})
    assert issubclass(BadSetting, ValueError)


class _Closed(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


class _Full(io.StringIO):
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        raise OSError(28, "No space left on device")


def test_a_closed_pipe_ends_the_run_quietly(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path))
    err = io.StringIO()
    assert cli.main(["models", "list"], out=_Closed(), err=err) == 0
    assert err.getvalue() == ""


def test_a_full_disk_on_stdout_is_one_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path))
    err = io.StringIO()
    assert cli.main(["models", "list"], out=_Full(), err=err) == 1
    assert err.getvalue().splitlines()[0] == "reader: cannot write the output: No space left on device"


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "READER_DATA_DIR": str(tmp_path / "data"), "READER_CACHE_DIR": str(tmp_path / "cache")}


def test_models_list_into_a_closed_pipe_has_no_traceback(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # nobody will read: the first write fails with EPIPE
    try:
        done = subprocess.run([str(READER), "models", "list"], stdout=write, stderr=subprocess.PIPE, text=True,
                              env=_env(tmp_path), timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_models_list_into_dev_full_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run([str(READER), "models", "list"], stdout=full, stderr=subprocess.PIPE, text=True,
                              env=_env(tmp_path), timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["reader: cannot write the output: No space left on device",
                                        "hint: free some space, or write elsewhere"]


def test_ctrl_c_while_importing_is_one_line_and_130(monkeypatch, capsys) -> None:
    from reader import launch

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "main", interrupted)
    with pytest.raises(SystemExit) as stop:
        launch.entry()
    assert stop.value.code == 130
    assert capsys.readouterr().err == "reader: interrupted\n"


def _before_any_of_reader_ran(err: str) -> bool:
    """Whether a signal landed in the interpreter's own start-up, which no Python program can guard:
    while ``site`` is imported, or while the installer's wrapper script is still loading
    ``reader.launch`` (a traceback with no frame but the wrapper's own lines). Once the first line of
    reader runs, the guard in ``reader.launch`` holds."""
    if err.startswith("Fatal Python error: init_import_site"):
        return True
    frames = re.findall(r'File "([^"]+)", line', err)
    return err.startswith("Traceback") and err.rstrip().endswith("KeyboardInterrupt") and bool(frames) \
        and all(Path(frame) == READER for frame in frames)


def test_ctrl_c_at_any_moment_of_start_up_never_traces_back(tmp_path: Path) -> None:
    interrupted = 0
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2, 0.4):
        child = subprocess.Popen([str(READER), "models", "list"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                 text=True, env=_env(tmp_path))
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=120)
        if _before_any_of_reader_ran(err):
            continue
        assert "Traceback" not in err, (delay, err)
        if child.returncode == 130:
            interrupted += 1
            assert err.strip().splitlines()[-1] == "reader: interrupted", err
    assert interrupted >= 1  # at least one signal landed while reader was starting or running


def test_eval_outside_a_source_tree_names_the_missing_sample(monkeypatch, tmp_path: Path) -> None:
    missing = tmp_path / "site-packages" / "corpora" / "bishkek-2025"
    monkeypatch.setattr(cli, "SAMPLE_CORPUS", missing)
    code, _, err = run(["eval"])
    assert code == 1
    assert err.splitlines()[0].startswith("reader: the sample corpus ships with reader's source tree")


def _long_article(path: Path, sentences: int) -> None:
    path.write_text("title: Long\n\n" + " ".join(f"Sentence number {i} of a long article." for i in range(sentences)),
                    encoding="utf-8")


def test_an_article_over_the_sentence_limit_is_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    from reader.pipeline import read_documents
    from reader.settings import Limits

    _long_article(tmp_path / "long.txt", 50)
    (tmp_path / "short.txt").write_text("title: Short\n\nA short article. It has two sentences.", encoding="utf-8")
    errors = []
    docs = read_documents([tmp_path], errors.append, bounds=Limits(document_sentences=20))
    assert [d.article.path.endswith("short.txt") for d in docs] == [True]
    assert len(errors) == 1 and errors[0].path.endswith("long.txt")
    assert "sentences, over the limit of 20 for one article" in errors[0].message
    # raised, it is read
    assert len(read_documents([tmp_path], errors.append, bounds=Limits(document_sentences=60))) == 2


def test_the_run_limit_leaves_out_the_articles_past_it(tmp_path: Path) -> None:
    from reader.pipeline import read_documents
    from reader.settings import Limits

    for n in range(3):
        _long_article(tmp_path / f"a{n}.txt", 10)
    errors = []
    docs = read_documents([tmp_path], errors.append, bounds=Limits(run_sentences=25))
    assert len(docs) == 2 and len(errors) == 1 and "past 25 sentences" in errors[0].message


def test_the_sentence_limit_flag_and_variable_reach_the_settings(monkeypatch) -> None:
    parser = cli.build_parser()
    monkeypatch.setenv("READER_LIMITS_RUN_SENTENCES", "7")
    settings = cli._settings(parser.parse_args(["align", "x.txt", "--max-sentences", "3"]))
    assert (settings.limits.document_sentences, settings.limits.run_sentences) == (3, 7)
    code, _, err = run(["align", "x.txt", "--max-sentences", "0"])
    assert code == 1 and "must be at least 1" in err


def test_a_hostile_file_name_reaches_stderr_as_one_escaped_line(tmp_path: Path) -> None:
    name = "bad\x1b]0;owned\x07\u202eevil\nname.txt"
    (tmp_path / name).write_bytes(b"\xff\xfe not text \x00\x00")
    code, out, err = run(["align", str(tmp_path / name)])
    assert code == 1  # no readable article at all
    first = next(line for line in err.splitlines() if line.startswith("reader: "))
    assert "\\x1b]0;owned\\x07\\u202eevil\\nname.txt" in first
    assert "\x1b" not in err and "\u202e" not in err
