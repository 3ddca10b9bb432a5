"""Global sensitivity analysis with SALib: Morris screening (elementary effects), then first-order and total Sobol
indices (Saltelli sampling) of the factors that survive screening, with bootstrap confidence intervals.

The pipeline works on any function ``evaluate(U) -> DataFrame`` of points ``U`` in the unit cube (rows) to outcomes
(columns), so it is tested on the Ishigami function, whose indices are known. For corredor, `corredor_evaluator`
maps the unit cube onto the uncertainties' ranges (linear or log), runs each point ``replicates_per_point`` times
with common seeds (the same seeds at every point, so the noise of the model does not masquerade as an effect) and
averages the runs of each point.

Screening keeps a factor when, for at least one outcome, its mu* (mean absolute elementary effect) reaches
``threshold`` x the largest mu* of that outcome. Factors screened out are held at the middle of their range (unit 0.5)
during the Sobol stage. Outcomes with a missing value in some run (e.g. an office with no decision) or with no
variation are reported as not analysed rather than given made-up indices.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corredor.experiments.design import Design, Factor, scale_unit
from corredor.experiments.outcomes import design_outcomes
from corredor.scenario import Scenario

Evaluate = Callable[[NDArray[np.float64]], pd.DataFrame]


@dataclass
class SensitivityResult:
    """Morris and Sobol tables (one row per outcome x factor), the factors kept, and the runs used."""

    factors: list[str]
    morris: pd.DataFrame  # outcome, factor, mu_star, mu_star_conf, sigma, mu_star_share
    kept: list[str]
    sobol: pd.DataFrame  # outcome, factor, S1, S1_conf, ST, ST_conf
    evaluations: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # outcome -> why it was not analysed

    def drivers(self, min_total: float = 0.1) -> dict[str, list[str]]:
        """Per outcome, the factors whose total index ST reaches ``min_total`` beyond doubt (ST minus its confidence
        half-width), largest first."""
        out: dict[str, list[str]] = {}
        for outcome, rows in self.sobol.groupby("outcome", sort=False):
            rows = rows.sort_values("ST", ascending=False)
            out[str(outcome)] = [str(f) for f in rows.loc[rows["ST"] - rows["ST_conf"] >= min_total, "factor"]]
        return out

    def possible_drivers(self, min_total: float = 0.1) -> dict[str, list[str]]:
        """Per outcome, the factors whose ST reaches ``min_total`` but whose interval reaches below it."""
        out: dict[str, list[str]] = {}
        for outcome, rows in self.sobol.groupby("outcome", sort=False):
            rows = rows.sort_values("ST", ascending=False)
            unclear = (rows["ST"] >= min_total) & (rows["ST"] - rows["ST_conf"] < min_total)
            out[str(outcome)] = [str(f) for f in rows.loc[unclear, "factor"]]
        return out

    def driver_text(self, outcome: str, min_total: float = 0.1) -> str:
        """The drivers of one outcome in words, with the possible ones apart."""
        sure = self.drivers(min_total).get(outcome, [])
        maybe = self.possible_drivers(min_total).get(outcome, [])
        text = ", ".join(sure) if sure else f"no single uncertainty for sure (no total index clearly >= {min_total})"
        if maybe:
            text += f"; possibly {', '.join(maybe)} (interval reaches below {min_total}: more samples would tell)"
        return text


def _problem(names: Sequence[str]) -> dict[str, object]:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _usable(y: NDArray[np.float64]) -> str | None:
    if np.isnan(y).any():
        return f"missing in {int(np.isnan(y).sum())} of {len(y)} evaluations"
    if np.ptp(y) == 0:
        return "no variation"
    return None


def morris_screening(
    names: Sequence[str], evaluate: Evaluate, trajectories: int, levels: int, seed: int, confidence: float = 0.95
) -> tuple[pd.DataFrame, int, dict[str, str]]:
    """Morris elementary effects: (table, evaluations, skipped outcomes)."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = _problem(names)
    unit = morris_sample.sample(problem, trajectories, num_levels=levels, seed=seed)
    outputs = evaluate(unit)
    rows, skipped = [], {}
    for outcome in outputs.columns:
        y = outputs[outcome].to_numpy(dtype=np.float64)
        why = _usable(y)
        if why:
            skipped[str(outcome)] = why
            continue
        res = morris_analyze.analyze(problem, unit, y, num_levels=levels, conf_level=confidence, seed=seed)
        largest = float(np.max(res["mu_star"])) or 1.0
        for j, name in enumerate(names):
            rows.append(
                {
                    "outcome": str(outcome),
                    "factor": name,
                    "mu_star": float(res["mu_star"][j]),
                    "mu_star_conf": float(res["mu_star_conf"][j]),
                    "sigma": float(res["sigma"][j]),
                    "mu_star_share": float(res["mu_star"][j]) / largest,
                }
            )
    columns = ["outcome", "factor", "mu_star", "mu_star_conf", "sigma", "mu_star_share"]
    return pd.DataFrame(rows, columns=columns), len(unit), skipped


