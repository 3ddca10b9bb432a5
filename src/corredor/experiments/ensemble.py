"""Replicate ensembles of one scenario: `replicate_seeds`, `run_ensemble` and `EnsembleResults`.

Seeds. Replicate ``i`` of root seed ``r`` runs with
``SeedSequence(r).spawn(n)[i].generate_state(1, dtype=uint64)[0] & (2**63 - 1)`` — a non-negative int63. Spawned
children are prefix-stable, so replicate ``i`` has the same seed whatever the ensemble size.

Execution. Replicates are grouped in chunks of ``chunk_size`` consecutive indices; each chunk is one task
(`run_chunk`, a top-level function, so it pickles under ``spawn``) given to the caller's executor, or run in-process
when ``executor`` is None. Results are put back in replicate order, so serial and parallel runs give identical
outputs.

Outcomes. `flatten_summary` turns `Results.summary()` into scalar columns: ``agents``, ``agent_days``,
``{event}_{year}`` (``yearly_events``; 0, not missing, for events that did not occur), ``comar_applicants_{year}``,
``comar_applicants_{nationality}_{year}``, ``upm_presentados_{year}``, ``upm_devueltos_{year}``,
``cbp_{nationality}_fy{year}`` and
``asylum_{office}_{figure}``; a ``measure`` adds its own columns. With ``out_dir``, every chunk writes
``chunks/{hash12}-{root_seed}-{first:06d}-{last:06d}.parquet`` (columns ``replicate``, ``seed`` (int64), then the
outcome columns in name order, float64; NaN where a replicate's summary has no such figure, e.g. the mean wait at an
office without decisions) and is recorded in ``catalog.sqlite`` (`corredor.experiments.catalog`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from corredor.engine.inputs import compile_scenario
from corredor.experiments.catalog import Catalog, RunRecord, scenario_hash
from corredor.experiments.design import Design, Factor, apply
from corredor.results import Results
from corredor.scenario import Scenario
from corredor.simulate import simulate

Measure = Callable[[Results], Mapping[str, float]]
ID_COLUMNS = ("replicate", "seed")
_INT63 = (1 << 63) - 1


def replicate_seeds(root_seed: int, n: int) -> list[int]:
    """The `simulate` seeds of replicates ``0 .. n-1`` of ``root_seed`` (deterministic, non-negative int63)."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    children = np.random.SeedSequence(root_seed).spawn(n)
    return [int(child.generate_state(1, dtype=np.uint64)[0]) & _INT63 for child in children]


def _number(value: Any) -> float:
    return float("nan") if value is None else float(value)


def flatten_summary(summary: Mapping[str, Any], event_names: Sequence[str] = ()) -> dict[str, float]:
    """Scalar outcome columns from `Results.summary()` (names in the module docstring). ``{event}_{year}`` is 0 for
    every name in ``event_names`` and calendar year of the run that the summary does not list (no such events)."""
    out: dict[str, float] = {}
    for key in ("agents", "agent_days"):
        if key in summary:
            out[key] = _number(summary[key])
    if event_names and "start" in summary and "end" in summary:
        for year in range(int(summary["start"][:4]), int(summary["end"][:4]) + 1):
            out.update({f"{event}_{year}": 0.0 for event in event_names})
    for event, years in summary.get("yearly_events", {}).items():
        for year, value in years.items():
            out[f"{event}_{year}"] = _number(value)
    for key in ("comar_applicants", "upm_presentados", "upm_devueltos"):
        for year, value in summary.get(key, {}).items():
            out[f"{key}_{year}"] = _number(value)
    for nationality, years in summary.get("comar_applicants_by_nationality", {}).items():
        for year, value in years.items():
            out[f"comar_applicants_{nationality}_{year}"] = _number(value)
    for nationality, years in summary.get("cbp_apprehensions_fy", {}).items():
        for year, value in years.items():
            out[f"cbp_{nationality}_fy{year}"] = _number(value)
    for office, figures in summary.get("asylum_offices", {}).items():
        for name, value in figures.items():
            out[f"asylum_{office}_{name}"] = _number(value)
    return out


@dataclass(frozen=True)
class ReplicateOutcome:
    replicate: int
    seed: int
    summary: dict[str, Any]
    outcomes: dict[str, float]  # flattened summary + measure outputs


