"""Replicates with common random numbers: every parameter set is simulated with the same replicate seeds
(`corredor.experiments.replicate_seeds`), so differences between candidates are not seed noise. Tasks (one per
parameter set and seed) go to the caller's `concurrent.futures.Executor` in one batch, or run in-process."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np

from corredor.calibration.loss import statistics
from corredor.experiments import replicate_seeds
from corredor.scenario import Scenario, parse_scenario
from corredor.simulate import simulate


def prepare(raw: dict[str, Any], scale: int, end: dt.date | None = None) -> Scenario:
    """Validate a scenario dict at the given scale, optionally ending on ``end`` (later caravans and cohorts, which
    could not act in the shortened period, are left out)."""
    raw = {**raw, "scale": scale}
    if end is not None:
        raw["period"] = {**raw["period"], "end": end}
        for name in ("caravans", "cohorts"):
            raw[name] = [item for item in raw.get(name, []) if _date(item["date"]) <= end]
    return parse_scenario(raw, "<calibration>")


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _task(scenario: Scenario, seed: int) -> dict[str, float]:
    return statistics(simulate(scenario, seed=seed))


def run_sets(
    scenarios: Sequence[Scenario], replicates: int, root_seed: int, executor: Executor | None = None
) -> list[list[dict[str, float]]]:
    """Statistics of every replicate of every scenario: ``out[i][r]``."""
    seeds = replicate_seeds(root_seed, replicates)
    jobs = [(s, seed) for s in scenarios for seed in seeds]
    if executor is None:
        flat = [_task(s, seed) for s, seed in jobs]
    else:
        futures = [executor.submit(_task, s, seed) for s, seed in jobs]
        flat = [f.result() for f in futures]
    return [flat[i * replicates : (i + 1) * replicates] for i in range(len(scenarios))]


def mean(replicates: Sequence[dict[str, float]]) -> dict[str, float]:
    keys = set().union(*replicates)
    return {k: float(np.mean([r.get(k, 0.0) for r in replicates])) for k in keys}
