"""Command-line commands of the experiments: `corredor compare`, `corredor sensitivity` and `corredor optimize`
(registered on the main typer app by `register`).

Every command shows a progress bar, runs on the executor chosen by ``--executor`` / ``--workers`` / ``--dask``, keeps
every finished chunk of runs in ``--out`` (Parquet files + ``catalog.sqlite``) and resumes from them when run again;
Ctrl-C stops cleanly (exit 130) and keeps completed runs. Bad input exits with status 2 naming the field.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from corredor.experiments.executors import ExecutorChoice
    from corredor.experiments.spec import Experiment

ExperimentOption = Annotated[
    Path | None,
    typer.Option(
        "--experiment",
        "-e",
        help="Experiment file (TOML): uncertainties, outcomes (e.g. per COMAR office: asylum_backlog_end.mexico_city;"
        " docs/experiments.md lists them), settings",
    ),
]


class ExecutorName(StrEnum):
    """Where the runs go (`corredor.experiments.executors.ExecutorChoice`)."""

    serial = "serial"
    process = "process"
    dask = "dask"


ExecutorOption = Annotated[ExecutorName, typer.Option("--executor", help="In this process, a process pool or Dask")]
FILE = "default: the experiment file's"  # options whose default is a setting of the experiment file (spec.py)
WorkersOption = Annotated[
    int | None, typer.Option("--workers", help="Process-pool or Dask LocalCluster workers (default: CPUs)")
]
DaskOption = Annotated[
    str | None, typer.Option("--dask", help="Dask scheduler address, e.g. tcp://host:8786 (implies --executor dask)")
]
ChunkOption = Annotated[int, typer.Option("--chunk-size", min=1, help="Runs per task")]
QuietOption = Annotated[bool, typer.Option("--quiet", help="No progress bar")]
ScaleOption = Annotated[
    int | None, typer.Option("--scale", min=1, max=100000, help="Persons per agent (overrides the scenario's)")
]


def _scaled(scenario: Any, scale: int | None) -> Any:
    return scenario if scale is None else scenario.model_copy(update={"scale": scale})


def _base() -> Any:
    from corredor import cli

    return cli


def _choice(executor: str, workers: int | None, dask: str | None) -> ExecutorChoice:
    from corredor.experiments.executors import ExecutorChoice

    try:
        return ExecutorChoice("dask" if dask else str(executor), workers, dask)
    except ValueError as error:
        raise _base()._fail(ValueError(f"--executor: {error}")) from None


def _out_dir(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise _base()._fail(ValueError(f"--out: {out} -> is a file; give a folder (it is created if missing)"))
    out.mkdir(parents=True, exist_ok=True)
    return out


def _load_experiment(path: Path | None) -> tuple[Experiment, Any]:
    from corredor.experiments.spec import Experiment, load_experiment
    from corredor.network import NetworkError
    from corredor.scenario import ScenarioError

    if path is None:
        return Experiment(), None
    try:
        return load_experiment(path)
    except (ScenarioError, NetworkError) as error:
        raise _base()._fail(error) from None


@contextmanager
def _running(
    choice: ExecutorChoice, out: Path, quiet: bool
) -> Iterator[tuple[Executor | None, Callable[[str, int, int], None]]]:
    """The executor and a progress callback ``(label, done, total)``; Ctrl-C ends with exit 130, runs kept."""
    from corredor.experiments.executors import open_executor

    base = _base()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("runs"),
        TimeElapsedColumn(),
        console=base.console,
        disable=quiet,
    ) as progress:
        tasks: dict[str, Any] = {}

        def advance(label: str, done: int, total: int) -> None:
            if label not in tasks:
                tasks[label] = progress.add_task(label, total=total)
            progress.update(tasks[label], completed=done, total=total)

        try:
            with open_executor(choice) as executor:
                yield executor, advance
        except KeyboardInterrupt:
            progress.stop()
            base.errors.print(
                f"[bold yellow]interrupted[/]: completed runs are kept in {escape(str(out))}/catalog.sqlite; "
                "run the same command again to resume"
            )
            raise typer.Exit(code=130) from None
        except (ImportError, OSError) as error:
            raise base._fail(ValueError(f"--executor {choice.kind}: {error}")) from None


def _option_error(error: Any, names: dict[str, str]) -> ValueError:
    """A settings validation error of command-line overrides, naming the options (`names`: field -> option)."""
    from corredor.scenario import validation_problems

    return ValueError("; ".join(f"{names.get(path, path)}: {message}" for path, message in validation_problems(error)))


def share_text(value: float, signed: bool = False) -> str:
    """A share as a percentage ('27.5 %'), or a difference of shares in percentage points ('+27.5 pp'); '–' for NaN
    (no file's deadline has passed), and no sign on a difference that rounds to zero."""
    if math.isnan(value):
        return "–"
    if not signed:
        return f"{100 * value:.1f} %"
    text = f"{100 * value:+.1f}"
    return f"{'0.0' if text in ('+0.0', '-0.0') else text} pp"


def compact_number(value: float) -> str:
    """Numbers for narrow terminals, 3 significant digits: 0.123, 12.3, 1,234 in full below 10,000, then thousands,
    millions and billions (94.1 k, 2.5 M, 1.2 bn)."""
    if value != value:
        return "–"
    if abs(value) < 1e4:
        return f"{value:,.3g}" if abs(value) < 999.5 else f"{value:,.0f}"
    size, suffix = 1e3, " k"
    for bigger, name in ((1e6, " M"), (1e9, " bn")):
        if abs(value) >= 999.5 * size:  # it would round to 1,000 of this unit: the next one (999,999 is 1 M)
            size, suffix = bigger, name
    scaled = value / size
    return f"{scaled:,.3g}{suffix}" if abs(scaled) < 999.5 else f"{scaled:,.0f}{suffix}"


def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files; the first is the reference")],
    experiment: ExperimentOption = None,
    replicates: Annotated[
        int | None, typer.Option("--replicates", "-n", min=2, help=f"Paired runs per scenario ({FILE}, else 20)")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help=f"Root seed ({FILE}, else 0)")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for runs, report.html, differences.csv")] = Path(
        "runs/compare"
    ),
    executor: ExecutorOption = ExecutorName.process,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    chunk_size: ChunkOption = 2,
    scale: ScaleOption = None,
    quiet: QuietOption = False,
) -> None:
    """Compare scenarios: paired ensembles, per outcome the difference from the first with a 90 % interval."""
    from corredor.experiments.compare import compare_scenarios, comparison_html
    from corredor.experiments.executors import max_pending
    from corredor.experiments.spec import validate_against
    from corredor.network import NetworkError
    from corredor.scenario import ScenarioError, load_scenario

    base = _base()
    if len(scenarios) < 2:
        raise base._fail(ValueError("compare needs at least 2 scenario files (the first is the reference)"))
    spec, _ = _load_experiment(experiment)
    loaded = []
    try:
        for path in scenarios:
            scenario = load_scenario(path)
            if experiment is not None:
                validate_against(spec, scenario, str(experiment))
            loaded.append(_scaled(scenario, scale))
    except (ScenarioError, NetworkError) as error:
        raise base._fail(error) from None
    choice = _choice(executor, workers, dask)
    folder = _out_dir(out)
    n = replicates or spec.replicates
    root = spec.seed if seed is None else seed
    with _running(choice, folder, quiet) as (pool, advance):
        names = [s.name for s in loaded]
        comparison = compare_scenarios(
            loaded,
            n,
            root_seed=root,
            outcomes=spec.declared_outcomes(),
            uncertainties=spec.uncertainties,
            sampler=spec.sampler,
            executor=pool,
            chunk_size=chunk_size,
            out_dir=folder,
            max_pending=max_pending(choice),
            progress=lambda k, done, total: advance(names[k], done, total),
        )
    table = comparison.table
    table.to_csv(folder / "differences.csv", index=False)
    title = f"corredor compare: {' vs '.join(comparison.names[1:])} against {comparison.names[0]}"
    (folder / "report.html").write_text(comparison_html(comparison, title), encoding="utf-8")
    for name in comparison.names[1:]:
        rich_table = base.folding_table(
            "outcome", comparison.names[0], name, "difference [90% interval]", "%", "verdict",
            title=f"{name} vs {comparison.names[0]}: {n} paired replicates (seed {root}), {_agents(loaded)}",
        )  # fmt: skip
        for row in table[table["scenario"] == name].to_dict("records"):
            verdict = str(row["verdict"])
            colour = {"better": "green", "worse": "red"}.get(verdict, "")
            if row["unit"] == "share":  # shares as percentages, their differences in percentage points
                number = {k: share_text(float(row[k])) for k in ("reference_mean", "mean")}
                number |= {k: share_text(float(row[k]), signed=True) for k in ("difference", "low", "high")}
            else:
                keys = ("reference_mean", "mean", "difference", "low", "high")
                number = {k: compact_number(float(row[k])) for k in keys}
            rich_table.add_row(
                escape(f"{row['label']} ({row['unit']})"),
                number["reference_mean"],
                number["mean"],
                f"{number['difference']} [{number['low']}, {number['high']}]",
                compact_number(100 * float(row["relative"])),
                f"[{colour}]{verdict}[/]" if colour else verdict,
            )
        base.console.print(rich_table)
        _fewer_applicants_note(table[table["scenario"] == name], name)
        _young_files_note(table[table["scenario"] == name], name)
    if n < 10:
        base.console.print(f"[yellow]{n} paired replicates[/]: intervals are rough below about 10; report with 20")
    base.print_scale_caution(int(s.scale) for s in loaded)
    base.console.print(f"report: [bold]{folder / 'report.html'}[/], table: {folder / 'differences.csv'}")


