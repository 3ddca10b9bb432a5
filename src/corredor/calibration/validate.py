"""`validate_history`: how well the calibrated history reproduces and forecasts the observed series.

For each observed series (CBP apprehensions of GTM, HND, SLV citizens by US fiscal year; COMAR applicants; UPM
presentados; COMAR pending files at year end):

- in sample: MAPE and bias (mean signed percentage error) of the replicate mean over the calibration years
  (2013 .. the last observed year of the fit);
- out of sample: observed rows after the calibration cut-off (e.g. appended 2019 rows, read through ``folder``) are
  scored like backtest years, against the same naive forecasts;
- rolling-origin backtest: for each year Y, the flow parameters of `BACKTEST_FREE` (base departure rates, homicide
  elasticities and lag, Mexican detection, re-attempts, Programa Frontera Sur and its fading, deterrence by Mexican
  enforcement) are re-fitted on observations up to Y-1, warm-started from the full fit; policy events dated in Y or
  later whose size is a fitted parameter (``value_from``) take that parameter's prior (documented default), not the
  fitted value, so the forecast does not see them; the other parameters stay at the full fit, which has seen year
  Y, so this is a lenient backtest, said so in the report (``refit="all"`` re-fits every free parameter instead:
  the strict backtest); the scenario is run through Y and the 1-year-ahead absolute percentage error is set next to
  persistence (last observed value) and a linear trend through the last three observed years;
- how well the observations pin down each fitted parameter: approximate 90 % intervals from the Jacobian at the
  fitted values (`uncertainty`);
- what is left unexplained: the Northern Triangle's CBP residual by fiscal year next to the observed apprehensions
  of unaccompanied children and family-unit members (`residuals`; table and unexplained.png);
- figures: observed points against the simulated median with its 5-95 % replicate band (PNG, matplotlib).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from corredor import data
from corredor.calibration import loss as L
from corredor.calibration import residuals, space, uncertainty
from corredor.calibration.fit import calibrate
from corredor.calibration.runner import prepare, run_sets
from corredor.data import DataFolder
from corredor.parameters import Parameters
from corredor.scenario import parameter_value, read_scenario_dict

Say = Callable[[str], None]
LABELS = {
    f"{L.CBP}|GTM": "CBP apprehensions, Guatemalan citizens (FY)",
    f"{L.CBP}|HND": "CBP apprehensions, Honduran citizens (FY)",
    f"{L.CBP}|SLV": "CBP apprehensions, Salvadoran citizens (FY)",
    f"{L.COMAR}|ALL": "COMAR applicants (persons, calendar year)",
    f"{L.UPM}|ALL": "UPM presentados (events, calendar year)",
    f"{L.PENDING}|ALL": "COMAR pending files at year end (persons)",
}
# Re-fitted for each backtest year: the levels of the flows (base departure rates of GTM, HND, SLV); the other free
# parameters stay at the full fit.
BACKTEST_FREE = (
    "base_departures_per_year",
    "homicide_elasticity_by_nationality.GTM",
    "homicide_elasticity_by_nationality.HND",
    "homicide_elasticity_by_nationality.SLV",
    "homicide_lag_days",
    "detection_per_node",
    "enforcement.reattempt_probability",
    "frontera_sur_intensity",
    "adaptation_half_life_days",
    "mx_enforcement_elasticity",
)


def without_later_events(raw: dict[str, Any], year: int) -> dict[str, Any]:
    """A copy of the scenario dict in which policy events dated in ``year`` or later whose size is a fitted
    parameter (``value_from``) take the parameter's prior (its documented default) instead of the fitted value."""
    out = copy.deepcopy(raw)
    for item in out.get("policy", []):
        when = item["date"] if isinstance(item["date"], dt.date) else dt.date.fromisoformat(str(item["date"]))
        if item.get("value_from") and when.year >= year:
            item["value"] = parameter_value(Parameters(), str(item.pop("value_from")))
    return out


TARGET_SERIES = (f"{L.CBP}|GTM", f"{L.CBP}|HND", f"{L.CBP}|SLV", f"{L.COMAR}|ALL")


@dataclass
class Validation:
    """Tables of a validation run and the files written."""

    in_sample: pd.DataFrame
    forecasts: pd.DataFrame  # backtest and out-of-sample rows
    targets: pd.DataFrame
    simulated: pd.DataFrame  # replicate x statistic, full history
    unexplained: pd.DataFrame = field(default_factory=pd.DataFrame)  # `residuals.table`
    identification: pd.DataFrame = field(default_factory=pd.DataFrame)  # `uncertainty.intervals`
    files: list[Path] = field(default_factory=list)
    markdown: str = ""


