"""Where the chunks of an ensemble run: serially in this process, on a local process pool (the default), or on Dask
(a scheduler at ``tcp://host:8786`` or a LocalCluster of ``workers`` processes), always through a
`concurrent.futures.Executor` (`distributed.Client.get_executor()` for Dask).

Results do not depend on the executor: every chunk is a pure function of the scenario and its seeds, and
`run_ensemble` puts rows back in replicate order, so serial, process-pool and Dask runs give byte-identical files.

Worker processes of the local pool ignore SIGINT from birth, so Ctrl-C reaches only the main process, which stops
submitting, cancels what is queued and keeps every completed chunk in the catalog. "From birth" matters: the pool
starts workers on demand, and a worker still importing corredor when Ctrl-C arrives would otherwise die with a
traceback before any initializer could run. So the main process ignores SIGINT for the instant it takes to start a
worker; an ignored SIGINT survives exec, and Python keeps it ignored instead of installing KeyboardInterrupt.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.context import SpawnContext, SpawnProcess


@dataclass(frozen=True)
class ExecutorChoice:
    """``kind``: serial, process or dask; ``workers``: pool or LocalCluster size (None: CPUs); ``address``: a Dask
    scheduler (``tcp://host:8786``) to connect to instead of starting a LocalCluster."""

    kind: str = "process"
    workers: int | None = None
    address: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("serial", "process", "dask"):
            raise ValueError(f"executor {self.kind!r}: allowed: serial, process, dask")
        if self.workers is not None and self.workers < 1:
            raise ValueError(f"--workers: {self.workers} -> must be >= 1")
        if self.address is not None and not self.address.strip():
            raise ValueError("--dask: empty scheduler address; give e.g. tcp://host:8786")

    def describe(self) -> str:
        if self.kind == "serial":
            return "serial (this process)"
        if self.kind == "process":
            return f"process pool ({self.workers or os.cpu_count()} workers)"
        if self.address:
            return f"Dask scheduler {self.address}"
        return f"Dask LocalCluster ({self.workers or os.cpu_count()} workers)"


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _SigintImmuneProcess(SpawnProcess):
    """A spawned worker that inherits an ignored SIGINT (signals can only be set from the main thread, and a handler
    not set from Python cannot be put back; otherwise the pool's initializer still sets it, a moment later)."""

    def start(self) -> None:
        previous = signal.getsignal(signal.SIGINT)
        if previous is None or threading.current_thread() is not threading.main_thread():
            super().start()
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            super().start()
        finally:
            signal.signal(signal.SIGINT, previous)


class _SigintImmuneSpawnContext(SpawnContext):
    Process = _SigintImmuneProcess


def worker_context() -> SpawnContext:
    """The multiprocessing context of the local pool: spawned workers that ignore SIGINT from their first instant."""
    return _SigintImmuneSpawnContext()


@contextmanager
def open_executor(choice: ExecutorChoice) -> Iterator[Executor | None]:
    """The executor for ``choice`` (None for serial), shut down on exit; queued chunks are cancelled on errors."""
    if choice.kind == "serial":
        yield None
        return
    if choice.kind == "process":
        context = worker_context()
        pool = ProcessPoolExecutor(max_workers=choice.workers, mp_context=context, initializer=_ignore_sigint)
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return
    from distributed import Client, LocalCluster  # optional dependency: corredor[cluster]

    if choice.address:
        with Client(choice.address) as client:
            yield client.get_executor()
        return
    with (
        LocalCluster(
            n_workers=choice.workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client.get_executor()


def max_pending(choice: ExecutorChoice) -> int:
    """How many chunks to keep submitted at once: twice the workers (keeps them busy, keeps Ctrl-C prompt). On a
    remote Dask scheduler, whose size this machine does not know, 2 x ``--workers`` if given, else 4,096 (the
    scheduler queues them)."""
    if choice.address and choice.workers is None:
        return 4096
    return 2 * (choice.workers or os.cpu_count() or 1)
