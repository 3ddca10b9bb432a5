"""`calibrate`: bounded least squares on replicate-averaged log ratios, and `write_calibrated` (TOML).

The scenario (by default scenarios/history.toml, 2012-2019) is cut at the end of the last calibration year, so no
later outcome and no later input enters. The optimiser is scipy's trust-region reflective least squares
(``least_squares(method="trf")``) in the unit box of the free parameters (`corredor.calibration.space`); the
Jacobian is taken by forward differences of step ``diff_step`` in that box, all columns simulated in one batch
on the executor, with the same replicate seeds as the centre point (common random numbers), so the differences
measure the parameters and not the seeds. The fit stops after ``max_evaluations`` simulated parameter sets and
returns the best set seen.

The loss has several local minima in the flow parameters (e.g. a strong Programa Frontera Sur with little
deterrence, or the reverse), so with ``starts`` > 1 the flow stage runs least squares from the current values and
from ``starts`` - 1 more points of a seeded Latin hypercube in the unit box, and keeps the best.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import math
import re
import time
import tomllib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import least_squares
from scipy.stats import qmc

from corredor import data
from corredor.calibration import loss as L
from corredor.calibration import space
from corredor.calibration.runner import mean, prepare, run_sets
from corredor.data import DataFolder
from corredor.scenario import CalibrationRecord, read_scenario_dict

Progress = Callable[[int, float, float], None]  # evaluations so far, loss now, best loss


class _Budget(Exception):
    """The evaluation budget is spent."""


@dataclass
class FitResult:
    """Fitted values (by path), the loss before and after, and the provenance record written with them."""

    values: dict[str, float]
    record: CalibrationRecord
    params: tuple[space.FreeParameter, ...]
    history: list[float] = field(default_factory=list)  # loss of every evaluated parameter set, in order


def observed_sha256(folder: DataFolder = None) -> dict[str, str]:
    """sha256 of each observed CSV (the data vintage)."""
    out = {}
    for name in ("cbp", "comar", "upm"):
        dataset = data.DATASETS[name]
        path = data._locate(dataset, folder)  # the loaders' own file resolver
        out[dataset.file] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def calibrate(
    scenario_path: str | Path | dict[str, Any],
    *,
    free: tuple[space.FreeParameter, ...] = space.FREE_PARAMETERS,
    stages: Sequence[tuple[space.FreeParameter, ...]] | None = None,
    up_to_year: int = data.CUTOFF_YEAR,
    first_year: int = 2013,
    scale: int = 100,
    replicates: int = 2,
    root_seed: int = 1,
    max_evaluations: int = 240,
    diff_step: float = 0.08,
    start: dict[str, float] | None = None,
    starts: int = 1,
    start_seed: int = 0,
    executor: Executor | None = None,
    folder: DataFolder = None,
    progress: Progress | None = None,
    checkpoint: Callable[[FitResult], object] | None = None,
) -> FitResult:
    """Fit ``free`` to the targets of ``first_year`` .. ``up_to_year`` (earlier years of the run are a warm-up);
    ``start`` overrides the starting values (a warm start).

    ``stages`` (default: the asylum block, the flow block, then the asylum block again, when ``free`` is the full
    set; else one stage) are
    fitted in turn, each from where the previous stopped, sharing the evaluation budget in proportion to their
    Jacobian sizes (parameters + 1, times ``starts`` for a multi-start stage); every stage scores all targets.
    ``starts`` > 1 runs the flow stage of the default stages (or the one stage of a subset) from the current values
    and ``starts`` - 1 Latin-hypercube points (seed ``start_seed``), each start with an equal share of what is left
    of the stage's budget; fewer starts are made when the stage's budget would give a start less than two
    Jacobians' worth of evaluations (the record says how many ran). The best start is the one with the lowest loss
    on the fit's replicate seeds, so with few replicates it can be a point that fits their noise: validate on other
    seeds (`corredor validate-history`). ``checkpoint`` receives the best fit so far whenever it improves
    (e.g. to write it, so an interrupted fit leaves its best result)."""
    if starts < 1:
        raise ValueError(f"starts must be >= 1, got {starts}")
    if not 0 <= start_seed < 2**32:
        raise ValueError(f"start_seed must be between 0 and 2**32 - 1, got {start_seed}")
    started = time.perf_counter()
    raw = copy.deepcopy(scenario_path) if isinstance(scenario_path, dict) else read_scenario_dict(scenario_path)
    if start:
        raw = space.with_values(raw, free, [start.get(p.path, space.read(raw, p)) for p in free])
    frame = L.fitted(L.observed(folder, up_to_year))
    frame = frame[frame["year"] >= first_year]
    if frame.empty:
        raise ValueError(f"no observations between {first_year} and {up_to_year}")
    targets = L.Targets.build(frame)
    end = dt.date(up_to_year, 12, 31)
    period_start = dt.date.fromisoformat(str(raw["period"]["start"]))
    if end <= period_start:
        raise ValueError(f"up_to_year {up_to_year} ends before the scenario starts ({period_start})")
    end = min(end, dt.date.fromisoformat(str(raw["period"]["end"])))
    if stages is None:
        stages = [space.ASYLUM_BLOCK, space.FLOW_BLOCK, space.ASYLUM_BLOCK] if free == space.FREE_PARAMETERS else [free]
    history: list[float] = []
    best: dict[str, Any] = {"loss": math.inf, "raw": raw}
    multi = [1 if len(stages) > 1 and block == space.ASYLUM_BLOCK else starts for block in stages]
    starts_made = [1]  # most starts any stage made (fewer than asked when its budget is short)

    def result() -> FitResult:
        values = space.values_of(best["raw"], free)
        record = CalibrationRecord(
            fitted_on=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            method=(
                f"{len(stages)} stage(s) of scipy.optimize.least_squares (trf, bounded, unit box; forward-difference "
                f"Jacobian, step {diff_step}) on replicate-mean log ratios, series weighted equally, common random "
                "numbers"
                + (
                    f"; {'the flow stage' if len(stages) > 1 else 'the stage'} from {starts_made[0]} starting points "
                    f"(the values at its start and {starts_made[0] - 1} Latin-hypercube points, seed {start_seed})"
                    if starts_made[0] > 1
                    else ""
                )
            ),
            loss=round(best["loss"], 6),
            loss_at_start=round(history[0] if history else math.nan, 6),
            scale=scale,
            replicates=replicates,
            root_seed=root_seed,
            last_observed_year=int(frame["year"].max()),
            observed_sha256=observed_sha256(folder),
            evaluations=len(history),
            wall_s=round(time.perf_counter() - started, 1),
            free_parameters=[p.path for p in free],
        )
        return FitResult({p.path: float(v) for p, v in zip(free, values, strict=True)}, record, free, list(history))

    def improved() -> None:
        if checkpoint is not None:
            checkpoint(result())

    for number, block in enumerate(stages):
        weights = [(len(b) + 1) * m for b, m in zip(stages[number:], multi[number:], strict=True)]
        stage_budget = len(history) + (max_evaluations - len(history)) * weights[0] // sum(weights)
        points: list[NDArray[np.float64] | None] = [None]  # None: the values at the stage's start
        affordable = max(1, (stage_budget - len(history)) // (2 * (len(block) + 1)))
        n_starts = min(multi[number], affordable)
        if n_starts > 1:
            points += list(qmc.LatinHypercube(d=len(block), seed=start_seed).random(n_starts - 1))
            starts_made[0] = max(starts_made[0], n_starts)
        stage_start = best["raw"]
        for k, u0 in enumerate(points):
            budget = len(history) + (stage_budget - len(history)) // (len(points) - k)
            _fit_stage(
                best,
                block,
                targets,
                scale,
                end,
                replicates,
                root_seed,
                budget,
                diff_step,
                executor,
                history,
                progress,
                improved,
                stage_start if u0 is None else space.with_values(stage_start, block, space.from_unit(block, u0)),
            )
    return result()


def residuals_at(
    candidates: Sequence[dict[str, Any]],
    targets: L.Targets,
    scale: int,
    end: dt.date,
    replicates: int,
    root_seed: int,
    executor: Executor | None,
) -> list[NDArray[np.float64]]:
    """The weighted residuals of each candidate scenario dict: its history cut at ``end``, replicate means."""
    runs = run_sets([prepare(c, scale, end) for c in candidates], replicates, root_seed, executor)
    return [targets.residuals(mean(reps)) for reps in runs]


def forward_jacobian(
    u: NDArray[np.float64],
    diff_step: float,
    residuals_of: Callable[[list[NDArray[np.float64]]], list[NDArray[np.float64]]],
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The residuals at ``u`` (a point of the unit box) and their forward-difference Jacobian: each parameter moved
    by ``diff_step`` (backwards where that would leave the box); ``residuals_of`` scores all points in one batch."""
    steps = [diff_step if u[i] + diff_step <= 1 else -diff_step for i in range(len(u))]
    shifted = []
    for i, h in enumerate(steps):
        v = u.copy()
        v[i] += h
        shifted.append(v)
    centre, *columns = residuals_of([u, *shifted])
    return centre, np.stack([(c - centre) / h for c, h in zip(columns, steps, strict=True)], axis=1)


