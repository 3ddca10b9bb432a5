"""Ensembles: deterministic replicate seeds, serial vs process-pool equality, the SQLite catalog surviving a killed
process, resume, and quantiles."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from corredor import Results
from corredor.experiments import Catalog, replicate_seeds, run_ensemble, scenario_hash
from corredor.scenario import Scenario

from .conftest import make_scenario

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return make_scenario(start="2016-01-01", end="2016-03-31", scale=50)


def deaths(results: Results) -> dict[str, float]:
    """A measure (module level, so it pickles into worker processes)."""
    events = results.to_pandas()["events"]
    return {"deaths_total": float(events.loc[events["event"] == "death", "value"].sum())}


def test_seeds_deterministic_and_distinct() -> None:
    seeds = replicate_seeds(42, 50)
    assert seeds == replicate_seeds(42, 50)
    assert len(set(seeds)) == 50
    assert all(isinstance(s, int) and 0 <= s < 2**63 for s in seeds)
    assert replicate_seeds(42, 10) == seeds[:10]  # prefix-stable
    assert set(replicate_seeds(43, 50)).isdisjoint(seeds)


def test_serial_and_process_pool_identical(scenario: Scenario, tmp_path: Path) -> None:
    serial = run_ensemble(scenario, 4, root_seed=5, chunk_size=2, out_dir=tmp_path / "serial", measure=deaths)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=2, mp_context=context) as pool:
        parallel = run_ensemble(
            scenario, 4, root_seed=5, chunk_size=2, out_dir=tmp_path / "pool", measure=deaths, executor=pool
        )
    pd.testing.assert_frame_equal(serial.outcomes, parallel.outcomes)
    assert serial.summaries == parallel.summaries
    assert list(serial.outcomes["replicate"]) == [0, 1, 2, 3]
    assert list(serial.outcomes["seed"]) == replicate_seeds(5, 4)
    assert [s["seed"] for s in serial.summaries] == replicate_seeds(5, 4)
    assert "deaths_total" in serial.outcomes and "death_2016" in serial.outcomes
    assert (serial.outcomes["deaths_total"] == serial.outcomes["death_2016"]).all()
    assert len(serial.chunk_files) == 2
    for a, b in zip(serial.chunk_files, parallel.chunk_files, strict=True):
        assert a.name == b.name
        assert a.read_bytes() == b.read_bytes()
    chunk = pd.read_parquet(serial.chunk_files[0])
    assert list(chunk["replicate"]) == [0, 1]
    runs = Catalog(tmp_path / "pool").runs()
    assert list(runs["replicate"]) == [0, 1, 2, 3]
    assert set(runs["status"]) == {"done"}
    assert set(runs["scenario_hash"]) == {scenario_hash(scenario)}


def test_root_seed_changes_outcomes(scenario: Scenario) -> None:
    a = run_ensemble(scenario, 2, root_seed=1)
    b = run_ensemble(scenario, 2, root_seed=2)
    assert not a.outcomes.drop(columns=["seed"]).equals(b.outcomes.drop(columns=["seed"]))
    values = a.outcomes.drop(columns=["replicate", "seed"])
    assert values.iloc[0].ne(values.iloc[1]).any()  # replicates differ too


def test_quantiles_shape(scenario: Scenario) -> None:
    ens = run_ensemble(scenario, 3, root_seed=3, chunk_size=2, measure=deaths)
    q = ens.quantiles()
    assert q.shape == (3, ens.outcomes.shape[1] - 2)
    assert list(q.index) == [0.05, 0.5, 0.95]
    assert ((q.loc[0.05] <= q.loc[0.95]) | q.isna().any()).all()
    assert ens.outcomes.filter(like="_2016").notna().all().all()
    assert ens.quantiles(q=(0.5,)).shape[0] == 1


KILLED_RUN = """
import os, sys
sys.path.insert(0, {tests!r})
from conftest import make_scenario
from corredor.experiments import run_ensemble

def die(done, total):
    os._exit(3)  # killed right after the first chunk is recorded

run_ensemble(make_scenario(start="2016-01-01", end="2016-03-31", scale=50), 4, root_seed=9, chunk_size=1,
             out_dir={out!r}, progress=die)
"""


def test_catalog_survives_kill_and_resume(scenario: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "killed"
    script = textwrap.dedent(KILLED_RUN).format(tests=str(TESTS), out=str(out))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    runs = Catalog(out).runs()
    assert list(runs["replicate"]) == [0]
    assert runs["status"].tolist() == ["done"]
    assert runs["seed"].tolist() == replicate_seeds(9, 1)
    assert (out / runs["chunk_file"].iloc[0]).exists()

    calls: list[tuple[int, int]] = []
    resumed = run_ensemble(
        scenario, 4, root_seed=9, chunk_size=2, out_dir=out, resume=True, progress=lambda d, t: calls.append((d, t))
    )
    assert resumed.resumed == 1
    assert calls == [(3, 4), (4, 4)]
    assert list(Catalog(out).runs()["replicate"]) == [0, 1, 2, 3]
    fresh = run_ensemble(scenario, 4, root_seed=9, chunk_size=2)
    pd.testing.assert_frame_equal(resumed.outcomes, fresh.outcomes)
    assert resumed.summaries == fresh.summaries
    # nothing left to do: a second resume simulates nothing
    again = run_ensemble(scenario, 4, root_seed=9, out_dir=out, resume=True)
    assert again.resumed == 4
    pd.testing.assert_frame_equal(again.outcomes, fresh.outcomes)


def test_keyboard_interrupt_keeps_completed_chunks(scenario: Scenario, tmp_path: Path) -> None:
    def interrupt(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with ThreadPoolExecutor(max_workers=1) as pool, pytest.raises(KeyboardInterrupt):
        run_ensemble(
            scenario, 6, root_seed=4, chunk_size=1, out_dir=tmp_path, executor=pool, progress=interrupt, max_pending=2
        )
    kept = list(Catalog(tmp_path).runs()["replicate"])
    assert kept[0] == 0 and len(kept) < 6  # the first chunk is kept, pending ones were cancelled
    rest = run_ensemble(scenario, 6, root_seed=4, chunk_size=2, out_dir=tmp_path, resume=True)
    assert rest.resumed == len(kept)
    assert list(Catalog(tmp_path).runs()["replicate"]) == list(range(6))
