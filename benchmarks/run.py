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
  calibration    opt-in (`python benchmarks/run.py calibration`, ~9-15 min): the full `corredor calibrate` with its
                 defaults (8 starts of the flow stage, <= 1,400 parameter sets) on 2 worker processes, nothing
                 written; target <= 30 min on 2 cores. Reports wall_s, evaluations, starts, loss_at_start and loss
                 (starting from the shipped fit).
  ensemble-1000  1,000 replicates of the baseline at 1 agent = 10 persons on a local process pool of --workers (2)
                 processes, with the standard outcomes (target: <= 600 s on 2 cores). --replicates N runs N instead
                 and reports the projected time of 1,000 (wall x 1000 / N); only run when named (about 9 min at
                 ~1 s per replicate and core). Each worker first loads the compiled kernels (untimed warm-up run)
  dask-speedup   the same small ensemble (--replicates, default 8, of the baseline at 1 agent = 100 persons) on a
                 Dask LocalCluster with 1 and then 2 worker processes; speed-up = wall(1) / wall(2) (target >= 1.6);
                 cluster start-up and the workers' first imports are not timed

    python benchmarks/run.py                                  # all but ensemble-1000 and calibration
    python benchmarks/run.py --workload ensemble-1000 --replicates 40
  dashboard      `corredor serve` (2 worker processes) and Debian's chromium: seconds from pressing "Run" on a 1-year
                 scenario (baseline, 2018, 1 agent = 10 persons) until the first chart is drawn (target <= 3 s);
                 not pinned to one core (server, worker and browser are separate processes)
"""

from __future__ import annotations

import argparse
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
    "dashboard": HERE.parent / "scenarios" / "baseline.toml",
}
SCALE = {"baseline-scale10": 10}  # persons per agent, where a workload overrides its scenario's
# Timed runs per workload, after one untimed warm-up run for the short one: the median wall time is reported, with
# min and max (timings on these machines vary by +-20% from one minute to the next).
REPEATS = {"baseline": 1, "flee-corridor": 5, "baseline-scale10": 3, "dashboard": 3}
OPT_IN = {"calibration"}  # long workloads, run only when named
WARMUP = {"baseline": 0, "flee-corridor": 1, "baseline-scale10": 1, "dashboard": 1}
ENSEMBLES = ("ensemble-1000", "dask-speedup")
DEFAULT = ("baseline", "flee-corridor", "baseline-scale10", "dask-speedup", "dashboard")
BASELINE = HERE.parent / "scenarios" / "baseline.toml"


def _warm(_: int) -> bool:
    """Load the engine in a worker (not timed): imports, and numba's cached machine code of the compiled kernels,
    by a whole run of the baseline at 1 agent = 1,000 persons (about 1 s per process)."""
    from corredor import load_scenario, simulate
    from corredor.experiments.outcomes import standard_outcomes

    results = simulate(load_scenario(BASELINE).model_copy(update={"scale": 1000}), seed=1)
    standard_outcomes(results)
    results.summary()
    return True


def run_ensemble_workload(name: str, replicates: int | None, workers: int) -> dict[str, object]:
    """ensemble-1000 or dask-speedup (module docstring)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from corredor import load_scenario
    from corredor.experiments import run_ensemble
    from corredor.experiments.outcomes import standard_outcomes

    base = load_scenario(BASELINE)
    if name == "ensemble-1000":
        n = replicates or 1000
        scenario = base.model_copy(update={"scale": 10})
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_warm, range(workers)))
            started = time.perf_counter()
            # chunks of 4 replicates (run_ensemble's default): each chunk compiles the scenario once
            ens = run_ensemble(scenario, n, root_seed=1, executor=pool, chunk_size=4, measure=standard_outcomes)
            wall = time.perf_counter() - started
        projected = wall * 1000 / n
        return {
            "workload": name,
            "replicates": n,
            "scale": 10,
            "workers": workers,
            "wall_s": round(wall, 2),
            "s_per_replicate_per_core": round(wall * workers / n, 3),
            "projected_1000_s": round(projected, 1),
            "target_s": 600,
            "meets_target": projected <= 600,
            "deaths_median": float(ens.outcomes["deaths"].median()),
            "python": platform.python_version(),
        }
    from distributed import Client, LocalCluster

    n = replicates or 8
    scenario = base.model_copy(update={"scale": 100})
    walls = {}
    outcomes = {}
    for size in (1, 2):
        with (
            LocalCluster(n_workers=size, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            client.run(_warm, 0)
            executor = client.get_executor()
            started = time.perf_counter()
            ens = run_ensemble(scenario, n, root_seed=1, executor=executor, chunk_size=1, max_pending=2 * size)
            walls[size] = time.perf_counter() - started
            outcomes[size] = ens.outcomes
    speedup = walls[1] / walls[2]
    return {
        "workload": name,
        "replicates": n,
        "scale": 100,
        "wall_s_1_worker": round(walls[1], 2),
        "wall_s_2_workers": round(walls[2], 2),
        "speedup": round(speedup, 2),
        "target_speedup": 1.6,
        "meets_target": speedup >= 1.6,
        "identical_results": bool(outcomes[1].equals(outcomes[2])),
        "python": platform.python_version(),
    }


DASHBOARD_TARGET_S = 3.0


def run_dashboard() -> dict[str, object]:
    """Seconds from submitting a 1-year scenario in the dashboard until its first chart is visible."""
    import socket
    import tempfile

    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as store:
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "corredor"), "serve", "--port", str(port), "--store", store],
            cwd=HERE.parent,
            stdout=subprocess.DEVNULL,
        )
        try:
            flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
                page = browser.new_page()
                for _ in range(200):
                    try:
                        page.goto(url + "/#/builder")
                        break
                    except Exception:  # the server is still starting
                        time.sleep(0.1)
                walls: list[float] = []
                worker: list[dict[str, float]] = []
                for k in range(WARMUP["dashboard"] + REPEATS["dashboard"]):
                    page.goto(url + "/#/builder")
                    page.wait_for_function("document.querySelector('#f-start').value !== ''")
                    page.fill("#f-start", "2018-01-01")
                    page.fill("#f-end", "2018-12-31")
                    page.fill("#f-scale", "10")
                    page.fill("#f-seed", str(k + 1))
                    started = time.perf_counter()
                    page.click("#run")
                    page.wait_for_selector("#run-results #chart-timeseries .main-svg", timeout=120_000)
                    if k >= WARMUP["dashboard"]:
                        walls.append(time.perf_counter() - started)
                        run_id = page.url.rsplit("/", 1)[1]
                        worker.append(json.loads((Path(store) / run_id / "state.json").read_text())["timings"])
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    wall = statistics.median(walls)
    return {
        "workload": "dashboard",
        "measure": "submit to first chart visible, 1-year scenario at 1 agent = 10 persons",
        "wall_s": round(wall, 3),
        "runs": len(walls),
        "wall_s_min": round(min(walls), 3),
        "wall_s_max": round(max(walls), 3),
        "target_s": DASHBOARD_TARGET_S,
        "worker_simulate_s": statistics.median(w["simulate_s"] for w in worker),
        "worker_view_s": statistics.median(w["view_s"] for w in worker),
        "python": platform.python_version(),
    }