def _fit_stage(
    best: dict[str, Any],
    free: tuple[space.FreeParameter, ...],
    targets: L.Targets,
    scale: int,
    end: dt.date,
    replicates: int,
    root_seed: int,
    budget: int,
    diff_step: float,
    executor: Executor | None,
    history: list[float],
    progress: Progress | None,
    improved: Callable[[], None],
    raw: dict[str, Any],
) -> float:
    """One least-squares run over ``free`` from the scenario dict ``raw``; updates ``best`` (loss, raw); returns the
    loss at the starting point."""
    u0 = space.to_unit(free, space.values_of(raw, free))
    cache: dict[tuple[float, ...], NDArray[np.float64]] = {}

    def simulate_points(points: list[NDArray[np.float64]]) -> list[NDArray[np.float64]]:
        todo = [u for u in points if tuple(u) not in cache]
        if len(history) + len(todo) > budget:
            raise _Budget
        candidates = [space.with_values(raw, free, space.from_unit(free, u)) for u in todo]
        scored = residuals_at(candidates, targets, scale, end, replicates, root_seed, executor)
        for u, candidate, res in zip(todo, candidates, scored, strict=True):
            cache[tuple(u)] = res
            value = float(np.sum(res**2))
            history.append(value)
            if value < best["loss"]:
                best.update(loss=value, raw=candidate)
                improved()
            if progress:
                progress(len(history), value, best["loss"])
        return [cache[tuple(u)] for u in points]

    def fun(u: NDArray[np.float64]) -> NDArray[np.float64]:
        return simulate_points([np.clip(u, 0, 1)])[0]

    def jac(u: NDArray[np.float64]) -> NDArray[np.float64]:
        return forward_jacobian(np.clip(u, 0, 1), diff_step, simulate_points)[1]

    try:
        loss_start = float(np.sum(fun(u0) ** 2))
    except _Budget:
        return math.nan
    with contextlib.suppress(_Budget):
        least_squares(fun, u0, jac=jac, bounds=(0.0, 1.0), method="trf", x_scale=1.0, max_nfev=10_000)
    return loss_start


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key + '"'


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(float(f"{value:.6g}"))
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def read_fitted(path: str | Path) -> dict[str, Any] | None:
    """The fitted set already written at ``path`` (parsed TOML), None when there is none."""
    if not Path(path).is_file():
        return None
    with Path(path).open("rb") as f:
        return tomllib.load(f)