@dataclass(frozen=True)
class ChunkTask:
    scenario: Scenario
    replicates: tuple[int, ...]
    seeds: tuple[int, ...]
    measure: Measure | None = None
    out_dir: str | None = None
    chunk_file: str | None = None  # relative to out_dir
    factors: tuple[Factor, ...] = ()  # with a design: the factors and, per replicate, its point and values
    points: tuple[int, ...] = ()
    values: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class ChunkResult:
    replicates: list[ReplicateOutcome]
    chunk_file: str | None
    started_at: str
    finished_at: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _chunk_table(rows: Sequence[ReplicateOutcome]) -> pa.Table:
    names = sorted({name for row in rows for name in row.outcomes})
    columns: dict[str, pa.Array] = {
        "replicate": pa.array([r.replicate for r in rows], type=pa.int64()),
        "seed": pa.array([r.seed for r in rows], type=pa.int64()),
    }
    for name in names:
        columns[name] = pa.array([r.outcomes.get(name, float("nan")) for r in rows], type=pa.float64())
    return pa.Table.from_pydict(columns)


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate the replicates of one chunk and, with ``out_dir``, write its Parquet file (atomically)."""
    started = _now()
    rows: list[ReplicateOutcome] = []
    compiled = None if task.factors else compile_scenario(task.scenario)  # replicates of one scenario: compile once
    for i, (replicate, seed) in enumerate(zip(task.replicates, task.seeds, strict=True)):
        scenario = apply(task.scenario, task.factors, task.values[i]) if task.factors else task.scenario
        results = simulate(scenario, seed=seed, compiled=compiled)
        summary = results.summary()
        outcomes = flatten_summary(summary, results.event_names)
        if task.factors:
            outcomes["point"] = float(task.points[i])
            outcomes.update({f"input.{f.name}": float(v) for f, v in zip(task.factors, task.values[i], strict=True)})
        if task.measure is not None:
            for name, value in task.measure(results).items():
                if name in outcomes or name in ID_COLUMNS:
                    raise ValueError(f"measure output {name!r} clashes with an outcome column of the same name")
                outcomes[name] = float(value)
        rows.append(ReplicateOutcome(replicate, seed, summary, outcomes))
    if task.out_dir is not None and task.chunk_file is not None:
        path = Path(task.out_dir) / task.chunk_file
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        pq.write_table(_chunk_table(rows), tmp)
        os.replace(tmp, path)
    return ChunkResult(rows, task.chunk_file, started, _now())


@dataclass
class EnsembleResults:
    """The replicates of one ensemble, in replicate order."""

    ensemble_id: str
    scenario_name: str
    scenario_hash: str
    root_seed: int
    seeds: list[int]
    summaries: list[dict[str, Any]]
    outcomes: pd.DataFrame  # one row per replicate: replicate, seed, outcome columns (name order)
    out_dir: Path | None = None
    chunk_files: list[Path] = field(default_factory=list)
    resumed: int = 0  # replicates taken from the catalog instead of simulated

    def quantiles(self, q: Sequence[float] = (0.05, 0.5, 0.95)) -> pd.DataFrame:
        """Quantiles of every outcome column (rows: q, columns: outcomes; NaN values skipped)."""
        values = self.outcomes.drop(columns=list(ID_COLUMNS))
        return values.quantile(list(q))


def _chunks(indices: Sequence[int], size: int) -> Iterator[tuple[int, ...]]:
    for start in range(0, len(indices), size):
        yield tuple(indices[start : start + size])


def run_ensemble(
    scenario: Scenario,
    replicates: int,
    *,
    root_seed: int | None = None,
    executor: Executor | None = None,
    chunk_size: int = 4,
    out_dir: str | Path | None = None,
    measure: Measure | None = None,
    progress: Callable[[int, int], None] | None = None,
    resume: bool = False,
    max_pending: int | None = None,
    design: Design | None = None,
) -> EnsembleResults:
    """Run ``replicates`` replicates of ``scenario``.

    With a ``design`` (`corredor.experiments.design.Design`), ``replicates`` must equal ``design.runs``: run ``j``
    applies the factor values of point ``design.point_of(j)`` to the scenario (seeds as the design says) and its row
    gains the columns ``point`` and ``input.<factor name>``; the catalog identifies these runs by the scenario hash
    combined with the design's fingerprint.

    ``root_seed`` defaults to ``scenario.seed`` (seeds: `replicate_seeds`). ``executor`` None runs chunks serially
    in-process; otherwise chunks are submitted to it (e.g. a ``ProcessPoolExecutor``; ``measure`` must then pickle,
    i.e. be a module-level function), at most ``max_pending`` (default 2 x CPUs) at a time. With ``out_dir`` every
    chunk writes a Parquet file and is recorded in ``out_dir/catalog.sqlite`` as soon as it completes; ``resume``
    then skips replicates already done for the same scenario hash and root seed (their outcomes are read back from
    their chunk files). ``progress(done, replicates)`` is called after each chunk is recorded. On KeyboardInterrupt
    (or a failing chunk) no more chunks are submitted, pending ones are cancelled, completed ones stay catalogued,
    and the exception is re-raised.
    """
    if replicates < 0:
        raise ValueError(f"replicates must be >= 0, got {replicates}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
    root = scenario.seed if root_seed is None else root_seed
    if not 0 <= root <= _INT63:
        raise ValueError(f"root_seed must be a non-negative 63-bit integer, got {root}")
    if resume and out_dir is None:
        raise ValueError("resume=True needs out_dir (the catalog lives there)")
    seeds = replicate_seeds(root, replicates)
    digest = scenario_hash(scenario)
    if design is not None:
        if design.runs != replicates:
            raise ValueError(f"replicates ({replicates}) must equal the design's runs ({design.runs})")
        if design.common_seeds:
            base = replicate_seeds(root, design.replicates_per_point)
            seeds = [base[j % design.replicates_per_point] for j in range(replicates)]
        digest = hashlib.sha256((digest + design.fingerprint()).encode()).hexdigest()
    ensemble_id = uuid.uuid4().hex[:16]
    catalog = Catalog(out_dir) if out_dir is not None else None

    finished: dict[int, ReplicateOutcome] = {}
    chunk_files: set[str] = set()
    if catalog is not None and resume:
        previous = {i: r for i, r in catalog.done(digest, root).items() if i < replicates and r.seed == seeds[i]}
        by_file: dict[str, list[RunRecord]] = {}
        for record in previous.values():
            by_file.setdefault(record.chunk_file, []).append(record)
        for file_name, records in by_file.items():
            # NaN outcomes are kept (e.g. a share of no files): dropped, an outcome NaN in every replicate would
            # vanish from a resumed ensemble's table
            stored = {
                int(row["replicate"]): {str(k): float(v) for k, v in row.items() if k not in ID_COLUMNS}
                for row in pd.read_parquet(Path(out_dir or ".") / file_name).to_dict("records")
            }
            for record in records:
                finished[record.replicate] = ReplicateOutcome(
                    record.replicate, record.seed, record.summary, stored[record.replicate]
                )
            chunk_files.add(file_name)
    resumed = len(finished)

    todo = [i for i in range(replicates) if i not in finished]
    tasks: list[ChunkTask] = []
    for chunk in _chunks(todo, chunk_size):
        name = f"chunks/{digest[:12]}-{root}-{chunk[0]:06d}-{chunk[-1]:06d}.parquet" if out_dir is not None else None
        tasks.append(
            ChunkTask(
                scenario,
                chunk,
                tuple(seeds[i] for i in chunk),
                measure,
                None if out_dir is None else str(out_dir),
                name,
                () if design is None else design.factors,
                () if design is None else tuple(design.point_of(i) for i in chunk),
                () if design is None else tuple(design.values[design.point_of(i)] for i in chunk),
            )
        )

    def complete(result: ChunkResult, notify: bool = True) -> None:
        if catalog is not None and result.chunk_file is not None:
            catalog.record(
                RunRecord(
                    ensemble_id,
                    scenario.name,
                    digest,
                    root,
                    row.replicate,
                    row.seed,
                    result.chunk_file,
                    "done",
                    result.started_at,
                    result.finished_at,
                    row.summary,
                )
                for row in result.replicates
            )
            chunk_files.add(result.chunk_file)
        for row in result.replicates:
            finished[row.replicate] = row
        if notify and progress is not None:
            progress(len(finished), replicates)

    if executor is None:
        for task in tasks:
            complete(run_chunk(task))
    else:
        _run_on(executor, tasks, complete, max_pending or 2 * (os.cpu_count() or 1))

    rows = [finished[i] for i in range(replicates)]
    frame = pd.DataFrame([{"replicate": r.replicate, "seed": r.seed, **r.outcomes} for r in rows])
    if frame.empty:
        frame = pd.DataFrame({"replicate": pd.Series(dtype="int64"), "seed": pd.Series(dtype="int64")})
    value_columns = sorted(str(c) for c in frame.columns if c not in ID_COLUMNS)
    frame = frame[[*ID_COLUMNS, *value_columns]].astype({"replicate": "int64", "seed": "int64"})
    frame[value_columns] = frame[value_columns].astype("float64")
    return EnsembleResults(
        ensemble_id=ensemble_id,
        scenario_name=scenario.name,
        scenario_hash=digest,
        root_seed=root,
        seeds=seeds,
        summaries=[r.summary for r in rows],
        outcomes=frame,
        out_dir=None if out_dir is None else Path(out_dir),
        chunk_files=[Path(out_dir or ".") / name for name in sorted(chunk_files)],
        resumed=resumed,
    )


def _run_on(
    executor: Executor, tasks: list[ChunkTask], complete: Callable[[ChunkResult, bool], None], max_pending: int
) -> None:
    """Submit tasks (at most ``max_pending`` outstanding) and hand results to ``complete`` as they finish."""
    queue = list(reversed(tasks))
    pending: dict[Future[ChunkResult], ChunkTask] = {}
    try:
        while queue or pending:
            while queue and len(pending) < max_pending:
                task = queue.pop()
                pending[executor.submit(run_chunk, task)] = task
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: pending[f].replicates[0]):
                del pending[future]
                complete(future.result(), True)
    except BaseException:
        for future in pending:
            future.cancel()
        # Keep chunks that finished meanwhile (best effort: they are already computed).
        for future in sorted(pending, key=lambda f: pending[f].replicates[0]):
            if future.done() and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(Exception):  # the original exception is the one to report
                    complete(future.result(), False)
        raise
