"""reader batch --engine ray: the same bytes as the local engine, reruns, and a worker killed mid-run.

One local Ray (2 CPUs) serves the module; each test builds its own runner (2 worker actors). The
workers build their components with ``fake_parts`` (the fake embedder and translator, found on
the PYTHONPATH the fixture gives them), except in the test of the real e5 model.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from batch_articles import VISIT_EN2, batch_outputs, four_article_inbox, make_inbox
from e5_fixture import NoTranslator, e5_cache_dir  # noqa: F401  (fixture)
from fakes import HashEmbedder, TokenHashEmbedder

from reader.batch import BatchJob
from reader.batch.ray_runner import RayRunner
from reader.pipeline import Components
from reader.progress import Progress
from reader.settings import Settings
from reader.store import Store

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module", autouse=True)
def local_ray():
    """A local Ray of 2 CPUs for the module, its workers able to import the tests' fakes."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(TESTS), "RAY_USAGE_STATS_ENABLED": "0"}})
    yield
    ray.shutdown()


def fake_parts(settings: Settings) -> Components:
    """Components with the fake model."""
    return Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator(), store=Store(settings.store_path))


def fake_token_parts(settings: Settings) -> Components:
    """Components with a fake model that gives token vectors too, so their way to the workers is exercised."""
    return Components(embedder=TokenHashEmbedder("fake/tokens"), translator=NoTranslator(), store=Store(settings.store_path))


def real_model_parts(settings: Settings) -> Components:
    """Components with the real embedding model (built from the settings) and no translation."""
    return Components(translator=NoTranslator())


def _settings(root: Path, name: str) -> Settings:
    return Settings(cache_dir=root / f"cache-{name}", data_dir=root / "data")


def _local(inbox: Path, out: Path, settings: Settings, make_parts=fake_parts):
    return BatchJob(inbox, out, settings, components=make_parts(settings)).run()


def _on_ray(inbox: Path, out: Path, settings: Settings, make_parts=fake_parts):
    parts = make_parts(settings)
    runner = RayRunner(settings, parts, workers=2, make_parts=make_parts)
    try:
        return BatchJob(inbox, out, settings, components=parts, runner=runner).run()
    finally:
        runner.close()


def test_ray_writes_the_local_engines_bytes_and_a_rerun_with_a_new_file_realigns_one_event(tmp_path: Path) -> None:
    inbox = four_article_inbox(tmp_path)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    _local(inbox, local, _settings(tmp_path, "local"), fake_token_parts)
    first = _on_ray(inbox, on_ray, _settings(tmp_path, "ray"), fake_token_parts)
    assert first.events == 3 and first.events_aligned == 3
    assert batch_outputs(on_ray) == batch_outputs(local)

    (inbox / "visit-en2.txt").write_text(VISIT_EN2, "utf-8")
    again = _on_ray(inbox, on_ray, _settings(tmp_path, "ray"), fake_token_parts)
    assert again.files_new == 1 and again.files_unchanged == 4
    assert again.events_aligned == 1 and again.events_unchanged == 2
    _local(inbox, local, _settings(tmp_path, "local"), fake_token_parts)
    assert batch_outputs(on_ray) == batch_outputs(local)


def test_ray_writes_the_local_engines_bytes_on_the_sample_corpus(tmp_path: Path, corpus_dir: Path) -> None:
    import shutil

    inbox = tmp_path / "inbox"
    shutil.copytree(corpus_dir, inbox)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    assert _local(inbox, local, _settings(tmp_path, "local"), fake_token_parts).articles == 6
    _on_ray(inbox, on_ray, _settings(tmp_path, "ray"), fake_token_parts)
    assert batch_outputs(on_ray) == batch_outputs(local)


def test_ray_writes_the_local_engines_bytes_on_a_hundred_articles(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    make_inbox(inbox, 100)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    summary = _local(inbox, local, _settings(tmp_path, "local"))
    assert summary.articles == 100 and summary.events > 10 and summary.claims > 0  # copies of a story align
    assert _on_ray(inbox, on_ray, _settings(tmp_path, "ray")).events == summary.events
    assert batch_outputs(on_ray) == batch_outputs(local)


def test_a_worker_killed_mid_run_is_restarted_and_the_output_is_the_same(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    make_inbox(inbox, 36)
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    _local(inbox, local, _settings(tmp_path, "local"))

    settings = _settings(tmp_path, "ray")
    parts = fake_parts(settings)
    runner = RayRunner(settings, parts, workers=2, make_parts=fake_parts)
    before = [pid for pid, _ in runner.workers_at()]
    killed: list[int] = []

    def kill_a_worker_after_the_first_event(p: Progress) -> None:
        if p.stage == "events" and p.done == 1 and not killed:
            killed.append(before[0])
            os.kill(before[0], signal.SIGKILL)  # as the OOM killer would: its tasks in flight are lost

    try:
        summary = BatchJob(inbox, on_ray, settings, components=parts, runner=runner,
                           progress=kill_a_worker_after_the_first_event).run()
        after = [pid for pid, _ in runner.workers_at()]
    finally:
        runner.close()
    assert killed and summary.events_aligned == summary.events and not summary.errors
    assert after[0] != before[0] and after[1] == before[1]  # Ray restarted the one killed
    assert batch_outputs(on_ray) == batch_outputs(local)


@pytest.mark.slow
def test_ray_writes_the_local_engines_bytes_with_the_real_model(
    tmp_path: Path, e5_cache_dir: Path, corpus_dir: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("ru-bishkek.txt", "ar-bishkek.txt", "hi-bishkek.txt"):  # the 2025 reports (the transcripts are long)
        (inbox / name).write_bytes((corpus_dir / name).read_bytes())
    outputs = {}
    for engine in ("local", "ray"):
        cache = tmp_path / f"cache-{engine}"  # an embedding cache of its own: both engines embed every sentence
        cache.mkdir()
        (cache / "models").symlink_to(e5_cache_dir / "models")
        settings = Settings(cache_dir=cache, data_dir=tmp_path / "data")
        parts = real_model_parts(settings)
        runner = RayRunner(settings, parts, workers=2, make_parts=real_model_parts) if engine == "ray" else None
        try:
            summary = BatchJob(inbox, tmp_path / engine, settings, components=parts, runner=runner).run()
        finally:
            if runner is not None:
                runner.close()
        assert summary.articles == 3 and summary.events == 1 and summary.claims > 0
        outputs[engine] = batch_outputs(tmp_path / engine)
    assert outputs["ray"] == outputs["local"]


def test_workers_share_the_cpus_evenly_and_each_fits_on_one_node() -> None:
    from reader.batch.ray_runner import _worker_shape

    assert _worker_shape(None, [2.0]) == (2, 1.0)  # one worker per CPU by default
    assert _worker_shape(1, [2.0]) == (1, 2.0)  # one worker takes both CPUs (two threads)
    assert _worker_shape(4, [2.0]) == (4, 0.5)  # more workers than CPUs: each reserves a share
    assert _worker_shape(1, [1.0, 1.0]) == (1, 1.0)  # not 2: no node has 2 CPUs, and it would never start
