"""The `corredor calibrate` and `corredor validate-history` commands (registered in `corredor.cli`)."""

from __future__ import annotations

import time
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from corredor.data import CUTOFF_YEAR
from corredor.scenario import ScenarioError

console = Console()
ROOT = Path("scenarios")
# A full calibration, as the shipped fit was made (the defaults of `corredor calibrate`; the calibration benchmark
# times it): the flow stage from 8 starting points, at most 1,400 parameter sets (about 9 min on 2 cores).
FULL_STARTS = 8
FULL_MAX_EVALUATIONS = 1400
SUBSET_MAX_EVALUATIONS = 240  # a fit of --only parameters: one start
BACKTEST_EVALUATIONS = {"flow": 40, "all": 80}  # default parameter sets per backtest re-fit


class Refit(StrEnum):
    """What each backtest re-fits (`corredor.calibration.validate.REFITS`)."""

    flow = "flow"
    all = "all"


Workers = Annotated[int, typer.Option(help="Worker processes (0: run in this process)")]
DataOption = Annotated[
    Path | None, typer.Option("--data", help="Data folder with observed/ and inputs/ (default: the shipped data)")
]


def _pool(workers: int) -> Any:
    return ProcessPoolExecutor(workers) if workers > 0 else nullcontext(None)


def _check(name: str, value: float, low: float, high: float | None = None) -> None:
    if value < low or (high is not None and value > high):
        allowed = f">= {low:g}" if high is None else f"{low:g} to {high:g}"
        raise ValueError(f"--{name}: {value:g} -> allowed: {allowed}")


def calibrate_command(
    scenario: Annotated[Path, typer.Option(help="Scenario to fit on")] = ROOT / "history.toml",
    out: Annotated[Path, typer.Option(help="TOML file written with the fitted values")] = (
        ROOT / "calibrated" / "parameters.toml"
    ),
    up_to_year: Annotated[int, typer.Option(help="Last year of observations used")] = CUTOFF_YEAR,
    scale: Annotated[int, typer.Option(help="Persons per agent in the fit")] = 100,
    replicates: Annotated[int, typer.Option(help="Replicates per parameter set (same seeds for all)")] = 2,
    max_evaluations: Annotated[
        int | None,
        typer.Option(
            help=f"Simulated parameter sets at most (default {FULL_MAX_EVALUATIONS}; with --only "
            f"{SUBSET_MAX_EVALUATIONS})",
            show_default=False,
        ),
    ] = None,
    diff_step: Annotated[float, typer.Option(help="Finite-difference step in the unit box")] = 0.08,
    only: Annotated[list[str] | None, typer.Option(help="Fit only these free parameters (path endings)")] = None,
    root_seed: Annotated[int, typer.Option(help="Root seed of the replicate seeds")] = 1,
    starts: Annotated[
        int | None,
        typer.Option(
            help="Starting points of the flow stage (of the one stage with --only): the current values and "
            f"Latin-hypercube points (default {FULL_STARTS}; with --only 1)",
            show_default=False,
        ),
    ] = None,
    start_seed: Annotated[int, typer.Option(help="Seed of the Latin-hypercube starting points")] = 0,
    workers: Workers = 2,
    data: DataOption = None,
) -> None:
    """Fit the free parameters to the observed series up to --up-to-year and write them as TOML."""
    from corredor.calibration import space
    from corredor.calibration.fit import calibrate, read_fitted, write_calibrated
    from corredor.cli import _fail

    try:
        _check("scale", scale, 1, 100000)
        _check("replicates", replicates, 1)
        free = space.find(only)
        merge = free != space.FREE_PARAMETERS  # a subset (--only) is merged into the fitted set already in --out
        if max_evaluations is None:
            max_evaluations = SUBSET_MAX_EVALUATIONS if merge else FULL_MAX_EVALUATIONS
        if starts is None:
            starts = 1 if merge else FULL_STARTS
        _check("max-evaluations", max_evaluations, 1)
        _check("diff-step", diff_step, 1e-4, 0.5)
        _check("starts", starts, 1, 1000)
        _check("start-seed", start_seed, 0, 2**32 - 1)
        _check("workers", workers, 0, 64)
        if not scenario.is_file():
            raise ValueError(f"--scenario: {scenario} -> no such file")
        if data is not None and not data.is_dir():
            raise ValueError(f"--data: {data} -> no such folder")
        # the other fitted values stay
        previous = read_fitted(out) if merge else None  # before the fit: its checkpoints rewrite --out
        started = time.perf_counter()

        def progress(n: int, value: float, best: float) -> None:
            console.print(
                f"  evaluation {n:4d}  loss {value:.4f}  best {best:.4f}  {time.perf_counter() - started:6.0f} s"
            )

        console.print(f"Fitting {len(free)} parameters on {scenario} (observations up to {up_to_year}) ...")
        executor: Executor | None
        with _pool(workers) as executor:
            fit = calibrate(
                scenario,
                free=free,
                up_to_year=up_to_year,
                scale=scale,
                replicates=replicates,
                max_evaluations=max_evaluations,
                diff_step=diff_step,
                root_seed=root_seed,
                starts=starts,
                start_seed=start_seed,
                executor=executor,
                folder=data,
                progress=progress,
                checkpoint=lambda best: write_calibrated(
                    best, out, scenario, merge=merge, previous=previous
                ),  # keeps its best
            )
    except (ScenarioError, ValueError, OSError) as error:
        raise _fail(error) from None
    write_calibrated(fit, out, scenario, merge=merge, previous=previous)
    console.print(
        f"loss {fit.record.loss_at_start:.4f} -> {fit.record.loss:.4f} in {fit.record.evaluations} evaluations"
    )
    for path, value in fit.values.items():
        console.print(f"  {path} = {value:.6g}")
    console.print(f"[green]wrote[/] {out}")