def run_one(name: str) -> dict[str, object]:
    if name == "dashboard":
        return run_dashboard()
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
    """The full calibration (defaults of `corredor calibrate`: the flow stage from 8 starting points, at most 1,400
    parameter sets, 1 agent = 100 persons) on 2 worker processes, starting from the shipped fit; nothing is
    written. The evaluation budget sets its wall time."""
    from concurrent.futures import ProcessPoolExecutor

    from corredor.calibration.cli import FULL_MAX_EVALUATIONS, FULL_STARTS
    from corredor.calibration.fit import calibrate

    started = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        fit = calibrate(
            HERE.parent / "scenarios" / "history.toml",
            starts=FULL_STARTS,
            max_evaluations=FULL_MAX_EVALUATIONS,
            executor=pool,
        )
    return {
        "workload": "calibration",
        "wall_s": round(time.perf_counter() - started, 1),
        "evaluations": fit.record.evaluations,
        "starts": FULL_STARTS,
        "replicates": fit.record.replicates,
        "scale": fit.record.scale,
        "loss_at_start": fit.record.loss_at_start,
        "loss": fit.record.loss,
        "cores": 2,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="corredor benchmarks: one JSON line per workload")
    parser.add_argument("names", nargs="*", help=f"workloads (default: {', '.join(DEFAULT)})")
    parser.add_argument("--workload", action="append", default=[], help="a workload to run (repeatable)")
    parser.add_argument("--replicates", type=int, default=None, help="replicates of ensemble-1000 / dask-speedup")
    parser.add_argument("--workers", type=int, default=2, help="processes of ensemble-1000 (default 2)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        if args.one in ENSEMBLES:
            print(json.dumps(run_ensemble_workload(args.one, args.replicates, args.workers)))
        elif args.one == "calibration":
            print(json.dumps(run_calibration()))
        else:
            print(json.dumps(run_one(args.one)))
        return 0
    names = [*args.names, *args.workload] or list(DEFAULT)
    allowed = [*WORKLOADS, *ENSEMBLES, *OPT_IN]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        print(f"unknown workload(s) {unknown}; allowed: {', '.join(allowed)}", file=sys.stderr)
        return 2
    if args.replicates is not None and args.replicates < 1:
        print(f"--replicates: {args.replicates} -> must be >= 1", file=sys.stderr)
        return 2
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    for name in names:
        extra = [] if args.replicates is None else ["--replicates", str(args.replicates)]
        extra += ["--workers", str(args.workers)]
        done = subprocess.run(
            [sys.executable, __file__, "--one", name, *extra], env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return done.returncode
        print(done.stdout.strip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
