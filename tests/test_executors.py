"""Executors: a small ensemble (with sampled uncertainties) gives byte-identical chunk files serially, on the local
process pool and on a Dask LocalCluster of 2 worker processes."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pandas as pd
import pytest

from corredor.experiments import run_ensemble
from corredor.experiments.design import Design, Factor, sample
from corredor.experiments.executors import ExecutorChoice, open_executor, worker_context
from corredor.experiments.outcomes import standard_outcomes

from .conftest import make_scenario


def _run(kind: str, out: Path, workers: int | None = None) -> pd.DataFrame:
    scenario = make_scenario(start="2016-01-01", end="2016-02-29", scale=200)
    factors = [
        Factor(path="parameters.hazards.death_per_1000km", low=0.002, high=0.02, log=True),
        Factor(path="lever.comar_caseworkers", target="tapachula", low=5, high=50, integer=True),
    ]
    design = Design.from_array(factors, sample(factors, 3, "lhs", seed=4))
    with open_executor(ExecutorChoice(kind, workers)) as executor:
        ens = run_ensemble(
            scenario,
            3,
            root_seed=8,
            chunk_size=1,
            out_dir=out,
            executor=executor,
            measure=standard_outcomes,
            design=design,
        )
    return ens.outcomes


def test_serial_process_and_dask_identical(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    serial = _run("serial", tmp_path / "serial")
    pool = _run("process", tmp_path / "pool", workers=2)
    dask = _run("dask", tmp_path / "dask", workers=2)
    pd.testing.assert_frame_equal(serial, pool)
    pd.testing.assert_frame_equal(serial, dask)
    files = {kind: sorted((tmp_path / kind / "chunks").glob("*.parquet")) for kind in ("serial", "pool", "dask")}
    assert len(files["serial"]) == 3
    for a, b, c in zip(files["serial"], files["pool"], files["dask"], strict=True):
        assert a.name == b.name == c.name
        assert a.read_bytes() == b.read_bytes() == c.read_bytes()
    # the sampled factors reach the runs: inputs recorded, and points differ in the outcomes they drive
    assert serial["input.lever.comar_caseworkers@tapachula"].nunique() == 3
    assert list(serial["point"]) == [0.0, 1.0, 2.0]
    assert serial["deaths"].nunique() > 1


def test_bad_executor_choices() -> None:
    with pytest.raises(ValueError, match="allowed: serial, process, dask"):
        ExecutorChoice("threads")
    with pytest.raises(ValueError, match="--workers"):
        ExecutorChoice("process", workers=0)


def _exit_with_sigint_disposition() -> None:
    sys.exit(0 if signal.getsignal(signal.SIGINT) == signal.SIG_IGN else 3)


def test_pool_workers_ignore_ctrl_c_from_their_first_instant() -> None:
    # no initializer here: the worker must be born with SIGINT ignored, or a Ctrl-C that arrives while it is still
    # importing kills it with a traceback (the pool starts workers on demand, at any point of a run)
    worker = worker_context().Process(target=_exit_with_sigint_disposition)
    worker.start()
    worker.join(timeout=60)
    assert worker.exitcode == 0
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the main process still takes Ctrl-C