def sobol_indices(
    names: Sequence[str],
    kept: Sequence[int],
    evaluate: Evaluate,
    n: int,
    seed: int,
    confidence: float = 0.95,
) -> tuple[pd.DataFrame, int, dict[str, str]]:
    """First-order and total Sobol indices of the factors ``kept`` (others at unit 0.5): (table, evaluations,
    skipped outcomes)."""
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    problem = _problem([names[j] for j in kept])
    part = sobol_sample.sample(problem, n, calc_second_order=False, seed=seed)
    unit = np.full((len(part), len(names)), 0.5)
    unit[:, list(kept)] = part
    outputs = evaluate(unit)
    rows, skipped = [], {}
    for outcome in outputs.columns:
        y = outputs[outcome].to_numpy(dtype=np.float64)
        why = _usable(y)
        if why:
            skipped[str(outcome)] = why
            continue
        res = sobol_analyze.analyze(problem, y, calc_second_order=False, conf_level=confidence, seed=seed)
        for i, j in enumerate(kept):
            rows.append(
                {
                    "outcome": str(outcome),
                    "factor": names[j],
                    "S1": float(res["S1"][i]),
                    "S1_conf": float(res["S1_conf"][i]),
                    "ST": float(res["ST"][i]),
                    "ST_conf": float(res["ST_conf"][i]),
                }
            )
    return pd.DataFrame(rows, columns=["outcome", "factor", "S1", "S1_conf", "ST", "ST_conf"]), len(unit), skipped


def analyse(
    names: Sequence[str],
    evaluate: Evaluate,
    *,
    trajectories: int = 10,
    levels: int = 4,
    threshold: float = 0.1,
    sobol_n: int = 64,
    seed: int = 0,
    confidence: float = 0.95,
) -> SensitivityResult:
    """Morris screening, then Sobol indices of the surviving factors (see the module docstring)."""
    if len(names) < 2:
        raise ValueError(f"sensitivity needs at least 2 uncertainties, got {len(names)}")
    morris, used_morris, skipped = morris_screening(names, evaluate, trajectories, levels, seed, confidence)
    share = morris.groupby("factor")["mu_star_share"].max() if not morris.empty else pd.Series(dtype=float)
    kept = [j for j, name in enumerate(names) if share.get(name, 0.0) >= threshold]
    sobol = pd.DataFrame(columns=["outcome", "factor", "S1", "S1_conf", "ST", "ST_conf"])
    used_sobol = 0
    if kept:
        sobol, used_sobol, more = sobol_indices(names, kept, evaluate, sobol_n, seed, confidence)
        for outcome, why in more.items():
            skipped.setdefault(outcome, why)
    # an outcome analysed by Sobol is not reported as skipped because screening could not use it
    skipped = {o: why for o, why in skipped.items() if o not in set(sobol["outcome"])}
    return SensitivityResult(list(names), morris, [names[j] for j in kept], sobol, used_morris + used_sobol, skipped)