def _fewer_applicants_note(rows: Any, name: str) -> None:
    """Say so when a scenario's COMAR backlog is clearly smaller while clearly fewer people applied: unless COMAR also
    decided more files, the backlog is smaller because fewer people reached COMAR, not because files were decided
    faster. Read from the intervals' signs, whatever kinds the experiment declares."""
    by_outcome = rows.set_index("outcome")
    if not {"asylum_backlog_end", "asylum_applications"} <= set(by_outcome.index):
        return
    backlog, applications = by_outcome.loc["asylum_backlog_end"], by_outcome.loc["asylum_applications"]
    if not (float(backlog["high"]) < 0 and float(applications["high"]) < 0):
        return
    decided = "an unknown number of"
    if "asylum_decisions" in by_outcome.index:
        decisions = by_outcome.loc["asylum_decisions"]
        low, high = float(decisions["low"]), float(decisions["high"])
        decided = "more" if low > 0 else "fewer" if high < 0 else "about as many"
    relative = float(applications["relative"])
    how_many = f"{compact_number(-100 * relative)} % fewer people" if math.isfinite(relative) else "fewer people"
    _base().console.print(
        f"[yellow]{escape(name)}[/]: the COMAR backlog is smaller, but {how_many} applied and COMAR decided "
        f"{decided} files (asylum_decisions): a backlog that shrinks without more decisions shrinks because fewer "
        "people applied"
    )