def validate_history_command(
    scenario: Annotated[Path, typer.Option(help="Calibrated history scenario")] = ROOT / "history.toml",
    out: Annotated[Path, typer.Option(help="Folder for report.md, metrics.json and the PNG figures")] = Path(
        "reports/history"
    ),
    scale: Annotated[int, typer.Option(help="Persons per agent")] = 100,
    replicates: Annotated[
        int, typer.Option(help="Replicates of the history (their mean is scored; 5-95 % bands)")
    ] = 20,
    backtest_years: Annotated[
        list[int] | None, typer.Option("--backtest-year", help="Backtest years (default 2016, 2017, 2018)")
    ] = None,
    no_backtest: Annotated[bool, typer.Option("--no-backtest", help="Skip the rolling-origin backtest")] = False,
    backtest_evaluations: Annotated[
        int | None,
        typer.Option(
            help="Parameter sets per backtest re-fit at most (default 40; 80 with --backtest-refit all)",
            show_default=False,
        ),
    ] = None,
    backtest_refit: Annotated[
        Refit,
        typer.Option(help="What each backtest re-fits: flow (the flow parameters; lenient) or all (every parameter)"),
    ] = Refit.flow,
    workers: Workers = 2,
    data: DataOption = None,
) -> None:
    """Score the calibrated history: in-sample MAPE and bias, backtest against naive forecasts, figures."""
    from rich.markdown import Markdown

    from corredor.calibration.validate import validate_history
    from corredor.cli import _fail

    years = [] if no_backtest else (backtest_years or [2016, 2017, 2018])
    try:
        _check("scale", scale, 1, 100000)
        _check("replicates", replicates, 1)
        if backtest_evaluations is None:
            backtest_evaluations = BACKTEST_EVALUATIONS[backtest_refit.value]
        _check("backtest-evaluations", backtest_evaluations, 1)
        _check("workers", workers, 0, 64)
        for year in years:
            _check("backtest-year", year, 2014, 2100)
        if not scenario.is_file():
            raise ValueError(f"--scenario: {scenario} -> no such file")
        if data is not None and not data.is_dir():
            raise ValueError(f"--data: {data} -> no such folder")
        if out.exists() and not out.is_dir():
            raise ValueError(f"--out: {out} -> is a file; give a folder (it is created if missing)")
        executor: Executor | None
        with _pool(workers) as executor:
            report = validate_history(
                scenario,
                out,
                scale=scale,
                replicates=replicates,
                backtest_years=years,
                backtest_evaluations=backtest_evaluations,
                backtest_refit=backtest_refit.value,
                executor=executor,
                folder=data,
                say=console.print,
            )
    except (ScenarioError, ValueError, OSError) as error:
        raise _fail(error) from None
    console.print(Markdown(report.markdown.split("## Figures")[0]))
    console.print(f"[green]wrote[/] {len(report.files)} files to {out}")