def corredor_evaluator(
    scenario: Scenario,
    factors: Sequence[Factor],
    outcomes: Sequence[str],
    *,
    replicates_per_point: int = 1,
    root_seed: int = 0,
    executor: Executor | None = None,
    chunk_size: int = 2,
    out_dir: str | Path | None = None,
    max_pending: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> Evaluate:
    """``evaluate(U)`` for `analyse`: each unit-cube point runs ``replicates_per_point`` times (common seeds); the
    result is the mean of each outcome over a point's runs. Runs are catalogued in ``out_dir`` (resumable)."""
    calls = {"n": 0}

    def evaluate(unit: NDArray[np.float64]) -> pd.DataFrame:
        calls["n"] += 1
        stage = "screening" if calls["n"] == 1 else "Sobol indices"
        design = Design.from_array(factors, scale_unit(factors, unit), replicates_per_point, common_seeds=True)
        table = design_outcomes(
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
        # mean over a point's replicates; a point with a missing value in any replicate stays missing
        means = table.groupby("point", sort=True).mean()
        missing = table.drop(columns="point").isna().groupby(table["point"]).any()
        return means.mask(missing).reset_index(drop=True)

    return evaluate


def sensitivity_markdown(result: SensitivityResult, labels: dict[str, str] | None = None) -> str:
    """The report in Markdown: which uncertainties drive each outcome, then the Morris and Sobol tables."""
    labels = labels or {}
    lines = ["# Sensitivity analysis", "", f"{result.evaluations} evaluations. Factors: {', '.join(result.factors)}."]
    lines += [f"Kept after Morris screening: {', '.join(result.kept) or 'none'}."]
    lines += ["", "## What drives each outcome", ""]
    for outcome in result.drivers():
        lines.append(f"- **{labels.get(outcome, outcome)}**: {result.driver_text(outcome)}")
    for outcome, why in result.skipped.items():
        lines.append(f"- {labels.get(outcome, outcome)}: not analysed ({why})")
    lines += ["", "## Sobol indices (first order S1, total ST, ± confidence half-width)", ""]
    lines += ["| outcome | factor | S1 | ± | ST | ± |", "|---|---|---|---|---|---|"]
    for row in result.sobol.itertuples(index=False):
        lines.append(
            f"| {row.outcome} | {row.factor} | {row.S1:.3f} | {row.S1_conf:.3f} | {row.ST:.3f} | {row.ST_conf:.3f} |"
        )
    lines += ["", "## Morris screening (mu*, ± confidence, sigma, share of the largest mu*)", ""]
    lines += ["| outcome | factor | mu* | ± | sigma | share |", "|---|---|---|---|---|---|"]
    for m in result.morris.itertuples(index=False):
        lines.append(
            f"| {m.outcome} | {m.factor} | {m.mu_star:.4g} | {m.mu_star_conf:.3g} | {m.sigma:.4g} | "
            f"{m.mu_star_share:.2f} |"
        )
    return "\n".join(lines) + "\n"


def sensitivity_html(result: SensitivityResult, title: str) -> str:
    """HTML report: the Markdown's findings as tables plus a bar chart of S1 / ST per outcome (plotly, offline)."""
    import plotly.graph_objects as go

    from corredor.experiments.report import html_page, table_html

    figures = []
    for outcome, rows in result.sobol.groupby("outcome", sort=False):
        figure = go.Figure()
        for index, label in (("S1", "first order"), ("ST", "total")):
            figure.add_trace(
                go.Bar(
                    x=rows["factor"],
                    y=rows[index],
                    name=label,
                    error_y={"type": "data", "array": rows[f"{index}_conf"]},
                )
            )
        figure.update_layout(title=f"Sobol indices: {outcome}", barmode="group", height=360, yaxis_range=[0, 1.05])
        figures.append((str(outcome), figure))
    drivers = "".join(f"<li><b>{o}</b>: {html.escape(result.driver_text(o))}</li>" for o in result.drivers())
    skipped = "".join(f"<li>{o}: not analysed ({why})</li>" for o, why in result.skipped.items())
    body = (
        f"<p>{result.evaluations} evaluations. Kept after Morris screening: {', '.join(result.kept) or 'none'}.</p>"
        f"<h2>What drives each outcome (total index ≥ 0.1 beyond its interval)</h2><ul>{drivers}{skipped}</ul>"
        f"<h2>Sobol indices</h2>{table_html(result.sobol)}<h2>Morris screening</h2>{table_html(result.morris)}"
    )
    return html_page(title, body, figures)