def _young_files_note(rows: Any, name: str) -> None:
    """Say so when COMAR's mean time waited is clearly shorter (at an office, or overall) while clearly more people
    applied there: the measure counts pending files up to the end of the run, and files added late in the period
    are young when it ends. Read from the intervals' signs, whatever kinds the experiment declares."""
    by_outcome = rows.set_index("outcome")
    for outcome, row in by_outcome.iterrows():
        base, _, office = str(outcome).partition(".")
        suffix = f".{office}" if office else ""
        applications = "asylum_applications" + suffix
        if base != "asylum_time_waited_working_days" or applications not in by_outcome.index:
            continue
        more = by_outcome.loc[applications]
        if not (float(row["high"]) < 0 and float(more["low"]) > 0):
            continue
        relative = float(more["relative"])
        how_many = f"{compact_number(100 * relative)} % more people" if math.isfinite(relative) else "more people"
        where = f" at {office}" if office else ""
        _base().console.print(
            f"[yellow]{escape(name)}[/]: COMAR's mean time waited{where} is shorter, but {how_many} applied{where}:"
            " it counts pending files only up to the end of the run, so files added late in the period may shorten"
            f" it. Read the backlog (asylum_backlog_end{suffix}) and the share decided within the deadline"
            f" (asylum_within_deadline{suffix}) as well"
        )


