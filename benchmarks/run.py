"""Benchmarks (`make bench`): one JSON line per workload with workload, agents, days, agent_days,
agent_days_per_s, wall_s and peak_rss_mb.

Each workload runs in its own child process pinned to one core, so peak memory and speed are its own.
agent_days counts agents present in the model on each day (Flee's "agents x days"); active_agent_days counts only
agents not yet in a final state (in the US, settled, returned home, dead). Short workloads run several times and
report the median wall time of the timed runs (and min / max) after one warm-up run; every run includes compiling
the scenario.

Workloads:
  baseline       scenarios/baseline.toml, 2014-2018, 1 agent = 1 person
  flee-corridor  benchmarks/flee-corridor.toml: Flee's 93-node corridor graph, 100,000 agents, 180 days
  baseline-scale10  scenarios/baseline.toml with scale = 10 (1 agent = 10 persons, ~147,000 agents): one replicate
                 of the ensembles of issue 4 (1,000 replicates on 2 cores in 10 minutes needs <= 1.2 s each)
  calibration    opt-in (`python benchmarks/run.py calibration`, ~15-40 min): the full `corredor calibrate` with its
                 defaults on 2 worker processes, written to a temporary file; target <= 30 min on 2 cores. Reports
                 wall_s, evaluations, loss_at_start and loss (starting from the shipped fit).
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORKLOADS = {
    "baseline": HERE.parent / "scenarios" / "baseline.toml",
    "flee-corridor": HERE / "flee-corridor.toml",
    "baseline-scale10": HERE.parent / "scenarios" / "baseline.toml",
}
SCALE = {"baseline-scale10": 10}  # persons per agent, where a workload overrides its scenario's
# Timed runs per workload, after one untimed warm-up run for the short one: the median wall time is reported, with
# min and max (timings on these machines vary by +-20% from one minute to the next).
REPEATS = {"baseline": 1, "flee-corridor": 5, "baseline-scale10": 3}
OPT_IN = {"calibration"}  # long workloads, run only when named
WARMUP = {"baseline": 0, "flee-corridor": 1, "baseline-scale10": 1}


def run_one(name: str) -> dict[str, object]:
    import numpy as np

    from corredor import load_scenario, simulate
    from corredor.engine.state import ABSORBING

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    scenario = load_scenario(WORKLOADS[name])
    if name in SCALE:
        scenario = scenario.model_copy(update={"scale": SCALE[name]})
    for _ in range(WARMUP[name]):
        simulate(scenario)
    walls = []
    for _ in range(REPEATS[name]):
        started = time.perf_counter()
        results = simulate(scenario)
        walls.append(time.perf_counter() - started)
    wall = statistics.median(walls)
    active = int(results.daily[:, :, ~ABSORBING, :].sum(dtype=np.int64))
    return {
        "workload": name,
        "agents": results.meta["agents"],
        "days": results.days,
        "agent_days": results.agent_days,
        "agent_days_per_s": round(results.agent_days / wall),
        "active_agent_days": active,
        "active_agent_days_per_s": round(active / wall),
        "wall_s": round(wall, 3),
        "runs": len(walls),
        "wall_s_min": round(min(walls), 3),
        "wall_s_max": round(max(walls), 3),
        "engine_s": round(results.elapsed_s, 3),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cores": 1,
        "python": platform.python_version(),
        "numpy": np.__version__,
    }


def run_calibration() -> dict[str, object]:
    """The full calibration (defaults of `corredor calibrate`: at most 80 parameter sets, 1 agent = 100 persons) on
    2 worker processes, starting from the shipped fit; nothing is written. The evaluation budget sets its wall time."""
    from concurrent.futures import ProcessPoolExecutor

    from corredor.calibration.fit import calibrate

    started = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        fit = calibrate(HERE.parent / "scenarios" / "history.toml", executor=pool)
    return {
        "workload": "calibration",
        "wall_s": round(time.perf_counter() - started, 1),
        "evaluations": fit.record.evaluations,
        "replicates": fit.record.replicates,
        "scale": fit.record.scale,
        "loss_at_start": fit.record.loss_at_start,
        "loss": fit.record.loss,
        "cores": 2,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--one":
        print(json.dumps(run_calibration() if argv[1] == "calibration" else run_one(argv[1])))
        return 0
    names = argv or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS and n not in OPT_IN]
    if unknown:
        print(f"unknown workload(s) {unknown}; allowed: {', '.join([*WORKLOADS, *OPT_IN])}", file=sys.stderr)
        return 2
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    for name in names:
        done = subprocess.run(
            [sys.executable, __file__, "--one", name], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        print(done.stdout.strip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
