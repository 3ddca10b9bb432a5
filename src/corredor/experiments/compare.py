"""Scenario comparison: ensembles of several scenarios on common random numbers, and per outcome the difference of
each scenario from the first with a 90 % interval.

Pairing. Replicate ``i`` of every scenario runs with the same seed (``replicate_seeds(root_seed, n)[i]``) and, when
uncertainties are declared, the same sampled point ``i`` (one LHS/Sobol sample shared by all scenarios). The
difference of scenario ``k`` from the reference is therefore estimated from the paired differences
``d_i = y_k,i - y_ref,i``, whose spread excludes most of the noise the scenarios share.

Interval. The mean of ``d_i`` with a percentile bootstrap interval (2,000 resamples of the replicates, seeded, so the
report is reproducible), widened where needed to Student's t interval of the mean (the bootstrap alone is too
narrow with few pairs: with 4 it can exclude 0 where t does not); replicates where either value is missing (e.g. no
asylum decision at an office) are left out. With fewer than 2 pairs the interval is missing. A scenario is called
better or worse for an outcome only when the interval excludes 0, in the direction given by the outcome's kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from corredor.experiments.design import Design, Factor, Sampler, sample
from corredor.experiments.ensemble import EnsembleResults, run_ensemble
from corredor.experiments.outcomes import outcome_info, standard_outcomes
from corredor.experiments.spec import Outcome
from corredor.scenario import Scenario

LEVEL = 0.90
RESAMPLES = 2000


def paired_difference(
    reference: Sequence[float] | np.ndarray,
    other: Sequence[float] | np.ndarray,
    level: float = LEVEL,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> tuple[float, float, float, int]:
    """Mean paired difference ``other - reference`` with a percentile bootstrap interval, at least as wide as Student's
    t interval: (mean, low, high, pairs)."""
    a = np.asarray(reference, dtype=np.float64)
    b = np.asarray(other, dtype=np.float64)
    keep = ~(np.isnan(a) | np.isnan(b))
    d = b[keep] - a[keep]
    n = len(d)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    mean = float(d.mean())
    if n < 2:
        return mean, float("nan"), float("nan"), n
    from scipy import stats

    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, n, size=(resamples, n))].mean(axis=1)
    tail = (1 - level) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    half = float(stats.t.ppf(1 - tail, n - 1) * d.std(ddof=1) / np.sqrt(n))  # Student's t, for few pairs
    return mean, min(float(low), mean - half), max(float(high), mean + half), n


def verdict(kind: str, low: float, high: float) -> str:
    """better / worse / no clear difference (info outcomes: higher / lower / no clear difference)."""
    if np.isnan(low) or np.isnan(high) or low <= 0 <= high:
        return "no clear difference"
    up = low > 0
    if kind == "info":
        return "higher" if up else "lower"
    return "worse" if up == (kind == "minimize") else "better"


@dataclass
class Comparison:
    """Ensembles of several scenarios and the table of differences from the first."""

    names: list[str]
    ensembles: list[EnsembleResults]
    outcomes: list[Outcome]
    table: pd.DataFrame  # scenario, outcome, kind, unit, reference_mean, mean, difference, low, high, relative, ...

    def values(self, outcome: str) -> pd.DataFrame:
        """One column per scenario, one row per replicate."""
        return pd.DataFrame(
            {n: e.outcomes.get(outcome, np.nan) for n, e in zip(self.names, self.ensembles, strict=True)}
        )


def unique_names(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario names, made unique with #2, #3 ... where two scenarios share a name."""
    names: list[str] = []
    for scenario in scenarios:
        name = scenario.name
        k = 2
        while name in names:
            name = f"{scenario.name}#{k}"
            k += 1
        names.append(name)
    return names


def difference_table(
    names: list[str], ensembles: list[EnsembleResults], outcomes: list[Outcome], level: float = LEVEL
) -> pd.DataFrame:
    """Per scenario after the first and per outcome: means, paired difference, interval, relative change, verdict."""
    rows = []
    reference = ensembles[0].outcomes
    for name, ensemble in zip(names[1:], ensembles[1:], strict=True):
        for j, outcome in enumerate(outcomes):
            a = reference.get(outcome.name, pd.Series(np.nan, index=reference.index)).to_numpy(dtype=np.float64)
            frame = ensemble.outcomes
            b = frame.get(outcome.name, pd.Series(np.nan, index=frame.index)).to_numpy(dtype=np.float64)
            mean, low, high, pairs = paired_difference(a, b, level, seed=j)
            ref_mean = float(np.nanmean(a)) if np.isfinite(a).any() else float("nan")
            kind = outcome.kind or "info"
            rows.append(
                {
                    "scenario": name,
                    "outcome": outcome.name,
                    "label": outcome_info(outcome.name).label,
                    "kind": kind,
                    "unit": outcome_info(outcome.name).unit,
                    "reference_mean": ref_mean,
                    "mean": float(np.nanmean(b)) if np.isfinite(b).any() else float("nan"),
                    "difference": mean,
                    "low": low,
                    "high": high,
                    "relative": mean / ref_mean if ref_mean else float("nan"),
                    "relative_low": low / abs(ref_mean) if ref_mean else float("nan"),
                    "relative_high": high / abs(ref_mean) if ref_mean else float("nan"),
                    "pairs": pairs,
                    "verdict": verdict(kind, low, high),
                }
            )
    return pd.DataFrame(rows)