def _agents(scenarios: Sequence[Any]) -> str:
    """'1 agent = k persons' for the scenarios compared (COMAR waits and shares shift somewhat with k)."""
    scales = sorted({int(s.scale) for s in scenarios})
    return "1 agent = " + "/".join(f"{k:,}" for k in scales) + (" person" if scales == [1] else " persons")


def _need_scenario(experiment: Path, scenario: Any) -> None:
    if scenario is None:
        raise _base()._fail(ValueError(f"{experiment}: scenario -> required: the scenario file to experiment on"))


def sensitivity(
    experiment: Annotated[Path, typer.Argument(help=r"Experiment file with scenario and \[\[uncertainties]] tables")],
    trajectories: Annotated[
        int | None, typer.Option("--trajectories", min=2, help=f"Morris trajectories ({FILE}, else 10)")
    ] = None,
    sobol_n: Annotated[
        int | None, typer.Option("--sobol-n", min=4, help=f"Saltelli base sample, a power of 2 ({FILE}, else 64)")
    ] = None,
    replicates: Annotated[
        int | None, typer.Option("--replicates", "-n", min=1, help=f"Runs per design point, averaged ({FILE}, else 1)")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help=f"Root seed ({FILE}, else 0)")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for runs and the report")] = Path("runs/sensitivity"),
    executor: ExecutorOption = ExecutorName.process,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    chunk_size: ChunkOption = 2,
    scale: ScaleOption = None,
    quiet: QuietOption = False,
) -> None:
    """Morris screening, then Sobol indices of the surviving uncertainties; reports what drives each outcome."""
    from pydantic import ValidationError

    from corredor.experiments.executors import max_pending
    from corredor.experiments.outcomes import outcome_info
    from corredor.experiments.sensitivity import (
        analyse,
        corredor_evaluator,
        sensitivity_html,
        sensitivity_markdown,
    )
    from corredor.experiments.spec import SensitivitySettings

    base = _base()
    spec, scenario = _load_experiment(experiment)
    _need_scenario(experiment, scenario)
    scenario = _scaled(scenario, scale)
    if len(spec.uncertainties) < 2:
        raise base._fail(ValueError(f"{experiment}: uncertainties -> needs at least 2 [[uncertainties]] entries"))
    try:
        settings = SensitivitySettings.model_validate(
            spec.sensitivity.model_dump()
            | {
                k: v
                for k, v in (("trajectories", trajectories), ("sobol_n", sobol_n), ("replicates_per_point", replicates))
                if v is not None
            }
        )
    except ValidationError as error:
        names = {"trajectories": "--trajectories", "sobol_n": "--sobol-n", "replicates_per_point": "--replicates"}
        raise base._fail(_option_error(error, names)) from None
    choice = _choice(executor, workers, dask)
    folder = _out_dir(out)
    outcomes = [o.name for o in spec.declared_outcomes()]
    root = spec.seed if seed is None else seed
    with _running(choice, folder, quiet) as (pool, advance):
        evaluate = corredor_evaluator(
            scenario,
            spec.uncertainties,
            outcomes,
            replicates_per_point=settings.replicates_per_point,
            root_seed=root,
            executor=pool,
            chunk_size=chunk_size,
            out_dir=folder,
            max_pending=max_pending(choice),
            progress=advance,
        )
        result = analyse(
            [f.name for f in spec.uncertainties],
            evaluate,
            trajectories=settings.trajectories,
            levels=settings.levels,
            threshold=settings.threshold,
            sobol_n=settings.sobol_n,
            seed=root,
            confidence=settings.confidence,
        )
    labels = {name: outcome_info(name).label for name in outcomes}
    (folder / "sensitivity.md").write_text(sensitivity_markdown(result, labels), encoding="utf-8")
    title = f"corredor sensitivity: {scenario.name}"
    (folder / "sensitivity.html").write_text(sensitivity_html(result, title), encoding="utf-8")
    result.morris.to_csv(folder / "morris.csv", index=False)
    result.sobol.to_csv(folder / "sobol.csv", index=False)
    table = base.folding_table(
        "outcome",
        "drivers (total Sobol index ≥ 0.1 beyond its interval)",
        "S1 / ST ± its interval, each kept uncertainty",
        title=title,
    )
    for outcome in result.drivers():
        rows = result.sobol[result.sobol["outcome"] == outcome]
        indices = ", ".join(f"{r.factor} {r.S1:.2f}/{r.ST:.2f} ±{r.ST_conf:.2f}" for r in rows.itertuples(index=False))
        table.add_row(escape(labels.get(outcome, outcome)), escape(result.driver_text(outcome)), escape(indices))
    for outcome, why in result.skipped.items():
        table.add_row(escape(labels.get(outcome, outcome)), f"not analysed ({why})", "")
    base.console.print(table)
    widest = float(result.sobol["ST_conf"].max()) if len(result.sobol) else 0.0
    if widest > 0.1:  # as wide as the driver threshold itself
        base.console.print(
            f"[yellow]uncertain indices[/]: intervals ({settings.confidence:.0%}) up to ±{widest:.2f} with "
            f"--sobol-n {settings.sobol_n}; a larger --sobol-n (e.g. {4 * settings.sobol_n}) firms them up"
        )
    base.print_scale_caution([int(scenario.scale)])
    base.console.print(
        f"screened out: {', '.join(sorted(set(result.factors) - set(result.kept))) or 'none'}; "
        f"{result.evaluations} design points; report: [bold]{folder / 'sensitivity.html'}[/] and sensitivity.md"
    )