def write_calibrated(
    fit: FitResult,
    path: str | Path,
    scenario_path: str | Path | None = None,
    *,
    merge: bool = False,
    previous: dict[str, Any] | None = None,
) -> Path:
    """Write the fitted values as a scenario fragment that other scenarios extend (``extends = ...``).

    With ``merge``, the values of an earlier fit (``previous``, read with `read_fitted` before the fit starts so
    that checkpoints written during the fit do not count twice; default: what ``path`` holds now) are kept and the
    new ones written over them, so a fit of a subset (``--only``) does not drop the rest; the record lists every
    fitted path and adds this fit's evaluations and wall time to the earlier ones."""
    raw: dict[str, Any] = {}
    sources: dict[str, str | None] = {}
    record = fit.record
    if merge and previous is None:
        previous = read_fitted(path)
    if merge and previous is not None:
        raw = {k: copy.deepcopy(previous[k]) for k in ("nationalities", "parameters") if k in previous}
        sources = {nat: table.pop("source", None) for nat, table in raw.get("nationalities", {}).items()}
        before = previous.get("calibration", {})
        earlier = list(before.get("free_parameters", []))
        update: dict[str, Any] = {"free_parameters": earlier + [p for p in record.free_parameters if p not in earlier]}
        if before:  # the record keeps the history of the fit: earlier passes, then this subset
            update |= {
                "method": f"{before.get('method', '?')}; then, on {len(fit.params)} of the parameters with "
                f"{record.replicates} replicates at 1 agent = {record.scale} persons: {record.method}",
                "loss_at_start": float(before.get("loss_at_start", record.loss_at_start)),
                "evaluations": int(before.get("evaluations", 0)) + record.evaluations,
                "wall_s": round(float(before.get("wall_s", 0.0)) + record.wall_s, 1),
            }
        record = record.model_copy(update=update)
    for param in fit.params:
        space.write(raw, param, fit.values[param.path])
    lines = [
        "# Fitted by `corredor calibrate` (docs/calibration.md); regenerate rather than edit by hand.",
        "# baseline.toml extends this file, and history.toml and the other shipped scenarios extend baseline.toml.",
        f"# Fitted on {scenario_path or 'the history scenario'}; provenance in [calibration].",
        "",
        "[calibration]",
    ]
    lines += [f"{k} = {_toml_value(v)}" for k, v in record.model_dump().items()]
    for nat, table in raw.get("nationalities", {}).items():
        lines += ["", f"[nationalities.{nat}]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
        refitted = any(p.path.startswith(f"nationalities.{nat}.") for p in fit.params)
        source = sources.get(nat) if not refitted else None
        lines.append(
            f"source = {_toml_value(source or f'fitted by corredor calibrate on {fit.record.fitted_on[:10]}')}"
        )
    for group, table in raw.get("parameters", {}).items():
        lines += ["", f"[parameters.{group}]"]
        lines += [f"{k} = {_toml_value(v)}" for k, v in table.items()]
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out
