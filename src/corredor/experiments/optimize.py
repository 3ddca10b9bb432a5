"""Policy search under a budget: which mix of levers best meets the targets, robustly across the uncertainties.

Method (deliberately simple and reproducible):

1. **Candidates.** A scrambled Sobol sample of the lever box (each lever's ``low..high``), drawn 4x larger than
   needed and filtered by the budget (yearly cost above the scenario's own values, `corredor.experiments.costs`):
   the first ``candidates`` points within budget are kept. The scenario as it is ("baseline": every lever at its
   baseline value) is always candidate 0.
2. **Robust evaluation.** Every candidate runs on the same ``uncertainty_samples`` points (LHS of the declared
   uncertainties) x the same ``replicates`` seeds (common random numbers), so candidates differ only by their
   levers. An objective's score is its ``quantile`` (default 0.9) over those runs: a candidate must do well in bad
   cases too, not only on average.
3. **Targets.** The ``quantile`` of the mean time COMAR files have waited (working days, all offices: decided files
   to their decision, abandoned ones to their abandonment, pending ones so far; `Results.time_waited_working_days`)
   must not exceed ``max_wait_working_days`` (default 45, the legal deadline). The wait of decided files alone would
   reward leaving old files undecided, and, when ``min_within_deadline`` is set, the
   ``1 - quantile`` quantile of the share of files decided within the deadline (`Results.deadline_met`: files left
   pending past it count as late, which the mean wait of decided files does not see) must reach it; candidates that
   fail either are infeasible.
4. **Best and refinement.** The best feasible candidate minimises the sum of its scores, each divided by the mean
   score of all candidates evaluated (so objectives in different units weigh equally; a zero mean counts as 1). A second
   round samples ``refine`` Sobol points in a box one quarter as wide around the best (in unit coordinates), again
   within budget, and evaluates them on the same runs.
5. **Frontier.** The Pareto set: feasible candidates not dominated on (scores..., cost) by another feasible one.
6. **Noise.** Each objective's score carries its run-to-run noise, the bootstrap standard error of the quantile over
   the candidate's runs (``<objective>_q_se``): candidates whose scores differ by less than about two of them are not
   told apart by these runs, whatever their order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corredor.experiments.costs import LEVER_COSTS
from corredor.experiments.design import Design, Factor, sample, scale_unit, unit_sample
from corredor.experiments.outcomes import design_outcomes
from corredor.experiments.spec import DecisionLever, OptimizeSettings
from corredor.scenario import LEVERS, Scenario

WAIT = "asylum_time_waited_working_days"
WITHIN = "asylum_within_deadline"


def baseline_values(scenario: Scenario, levers: Sequence[DecisionLever]) -> list[float]:
    """Each lever's value in the scenario on its date (``baseline`` where the file states it)."""
    from corredor.engine.inputs import compile_scenario

    compiled = None
    values = []
    for lever in levers:
        if lever.baseline is not None:
            values.append(float(lever.baseline))
            continue
        if compiled is None:
            compiled = compile_scenario(scenario)
        name = lever.path.removeprefix("lever.")
        day = min(max(((lever.date or scenario.period.start) - scenario.period.start).days, 0), compiled.days - 1)
        array = compiled.levers[name]
        kind = LEVERS[name].target
        if kind is None:
            values.append(float(array[day]))
        elif kind == "nationality":
            values.append(float(array[day, compiled.nationalities.index(lever.target or "")]) if lever.target else 0.0)
        else:
            values.append(float(array[day, compiled.network.index(lever.target)]) if lever.target else 0.0)
    return values


def unit_costs(levers: Sequence[DecisionLever]) -> list[float]:
    """USD per unit per year of each lever (the file's ``cost_usd_per_unit``, else `LEVER_COSTS`, else 0)."""
    out = []
    for lever in levers:
        known = LEVER_COSTS.get(lever.path.removeprefix("lever."))
        if lever.cost_usd_per_unit is not None:
            out.append(lever.cost_usd_per_unit)
        else:
            out.append(known.usd_per_unit if known else 0.0)
    return out


def cost_musd(values: NDArray[np.float64], baseline: Sequence[float], costs: Sequence[float]) -> NDArray[np.float64]:
    """Yearly cost in USD million of each candidate (rows of ``values``)."""
    extra = np.maximum(np.asarray(values, dtype=np.float64) - np.asarray(baseline), 0.0)
    return np.asarray(extra @ np.asarray(costs, dtype=np.float64) / 1e6, dtype=np.float64)


