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
  dashboard      `corredor serve` (2 worker processes) and Debian's chromium: seconds from pressing "Run" on a 1-year
                 scenario (baseline, 2018, 1 agent = 10 persons) until the first chart is drawn (target <= 3 s);
                 not pinned to one core (server, worker and browser are separate processes)
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
    "dashboard": HERE.parent / "scenarios" / "baseline.toml",
}
# Timed runs per workload, after one untimed warm-up run for the short one: the median wall time is reported, with
# min and max (timings on these machines vary by +-20% from one minute to the next).
REPEATS = {"baseline": 1, "flee-corridor": 5, "dashboard": 3}
WARMUP = {"baseline": 0, "flee-corridor": 1, "dashboard": 1}
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


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "--one":
        print(json.dumps(run_one(argv[1])))
        return 0
    names = argv or list(WORKLOADS)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        print(f"unknown workload(s) {unknown}; allowed: {', '.join(WORKLOADS)}", file=sys.stderr)
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