def optimize(
    experiment: Annotated[Path, typer.Argument(help=r"Experiment file with scenario and \[optimize] levers")],
    budget: Annotated[
        float | None, typer.Option("--budget", min=0, help=f"USD million per year ({FILE} budget_usd_million)")
    ] = None,
    candidates: Annotated[
        int | None, typer.Option("--candidates", min=1, help=f"First-round candidates ({FILE}, else 32)")
    ] = None,
    refine: Annotated[
        int | None, typer.Option("--refine", min=0, help=f"Refinement candidates ({FILE}, else 8)")
    ] = None,
    samples: Annotated[
        int | None,
        typer.Option("--uncertainty-samples", min=1, help=f"Uncertainty samples per candidate ({FILE}, else 4)"),
    ] = None,
    replicates: Annotated[
        int | None,
        typer.Option("--replicates", "-n", min=1, help=f"Replicates per candidate and sample ({FILE}, else 2)"),
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help=f"Root seed ({FILE}, else 0)")] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for runs and the report")] = Path("runs/optimize"),
    executor: ExecutorOption = ExecutorName.process,
    workers: WorkersOption = None,
    dask: DaskOption = None,
    chunk_size: ChunkOption = 2,
    scale: ScaleOption = None,
    quiet: QuietOption = False,
) -> None:
    """Search lever mixes within a budget for the best robust outcomes; report the Pareto frontier."""
    from pydantic import ValidationError

    from corredor.experiments.costs import LEVER_COSTS
    from corredor.experiments.executors import max_pending
    from corredor.experiments.optimize import WAIT, optimize_html, unit_costs
    from corredor.experiments.optimize import optimize as search
    from corredor.experiments.spec import OptimizeSettings

    base = _base()
    spec, scenario = _load_experiment(experiment)
    _need_scenario(experiment, scenario)
    scenario = _scaled(scenario, scale)
    if spec.optimize is None:
        problem = "optimize -> required: an [optimize] table with [[optimize.levers]]"
        raise base._fail(ValueError(f"{experiment}: {problem}"))
    overrides = {
        "budget_usd_million": budget,
        "candidates": candidates,
        "refine": refine,
        "uncertainty_samples": samples,
        "replicates": replicates,
    }
    try:
        settings = OptimizeSettings.model_validate(
            spec.optimize.model_dump() | {k: v for k, v in overrides.items() if v is not None}
        )
    except ValidationError as error:
        names = {
            "budget_usd_million": "--budget",
            "candidates": "--candidates",
            "refine": "--refine",
            "uncertainty_samples": "--uncertainty-samples",
            "replicates": "--replicates",
        }
        raise base._fail(_option_error(error, names)) from None
    choice = _choice(executor, workers, dask)
    folder = _out_dir(out)
    root = spec.seed if seed is None else seed
    with _running(choice, folder, quiet) as (pool, advance):
        result = search(
            scenario,
            settings,
            spec.uncertainties,
            root_seed=root,
            executor=pool,
            chunk_size=chunk_size,
            out_dir=folder,
            max_pending=max_pending(choice),
            progress=advance,
        )
    result.table.to_csv(folder / "candidates.csv", index=False)
    costs = unit_costs(settings.levers)
    free = [f.name for f, c in zip(settings.levers, costs, strict=True) if c == 0]
    cost_notes = "; ".join(
        f"{f.name}: USD {c:,.0f}/unit/yr"
        + (f" ({LEVER_COSTS[f.path[6:]].source})" if f.cost_usd_per_unit is None and f.path[6:] in LEVER_COSTS else "")
        for f, c in zip(settings.levers, costs, strict=True)
    )
    intro = (
        f"Scenario {scenario.name}; budget USD {settings.budget_usd_million:g} million per year; "
        f"{result.runs} runs: each candidate on {settings.uncertainty_samples} uncertainty samples x "
        f"{settings.replicates} replicates, scored by the {settings.quantile:g} quantile; target: mean time waited "
        f"by COMAR files (pending ones so far) ≤ {settings.max_wait_working_days} working days"
        + (
            f", share decided within the deadline ≥ {settings.min_within_deadline:g}"
            if settings.min_within_deadline is not None
            else ""
        )
        + f". Costs: {cost_notes}."
        + (f" Counted as free (no cost known): {', '.join(free)}." if free else "")
    )
    title = f"corredor optimize: {scenario.name}"
    (folder / "optimize.html").write_text(optimize_html(result, title, escape(intro)), encoding="utf-8")
    shown = ["candidate", *result.levers, "cost_musd", f"{WAIT}_q", "asylum_within_deadline_q"]
    shown += [f"{o}_q" for o in result.objectives]
    short = {"cost_musd": "USD M/yr", f"{WAIT}_q": "waited (wd)", "asylum_within_deadline_q": "in time"}
    headers = [short.get(c, c.removeprefix("lever.").removesuffix("_q")) for c in shown]
    caption = f"Pareto frontier (feasible, non-dominated; scores = q{settings.quantile:g})"
    table = base.folding_table(*headers, title=f"{title}: {caption}")
    for row in result.frontier()[shown].itertuples(index=False):
        marker = " *" if result.best is not None and row[0] == result.table.loc[result.best, "candidate"] else ""
        table.add_row(f"{row[0]}{marker}", *(compact_number(float(v)) for v in row[1:]))
    base.console.print(table)
    if result.best is None:
        base.console.print(
            f"[yellow]no candidate meets the COMAR targets[/] within the budget of USD "
            f"{settings.budget_usd_million:g} million a year ({len(result.table)} candidates fit it, the scenario as it"
            " is included); raise --budget, or see candidates.csv for the nearest"
        )
    else:
        base.console.print("* best feasible candidate (lowest sum of normalised scores)")
    if free:
        base.console.print(f"[yellow]counted as free (no cost known)[/]: {', '.join(free)}")
    noise = {o: float(result.table[f"{o}_q_se"].median()) for o in result.objectives}
    if noise:
        spread = ", ".join(f"{o} ±{compact_number(v)}" for o, v in noise.items())
        base.console.print(
            f"run-to-run noise of the scores (bootstrap standard error, median over candidates): {spread}; candidates"
            " closer than about twice that are not told apart by these runs (more --replicates or"
            " --uncertainty-samples narrow it)"
        )
    base.print_scale_caution([int(scenario.scale)])
    base.console.print(f"report: [bold]{folder / 'optimize.html'}[/], every candidate: {folder / 'candidates.csv'}")


def register(app: typer.Typer) -> None:
    """Add compare, sensitivity and optimize to the main command line."""
    app.command()(compare)
    app.command()(sensitivity)
    app.command()(optimize)
