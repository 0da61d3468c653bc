"""reader batch --engine ray from the command line (a local Ray it starts, quietly, and ends; a
running cluster it joins by --address and leaves running), and on a two-node Ray cluster on this
machine (Ray's own test cluster): the local engine's bytes, one worker on each node."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from batch_articles import batch_outputs, four_article_inbox
from e5_fixture import NoTranslator, e5_cache_dir  # noqa: F401  (fixture)
from fakes import HashEmbedder

from reader.batch import BatchJob
from reader.batch.ray_runner import RayRunner
from reader.pipeline import Components
from reader.settings import Settings
from reader.store import Store

TESTS = Path(__file__).resolve().parent


def fake_parts(settings: Settings) -> Components:
    return Components(embedder=HashEmbedder("fake/1"), translator=NoTranslator(), store=Store(settings.store_path))


def _cache(root: Path, name: str, models: Path) -> Path:
    """A cache dir of its own (a cold embedding cache) sharing the converted model."""
    cache = root / name
    cache.mkdir()
    (cache / "models").symlink_to(models)
    return cache


@pytest.mark.slow
def test_the_cli_starts_a_quiet_local_ray_and_ends_it(tmp_path: Path, e5_cache_dir: Path) -> None:
    inbox = four_article_inbox(tmp_path)
    env = {**os.environ, "READER_CACHE_DIR": str(_cache(tmp_path, "cache-ray", e5_cache_dir / "models")),
           "READER_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("RAY_ADDRESS", None)
    run = subprocess.run([sys.executable, "-m", "reader.cli", "batch", str(inbox), "--out", str(tmp_path / "ray"),
                          "--engine", "ray", "--workers", "1", "--json"],
                         capture_output=True, text=True, env=env, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    summary = json.loads(run.stdout)
    assert summary["articles"] == 4 and summary["events_aligned"] == summary["events"] == 3
    assert len(list((tmp_path / "ray").glob("events/*.html"))) == 3
    started = [line for line in run.stderr.splitlines() if "Ray workers" in line]
    noise = [line for line in run.stderr.splitlines() if "ray" in line.lower() and line not in started]
    assert started and noise == [], run.stderr  # no Ray banner, usage-statistics notice or dashboard line
    assert not ray.is_initialized()  # the subprocess's Ray was its own, and it ended with it


@pytest.fixture(scope="module")
def two_nodes():
    """A Ray cluster of two nodes of one CPU each, on this machine, joined by this process."""
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    cluster.wait_for_nodes()
    ray.init(address=cluster.address, logging_level="ERROR", log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(TESTS)}})
    yield cluster
    ray.shutdown()
    cluster.shutdown()


def test_a_two_node_cluster_writes_the_local_engines_bytes(tmp_path: Path, two_nodes) -> None:
    inbox = four_article_inbox(tmp_path)
    local_settings = Settings(cache_dir=tmp_path / "cache-local", data_dir=tmp_path / "data")
    BatchJob(inbox, tmp_path / "local", local_settings, components=fake_parts(local_settings)).run()

    settings = Settings(cache_dir=tmp_path / "cache-ray", data_dir=tmp_path / "data")
    parts = fake_parts(settings)
    runner = RayRunner(settings, parts, workers=2, make_parts=fake_parts)
    try:
        nodes = {node for _, node in runner.workers_at()}
        summary = BatchJob(inbox, tmp_path / "ray", settings, components=parts, runner=runner).run()
    finally:
        runner.close()
    assert len(nodes) == 2  # one worker on each node
    assert summary.events_aligned == summary.events == 3
    assert batch_outputs(tmp_path / "ray") == batch_outputs(tmp_path / "local")


@pytest.mark.slow
def test_the_cli_joins_a_running_cluster_by_its_address(tmp_path: Path, e5_cache_dir: Path, two_nodes) -> None:
    inbox = four_article_inbox(tmp_path)
    env = {**os.environ, "READER_CACHE_DIR": str(_cache(tmp_path, "cache", e5_cache_dir / "models")),
           "READER_DATA_DIR": str(tmp_path / "data"), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env.pop("RAY_ADDRESS", None)
    run = subprocess.run([sys.executable, "-m", "reader.cli", "batch", str(inbox), "--out", str(tmp_path / "out"),
                          "--engine", "ray", "--address", two_nodes.address, "--json"],
                         capture_output=True, text=True, env=env, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["events_aligned"] == 3
    assert "2 Ray workers, 1 thread(s) each" in run.stderr  # one per CPU of the cluster: one on each node
    assert ray.is_initialized() and len([n for n in ray.nodes() if n["Alive"]]) == 2  # the cluster lives on