def pareto_mask(scores: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Rows not dominated (all columns minimised): no other row is <= everywhere and < somewhere."""
    n = len(scores)
    keep = np.ones(n, dtype=bool)
    for i in range(n):
        if np.isnan(scores[i]).any():
            keep[i] = False
            continue
        others = np.delete(scores, i, axis=0)
        others = others[~np.isnan(others).any(axis=1)]
        dominated = np.all(others <= scores[i], axis=1) & np.any(others < scores[i], axis=1)
        keep[i] = not dominated.any()
    return keep


def _within_budget(
    levers: Sequence[DecisionLever],
    unit: NDArray[np.float64],
    baseline: Sequence[float],
    costs: Sequence[float],
    budget: float,
    wanted: int,
) -> NDArray[np.float64]:
    values = scale_unit(levers, unit)
    ok = cost_musd(values, baseline, costs) <= budget + 1e-9
    return np.asarray(values[ok][:wanted], dtype=np.float64)


@dataclass
class OptimizeResult:
    """Every candidate with its lever values, cost, scores, feasibility and Pareto membership."""

    levers: list[str]
    objectives: list[str]
    # candidate, round, <lever>..., cost_musd, wait_q, <objective>_q..., <objective>_q_se..., feasible, pareto, score
    table: pd.DataFrame
    best: int | None  # candidate id of the best feasible candidate
    runs: int

    def frontier(self) -> pd.DataFrame:
        return self.table[self.table["pareto"]].sort_values("cost_musd")


def optimize(
    scenario: Scenario,
    settings: OptimizeSettings,
    uncertainties: Sequence[Factor] = (),
    *,
    root_seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int = 2,
    out_dir: str | Path | None = None,
    max_pending: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> OptimizeResult:
    """Search the levers of ``settings`` (see the module docstring)."""
    levers = list(settings.levers)
    baseline = baseline_values(scenario, levers)
    costs = unit_costs(levers)
    budget = settings.budget_usd_million
    first = _within_budget(
        levers,
        unit_sample(len(levers), 4 * settings.candidates, "sobol", root_seed),
        baseline,
        costs,
        budget,
        settings.candidates,
    )
    u_values = (
        sample(list(uncertainties), settings.uncertainty_samples, "lhs", root_seed + 1)
        if uncertainties
        else np.zeros((1, 0))
    )
    outcomes = [WAIT, WITHIN, *settings.objectives]
    runs = 0

    def evaluate(candidates: NDArray[np.float64], stage: str) -> pd.DataFrame:
        nonlocal runs
        factors = [*levers, *uncertainties]
        rows = [np.concatenate([c, u]) for c in candidates for u in u_values]
        design = Design.from_array(factors, np.array(rows), settings.replicates, common_seeds=True)
        frame = design_outcomes(
            scenario,
            design,
            outcomes,
            root_seed=root_seed,
            executor=executor,
            chunk_size=chunk_size,
            out_dir=out_dir,
            max_pending=max_pending,
            progress=None if progress is None else (lambda done, total: progress(stage, done, total)),
        )
        runs += design.runs
        per_candidate = (frame["point"] // len(u_values)).astype(int)
        data = frame.drop(columns="point")
        # a missing wait (no decision at all) fails the target: count it as infinitely long
        data[WAIT] = data[WAIT].fillna(np.inf)
        grouped = data.groupby(per_candidate)
        scores = grouped.quantile(settings.quantile, interpolation="linear")
        # a share to maximise is scored at the other end: a candidate must reach it in bad cases too
        scores[WITHIN] = grouped[WITHIN].quantile(1 - settings.quantile, interpolation="linear")
        noise = _bootstrap_se(data, per_candidate, list(settings.objectives), settings.quantile, root_seed)
        return scores.join(noise)

    base_row = np.array([baseline], dtype=np.float64)
    table = _score_table(levers, np.vstack([base_row, first]), evaluate(np.vstack([base_row, first]), "round 1"), 1)
    table = _finish(table, settings, baseline, costs)
    best = _best(table)
    if settings.refine and best is not None:
        centre = _to_unit(levers, table.loc[best, [f.name for f in levers]].to_numpy(dtype=np.float64))
        unit = unit_sample(len(levers), 4 * settings.refine, "sobol", root_seed + 2)
        local = np.clip(centre + (unit - 0.5) * 0.25, 0, 1)
        second = _within_budget(levers, local, baseline, costs, budget, settings.refine)
        if len(second):
            more = _score_table(levers, second, evaluate(second, "refinement"), 2, start=len(table))
            table = _finish(pd.concat([table, more], ignore_index=True), settings, baseline, costs)
            best = _best(table)
    return OptimizeResult([f.name for f in levers], list(settings.objectives), table, best, runs)


BOOTSTRAP_SAMPLES = 200


def _bootstrap_se(
    data: pd.DataFrame, candidate: pd.Series, objectives: list[str], quantile: float, seed: int
) -> pd.DataFrame:
    """Run-to-run noise of each objective's score: the bootstrap standard error of the candidate's quantile over its
    runs (the runs resampled with replacement, `BOOTSTRAP_SAMPLES` times, from a generator seeded by ``seed``).
    Columns ``<objective>_se``, one row per candidate."""
    rng = np.random.default_rng([seed, 3])
    rows = {}
    for key, index in candidate.groupby(candidate).groups.items():
        values = data.loc[index, objectives].to_numpy(dtype=np.float64)
        draws = rng.integers(0, len(values), size=(BOOTSTRAP_SAMPLES, len(values)))
        scores = np.quantile(values[draws], quantile, axis=1)  # (samples, objectives)
        rows[key] = scores.std(axis=0, ddof=1) if len(values) > 1 else np.full(len(objectives), np.nan)
    return pd.DataFrame.from_dict(rows, orient="index", columns=[f"{o}_se" for o in objectives])


def _to_unit(levers: Sequence[DecisionLever], values: NDArray[np.float64]) -> NDArray[np.float64]:
    out = []
    for lever, value in zip(levers, values, strict=True):
        if lever.log:
            u = (np.log(max(value, lever.low)) - np.log(lever.low)) / (np.log(lever.high) - np.log(lever.low))
        else:
            u = (value - lever.low) / (lever.high - lever.low)
        out.append(float(np.clip(u, 0, 1)))
    return np.array(out)


def _score_table(
    levers: Sequence[DecisionLever], values: NDArray[np.float64], scores: pd.DataFrame, round_: int, start: int = 0
) -> pd.DataFrame:
    table = pd.DataFrame(values, columns=[f.name for f in levers])
    table.insert(0, "round", round_)
    table.insert(0, "candidate", np.arange(start, start + len(values)))
    for name in scores.columns:  # scores, then their bootstrap standard errors (`_bootstrap_se`)
        column = f"{name.removesuffix('_se')}_q_se" if name.endswith("_se") else f"{name}_q"
        table[column] = scores[name].to_numpy()
    return table


def _finish(
    table: pd.DataFrame, settings: OptimizeSettings, baseline: Sequence[float], costs: Sequence[float]
) -> pd.DataFrame:
    table = table.reset_index(drop=True)
    lever_columns = [f.name for f in settings.levers]
    table["cost_musd"] = cost_musd(table[lever_columns].to_numpy(dtype=np.float64), baseline, costs)
    limit, share = settings.max_wait_working_days, settings.min_within_deadline
    feasible = np.ones(len(table), dtype=bool)
    if limit is not None:
        feasible &= (table[f"{WAIT}_q"] <= limit).to_numpy()
    if share is not None:
        feasible &= (table[f"{WITHIN}_q"].fillna(0.0) >= share).to_numpy()
    table["feasible"] = feasible
    objective_columns = [f"{name}_q" for name in settings.objectives]
    reference = table[objective_columns].to_numpy(dtype=np.float64).mean(axis=0)
    reference = np.where((reference == 0) | ~np.isfinite(reference), 1.0, reference)
    table["score"] = (table[objective_columns].to_numpy(dtype=np.float64) / reference).sum(axis=1)
    pareto = np.zeros(len(table), dtype=bool)
    feasible = table["feasible"].to_numpy(dtype=bool)
    if feasible.any():
        pareto[feasible] = pareto_mask(table.loc[feasible, [*objective_columns, "cost_musd"]].to_numpy(dtype=float))
    table["pareto"] = pareto
    return table


def _best(table: pd.DataFrame) -> int | None:
    feasible = table[table["feasible"]]
    if feasible.empty:
        return None
    return int(feasible.index[int(np.argmin(feasible["score"].to_numpy()))])


def optimize_html(result: OptimizeResult, title: str, intro: str) -> str:
    """HTML report: the frontier and every candidate as tables, and score-vs-cost scatter plots (plotly, offline)."""
    import plotly.graph_objects as go

    from corredor.experiments.report import html_page, table_html

    table = result.table
    figures = []
    for objective in result.objectives:
        figure = go.Figure()
        for label, rows, symbol in (
            ("infeasible", table[~table["feasible"]], "x"),
            ("feasible", table[table["feasible"] & ~table["pareto"]], "circle"),
            ("Pareto frontier", table[table["pareto"]], "diamond"),
        ):
            figure.add_trace(
                go.Scatter(
                    x=rows["cost_musd"],
                    y=rows[f"{objective}_q"],
                    mode="markers",
                    name=label,
                    marker={"symbol": symbol, "size": 9},
                    text=[f"candidate {c}" for c in rows["candidate"]],
                )
            )
        figure.update_layout(
            title=f"{objective}: score vs cost",
            xaxis_title="cost, USD million / year",
            yaxis_title=objective,
            height=380,
        )
        figures.append((objective, figure))
    best = "" if result.best is None else table_html(table.loc[[result.best]])
    body = (
        f"<p>{intro}</p><h2>Best feasible candidate</h2>{best or '<p>none meets the target</p>'}"
        f"<h2>Pareto frontier</h2>{table_html(result.frontier())}<h2>All candidates</h2>{table_html(table)}"
    )
    return html_page(title, body, figures)
