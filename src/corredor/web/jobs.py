"""Background execution of dashboard runs: a capped pool of worker processes (or threads, for tests), each run
simulating its replicates, writing their Parquet tables, then the view the page draws.

Workers report progress by writing ``state.json`` in the run's folder (throttled to ~50 writes per run), so the
server only reads files and a worker that dies leaves a run the next server start marks ``interrupted``.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from corredor.web.store import RunStore, now, write_json


class QueueFull(RuntimeError):
    """More runs are waiting than the server accepts."""


def warm() -> None:
    """Import the engine in a worker ahead of the first run (process start-up then costs nothing later)."""
    import corredor.simulate
    import corredor.web.views  # noqa: F401


def execute(root: str, run_id: str, scenario_data: dict[str, Any], seeds: list[int]) -> None:
    """Run every replicate of one run and write its results; failures are recorded in ``state.json``."""
    from corredor.scenario import parse_scenario
    from corredor.simulate import simulate
    from corredor.web.views import build_view

    store = RunStore(root)
    folder = Path(root) / run_id
    try:
        store.set_state(run_id, status="running", started=now(), progress=0.0, view_ready=False)
        started = time.perf_counter()
        scenario = parse_scenario(scenario_data, "scenario")
        network = scenario.load_network()
        results = []
        for k, seed in enumerate(seeds):
            last = [-1]

            def progress(done: int, total: int, k: int = k, last: list[int] = last) -> None:
                share = (k + done / max(total, 1)) / len(seeds)
                step = int(share * 50)
                if step != last[0]:
                    last[0] = step
                    store.set_state(run_id, progress=round(share * 0.95, 3))

            results.append(simulate(scenario, seed=seed, progress=progress))
        timings = {"simulate_s": round(time.perf_counter() - started, 3)}
        # The view first, so the page draws while the tables are written ("view_ready"; "done" once they are).
        write_json(folder / "view.json", build_view(results, scenario, network))
        timings["view_s"] = round(time.perf_counter() - started - timings["simulate_s"], 3)
        store.set_state(run_id, view_ready=True, progress=0.97, timings=timings)
        for k, run in enumerate(results):
            run.write(folder / f"rep-{k}")
        timings["total_s"] = round(time.perf_counter() - started, 3)
        store.set_state(run_id, status="done", progress=1.0, finished=now(), timings=timings)
    except Exception as error:  # recorded for the page; the worker stays usable
        store.set_state(run_id, status="failed", error=f"{type(error).__name__}: {error}", finished=now())


class JobRunner:
    """Submits runs to an executor with at most `workers` running and `max_queued` waiting."""

    def __init__(self, store: RunStore, workers: int = 2, max_queued: int = 8, processes: bool = True):
        self.store = store
        self.workers = workers
        self.max_queued = max_queued
        self.executor: Executor = (
            ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
            if processes
            else ThreadPoolExecutor(workers, thread_name_prefix="corredor-run")
        )
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._stopping = False

    def warm(self) -> None:
        for _ in range(self.workers):
            self.executor.submit(warm)

    def active(self) -> int:
        with self._lock:
            return len(self._pending)

    def submit(self, run_id: str, scenario_data: dict[str, Any], seeds: list[int]) -> None:
        with self._lock:
            if len(self._pending) >= self.workers + self.max_queued:
                raise QueueFull(
                    f"{len(self._pending)} runs are running or waiting (allowed: {self.workers} running and "
                    f"{self.max_queued} waiting); try again when one has finished"
                )
            future = self.executor.submit(execute, str(self.store.root), run_id, scenario_data, seeds)
            self._pending.add(future)
        future.add_done_callback(lambda f: self._finished(f, run_id))

    def _finished(self, future: Future[None], run_id: str) -> None:
        with self._lock:
            self._pending.discard(future)
        error = None if future.cancelled() else future.exception()
        if self._stopping and (future.cancelled() or error is not None):  # cut short by a stop: can be resubmitted
            self.store.set_state(run_id, status="interrupted", finished=now())
        elif error is not None:  # the worker process died (execute records its own exceptions)
            self.store.set_state(run_id, status="failed", error=f"{type(error).__name__}: {error}", finished=now())

    def shutdown(self) -> None:
        """Stop at once: waiting runs are dropped and running ones killed (the next start marks them interrupted)."""
        self._stopping = True
        processes = list((getattr(self.executor, "_processes", None) or {}).values())  # before shutdown clears it
        self.executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