REFITS = ("flow", "all")  # what a backtest re-fits: the flow parameters (lenient) or every free parameter (strict)


def free_backtest(refit: str = "flow") -> tuple[space.FreeParameter, ...]:
    if refit not in REFITS:
        raise ValueError(f"backtest re-fit {refit!r} -> allowed: {', '.join(REFITS)}")
    return space.find(list(BACKTEST_FREE)) if refit == "flow" else space.FREE_PARAMETERS


def naive_forecasts(obs: pd.Series, year: int) -> tuple[float, float]:
    """Persistence (value of year-1) and the linear trend through years year-3 .. year-1 (NaN when missing)."""
    persistence = float(obs.get(year - 1, np.nan))
    past = obs[(obs.index >= year - 3) & (obs.index <= year - 1)]
    if len(past) == 3:
        slope, intercept = np.polyfit(past.index.to_numpy(dtype=float), past.to_numpy(dtype=float), 1)
        trend = float(max(slope * year + intercept, 0.0))
    else:
        trend = float("nan")
    return persistence, trend


def _frame(replicates: Sequence[dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(list(replicates)).fillna(0.0)


def _ape(sim: float, obs: float) -> float:
    return float(abs(sim - obs) / obs * 100.0)


def _forecast_rows(
    kind: str, year: int, sims: pd.DataFrame, observed: pd.DataFrame, history: dict[str, pd.Series]
) -> list[dict[str, Any]]:
    rows = []
    for row in observed[observed["year"] == year].to_dict(orient="records"):
        name, stat, value = f"{row['series']}|{row['nationality']}", str(row["key"]), float(row["value"])
        if stat not in sims.columns:
            continue
        sim = float(sims[stat].mean())
        persistence, trend = naive_forecasts(history[name], year)
        rows.append(
            {
                "kind": kind,
                "series": name,
                "year": year,
                "observed": value,
                "forecast": sim,
                "ape": _ape(sim, value),
                "persistence_ape": _ape(persistence, value) if np.isfinite(persistence) else np.nan,
                "trend_ape": _ape(trend, value) if np.isfinite(trend) else np.nan,
            }
        )
    return rows


def _beats(row: pd.Series) -> bool | None:
    baselines = [b for b in (row["persistence_ape"], row["trend_ape"]) if np.isfinite(b)]
    return None if not baselines else bool(row["ape"] < min(baselines))


def validate_history(
    scenario_path: str | Path = "scenarios/history.toml",
    out_dir: str | Path = "reports/history",
    *,
    scale: int = 100,
    replicates: int = 20,
    backtest_years: Sequence[int] = (2016, 2017, 2018),
    backtest_evaluations: int = 40,
    backtest_refit: str = "flow",
    fit_replicates: int = 2,
    first_year: int = 2013,
    root_seed: int = 7,
    executor: Executor | None = None,
    folder: DataFolder = None,
    say: Say | None = None,
) -> Validation:
    """Score the scenario's history against the observations and write report.md, metrics.json and PNG figures."""
    say = say or (lambda _text: None)
    free = free_backtest(backtest_refit)  # checked before any run
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw = read_scenario_dict(scenario_path)
    record = raw.get("calibration") or {}
    cutoff = int(record.get("last_observed_year", data.CUTOFF_YEAR))
    observed = L.observed(folder)
    observed = observed[observed["year"] >= first_year]
    history: dict[str, pd.Series] = {
        str(name): group.set_index("year")["value"].sort_index()
        for name, group in observed.assign(name=observed["series"] + "|" + observed["nationality"]).groupby("name")
    }
    say(f"History ensemble: {replicates} replicates at 1 agent = {scale} persons ...")
    sims = _frame(run_sets([prepare(raw, scale)], replicates, root_seed, executor)[0])

    in_rows = []
    for row in observed[observed["year"] <= cutoff].to_dict(orient="records"):
        stat, value = str(row["key"]), float(row["value"])
        if stat in sims.columns:
            sim = float(sims[stat].mean())
            in_rows.append(
                {
                    "series": f"{row['series']}|{row['nationality']}",
                    "year": int(row["year"]),
                    "observed": value,
                    "simulated": sim,
                    "p05": float(sims[stat].quantile(0.05)),
                    "p95": float(sims[stat].quantile(0.95)),
                    "pct_error": (sim - value) / value * 100.0,
                }
            )
    in_sample = pd.DataFrame(in_rows)
    fitted_paths = set(record.get("free_parameters") or [p.path for p in space.FREE_PARAMETERS])
    fitted = tuple(p for p in space.FREE_PARAMETERS if p.path in fitted_paths)
    say(f"Fit uncertainty: {len(fitted) + 1} parameter sets around the fitted values ...")
    period_end = dt.date.fromisoformat(str(raw["period"]["end"]))
    identification = uncertainty.intervals(
        raw,
        fitted,
        L.Targets.build(L.fitted(observed[observed["year"] <= cutoff])),
        scale=scale,
        end=min(dt.date(cutoff, 12, 31), period_end),
        replicates=fit_replicates,
        root_seed=int(record.get("root_seed", 1)),
        executor=executor,
    )

    forecast_rows: list[dict[str, Any]] = []
    later = sorted({int(y) for y in observed["year"] if y > cutoff})
    for year in later:
        if dt.date(year, 12, 31) <= period_end or year <= period_end.year:
            forecast_rows += _forecast_rows("out of sample", year, sims, observed, history)
    for year in backtest_years:
        say(
            f"Backtest {year}: re-fit on observations up to {year - 1} (warm start, <= {backtest_evaluations} sets) ..."
        )
        prior = without_later_events(raw, year)
        fit = calibrate(
            prior,
            free=free,
            up_to_year=year - 1,
            first_year=first_year,
            scale=scale,
            replicates=fit_replicates,
            max_evaluations=backtest_evaluations,
            executor=executor,
            folder=folder,
        )
        refit = space.with_values(prior, free, [fit.values[p.path] for p in free])
        run = _frame(run_sets([prepare(refit, scale, dt.date(year, 12, 31))], replicates, root_seed, executor)[0])
        forecast_rows += _forecast_rows("backtest", year, run, observed, history)
    forecasts = pd.DataFrame(
        forecast_rows,
        columns=["kind", "series", "year", "observed", "forecast", "ape", "persistence_ape", "trend_ape"],
    )
    if len(forecasts):
        forecasts["beats_naive"] = [_beats(row) for _, row in forecasts.iterrows()]
    targets = target_table(in_sample, forecasts)
    report = Validation(in_sample, forecasts, targets, sims, residuals.table(observed, sims, folder), identification)
    report.files = _figures(report, observed, out, cutoff)
    if not report.unexplained.empty:
        report.files.append(residuals.figure(report.unexplained, out / "unexplained.png"))
    report.markdown = _markdown(
        report, scenario_path, record, scale, replicates, backtest_evaluations, backtest_refit, cutoff
    )
    (out / "report.md").write_text(report.markdown, encoding="utf-8")
    metrics = {
        "in_sample": in_sample.to_dict(orient="records"),
        "forecasts": forecasts.replace({np.nan: None}).to_dict(orient="records"),
        "targets": targets.to_dict(orient="records"),
        "unexplained": report.unexplained.replace({np.nan: None}).to_dict(orient="records"),
        "identification": identification.replace({np.nan: None}).to_dict(orient="records"),
    }
    (out / "metrics.json").write_text(json.dumps(metrics, indent=1, default=str), encoding="utf-8")
    report.files += [out / "report.md", out / "metrics.json"]
    return report


def target_table(in_sample: pd.DataFrame, forecasts: pd.DataFrame) -> pd.DataFrame:
    """The issue's targets: in-sample MAPE per target series, and the backtest's three shares (series-years without
    naive forecasts count in the first and third, as misses in the third)."""
    rows = []
    for name in TARGET_SERIES:
        mine = in_sample[in_sample["series"] == name]
        if len(mine):
            mape = float(mine["pct_error"].abs().mean())
            rows.append(
                {
                    "target": f"in-sample MAPE, {LABELS[name]}",
                    "value": f"{mape:.1f} %",
                    "goal": "<= 10 %",
                    "met": mape <= 10,
                }
            )
    back = forecasts[forecasts["kind"] == "backtest"] if len(forecasts) else forecasts
    if len(back):
        within = float((back["ape"] <= 15).mean())
        rows.append(
            {
                "target": "backtest: 1-year-ahead abs. error <= 15 %",
                "value": f"{within:.0%} of {len(back)}",
                "goal": ">= 2/3",
                "met": within >= 2 / 3,
            }
        )
        compared = back["beats_naive"].dropna()
        share = float(compared.astype(bool).mean()) if len(compared) else float("nan")
        rows.append(
            {
                "target": "backtest: better than both naive forecasts",
                "value": f"{share:.0%} of {len(compared)}",
                "goal": ">= 2/3",
                "met": bool(share >= 2 / 3),
            }
        )
        both = back[(back["ape"] <= 15) & (back["beats_naive"].fillna(False).astype(bool))]
        rows.append(
            {
                "target": "backtest: both at once (<= 15 % and better than naive; n/a naive counts as a miss)",
                "value": f"{len(both) / len(back):.0%} of {len(back)} ({len(both)} of the {len(compared)} with naive)",
                "goal": ">= 2/3",
                "met": len(both) / len(back) >= 2 / 3,
            }
        )
    return pd.DataFrame(rows, columns=["target", "value", "goal", "met"])


def _figures(report: Validation, observed: pd.DataFrame, out: Path, cutoff: int) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = []
    sims = report.simulated
    for name, label in LABELS.items():
        series, nat = name.split("|")
        obs = observed[(observed["series"] == series) & (observed["nationality"] == nat)].sort_values("year")
        cols = sorted((c for c in sims.columns if c.startswith(name + "|")), key=lambda c: int(c.rsplit("|", 1)[1]))
        if obs.empty or not cols:
            continue
        years = [int(c.rsplit("|", 1)[1]) for c in cols]
        fig, ax = plt.subplots(figsize=(7, 4))
        ax.fill_between(
            years, sims[cols].quantile(0.05), sims[cols].quantile(0.95), alpha=0.25, label="simulated 5-95 %"
        )
        ax.plot(years, sims[cols].median(), label="simulated median")
        ax.plot(obs["year"], obs["value"], "o", color="black", label="observed")
        back = report.forecasts
        back = back[(back["series"] == name) & (back["kind"] == "backtest")] if len(back) else back
        if len(back):
            ax.plot(back["year"], back["forecast"], "x", color="red", markersize=9, label="backtest forecast")
        ax.axvline(cutoff + 0.5, color="grey", linestyle="--", linewidth=1)
        ax.set_title(label)
        ax.set_xlabel("year")
        ax.legend(fontsize=8)
        ax.set_ylim(bottom=0)
        fig.tight_layout()
        path = out / f"{series}_{nat}.png"
        fig.savefig(path, dpi=100)
        plt.close(fig)
        files.append(path)
    return files


def _table(frame: pd.DataFrame, formats: dict[str, str]) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    for row in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, row, strict=True):
            if isinstance(value, float) and not np.isfinite(value):
                cells.append("n/a")
            elif column in formats and isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(format(value, formats[column]))
            else:
                cells.append(str(value))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _number(value: float) -> str:
    """Three significant digits, with thousands separators from 1,000 on; n/a for NaN."""
    if not np.isfinite(value):
        return "n/a"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _identification_section(frame: pd.DataFrame) -> list[str]:
    if frame.empty:
        return []
    shown = frame.assign(
        width=[f"{w:.0%}" if np.isfinite(w) else "n/a" for w in frame["width_share"]],
        **{c: [_number(v) for v in frame[c]] for c in ("value", "low", "high")},
    ).drop(columns="width_share")
    narrow = int((frame["width_share"] <= 0.5).sum())
    return [
        "## How well the data pin down the fitted parameters",
        "",
        "Approximate 90 % intervals from the Jacobian of the weighted residuals at the fitted values (linearised",
        "least squares, the fit's replicate seeds; `corredor.calibration.uncertainty`), clipped to the bounds.",
        "`width` is the interval's share of the bounds (on log scale for log parameters): 100 % means the",
        f"observations do not pin the parameter down within its bounds. {narrow} of {len(frame)} intervals are",
        "at most half their bounds. The intervals are rough (non-linear model, few targets per parameter,",
        "simulation noise in the Jacobian); read them as which parameters the data constrain, not as a posterior.",
        "",
        _table(shown[["parameter", "value", "low", "high", "width", "bounds"]], {}),
        "",
    ]


def _unexplained_section(frame: pd.DataFrame) -> list[str]:
    if frame.empty:
        return []
    findings = []
    for column, what in (
        ("children_and_families", "children and family-unit members"),
        ("family_members", "family-unit members"),
    ):
        r, n = residuals.correlation(frame, column)
        if np.isfinite(r):
            findings.append(f"with the apprehensions of {what}, {r:+.2f} over {n} years")
    finding = (
        "Correlation of the residual " + "; ".join(findings) + "."
        if findings
        else "No correlation is given: fewer than three years have both the residual and these counts."
    )
    return [
        "## What the model does not explain",
        "",
        "CBP apprehensions of Guatemalan, Honduran and Salvadoran citizens together (fiscal years), observed minus",
        "simulated, next to the Border Patrol's observed apprehensions of unaccompanied children and of family-unit",
        "members (all nationalities; n/a where the data hold no sourced row). The model has one kind of traveller",
        f"and no input for US policy towards children and families. {finding}",
        "",
        _table(frame, {c: ",.0f" for c in frame.columns if c != "fiscal_year"}),
        "",
    ]


def _backtest_method(refit: str, evals: int) -> list[str]:
    refitted = (
        [
            f"Backtest: for each year Y, {len(free_backtest(refit))} flow parameters (base departure rates, homicide",
            "elasticities and lag, detection, re-attempts in Mexico, Programa Frontera Sur and its fading, deterrence",
            f"by Mexican enforcement) are re-fitted on observations up to Y-1 (at most {evals} parameter sets each,",
            "warm-started from the full fit). The other parameters stay at the full fit, which has seen year Y: a",
            "lenient backtest (`--backtest-refit all` re-fits every free parameter).",
        ]
        if refit == "flow"
        else [
            f"Backtest: for each year Y, all {len(free_backtest(refit))} free parameters are re-fitted on observations",
            f"up to Y-1 (the three stages of `corredor calibrate`, at most {evals} parameter sets each, warm-started",
            "from the full fit): a strict backtest, though its starting point has seen year Y.",
        ]
    )
    return [
        *refitted,
        "Policy events from Y on whose size is a fitted parameter take its prior value instead. Then the history",
        "runs through Y with the recorded inputs of Y.",
    ]


def _markdown(
    report: Validation,
    scenario: str | Path,
    record: dict[str, Any],
    scale: int,
    replicates: int,
    evals: int,
    refit: str,
    cutoff: int,
) -> str:
    ins = report.in_sample
    per_series = (
        (
            ins.assign(abs_err=ins["pct_error"].abs())
            .groupby("series", sort=False)
            .agg(years=("year", lambda y: f"{min(y)}-{max(y)}"), mape=("abs_err", "mean"), bias=("pct_error", "mean"))
            .reset_index()
        )
        if len(ins)
        else pd.DataFrame(columns=["series", "years", "mape", "bias"])
    )
    per_series["series"] = per_series["series"].map(lambda n: LABELS.get(n, n))
    years = ins.assign(series=ins["series"].map(lambda n: LABELS.get(n, n)))
    fc = report.forecasts.assign(series=report.forecasts["series"].map(lambda n: LABELS.get(n, n)))
    lines = [
        "# Validation against history",
        "",
        f"Scenario `{scenario}`, {replicates} replicates at 1 agent = {scale} persons; calibration cut-off "
        f"{cutoff} (fit of {record.get('fitted_on', 'unknown date')}, loss {record.get('loss', 'n/a')}, "
        f"{record.get('replicates', '?')} replicates at scale {record.get('scale', '?')}).",
        "Simulated values are replicate means; percentage errors are (simulated - observed) / observed.",
        "",
        "## Targets",
        "",
        _table(report.targets, {}),
        "",
        "## In sample",
        "",
        _table(per_series.rename(columns={"mape": "MAPE %", "bias": "bias %"}), {"MAPE %": ".1f", "bias %": "+.1f"}),
        "",
        _table(years, {"observed": ",.0f", "simulated": ",.0f", "p05": ",.0f", "p95": ",.0f", "pct_error": "+.1f"}),
        "",
        "## Backtest and out of sample",
        "",
        *_backtest_method(refit, evals),
        "Out of sample: observed rows after the cut-off, scored the same way. Naive forecasts: persistence (Y-1) and",
        "the linear trend through Y-3..Y-1 (n/a where those observations are missing). Errors are absolute %.",
        "",
        _table(
            fc.rename(columns={"ape": "model", "persistence_ape": "persistence", "trend_ape": "trend"}),
            {"observed": ",.0f", "forecast": ",.0f", "model": ".1f", "persistence": ".1f", "trend": ".1f"},
        ),
        "",
        *_identification_section(report.identification),
        *_unexplained_section(report.unexplained),
        "## Figures",
        "",
    ]
    lines += [f"![{p.stem}]({p.name})" for p in report.files]
    return "\n".join(lines) + "\n"