def compare_scenarios(
    scenarios: Sequence[Scenario],
    replicates: int,
    *,
    root_seed: int = 0,
    outcomes: Sequence[Outcome] = (),
    uncertainties: Sequence[Factor] = (),
    sampler: Sampler = "lhs",
    executor: Executor | None = None,
    chunk_size: int = 2,
    out_dir: str | Path | None = None,
    max_pending: int | None = None,
    progress: Callable[[int, int, int], None] | None = None,
    level: float = LEVEL,
) -> Comparison:
    """Run ``replicates`` paired replicates of every scenario (see the module docstring) and compare them with the
    first. ``progress(scenario_index, done, total)``; with ``out_dir`` runs resume from its catalog (Ctrl-C keeps
    completed chunks)."""
    if len(scenarios) < 2:
        raise ValueError("compare needs at least 2 scenarios (the first is the reference)")
    declared = list(outcomes) or [Outcome(name=name) for name in _default_names()]
    design = None
    if uncertainties:
        design = Design.from_array(list(uncertainties), sample(list(uncertainties), replicates, sampler, root_seed))
    names = unique_names(scenarios)
    ensembles = []
    for k, scenario in enumerate(scenarios):

        def report(done: int, total: int, k: int = k) -> None:
            if progress is not None:
                progress(k, done, total)

        ensembles.append(
            run_ensemble(
                scenario,
                replicates,
                root_seed=root_seed,
                executor=executor,
                chunk_size=chunk_size,
                out_dir=out_dir,
                measure=standard_outcomes,
                progress=report,
                resume=out_dir is not None,
                max_pending=max_pending,
                design=design,
            )
        )
    return Comparison(names, ensembles, declared, difference_table(names, ensembles, declared, level))


def _default_names() -> list[str]:
    from corredor.experiments.outcomes import STANDARD_OUTCOMES

    return list(STANDARD_OUTCOMES)


def comparison_html(comparison: Comparison, title: str) -> str:
    """A self-contained HTML report (plotly.js inlined once; nothing loads from the internet)."""
    import plotly.graph_objects as go

    from corredor.experiments.report import html_page, table_html

    table = comparison.table
    forest = go.Figure()
    for name in comparison.names[1:]:
        rows = table[table["scenario"] == name]
        forest.add_trace(
            go.Scatter(
                x=100 * rows["relative"],
                y=rows["label"],
                mode="markers",
                name=name,
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": 100 * (rows["relative_high"] - rows["relative"]),
                    "arrayminus": 100 * (rows["relative"] - rows["relative_low"]),
                },
            )
        )
    forest.add_vline(x=0, line_dash="dot")
    forest.update_layout(
        title=f"Change from {comparison.names[0]} (% of its mean), {LEVEL:.0%} interval, paired replicates",
        xaxis_title="%",
        height=200 + 28 * len(comparison.outcomes),
        yaxis={"autorange": "reversed"},
    )
    figures = [("Differences from the reference", forest)]
    for outcome in comparison.outcomes:
        values = comparison.values(outcome.name)
        box = go.Figure()
        for name in comparison.names:
            box.add_trace(go.Box(y=values[name], name=name, boxpoints="all", jitter=0.3))
        info = outcome_info(outcome.name)
        box.update_layout(title=f"{info.label} ({info.unit}; {outcome.kind})", showlegend=False, height=360)
        figures.append((info.label, box))
    shown = table.assign(
        relative=lambda t: (100 * t["relative"]).round(1),
        interval=lambda t: [f"{lo:,.4g} to {hi:,.4g}" for lo, hi in zip(t["low"], t["high"], strict=True)],
    )[["scenario", "label", "kind", "unit", "reference_mean", "mean", "difference", "interval", "relative", "verdict"]]
    intro = (
        f"<p>Reference: <b>{comparison.names[0]}</b>. {len(comparison.ensembles[0].seeds)} replicates per scenario, "
        "paired by replicate seed (common random numbers) and uncertainty sample. Difference = mean of the paired "
        f"differences, with a {LEVEL:.0%} percentile-bootstrap interval (relative: % of the reference mean).</p>"
    )
    return html_page(title, intro + table_html(shown), figures)
