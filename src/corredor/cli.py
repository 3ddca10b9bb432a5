"""Command line (typer + rich): `corredor run`, `validate`, `info`, `data list` / `data show`, `calibrate` /
`validate-history` (code in `corredor.calibration.cli`), the experiments (`compare`, `sensitivity`, `optimize`, in
`corredor.experiments.cli`) and `serve` (the dashboard, in `corredor.web.serve`).

Bad input never shows a traceback: scenario and network problems are printed with the field path and the command
exits with status 2.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from corredor.experiments.cli import register as register_experiments
from corredor.network import NODE_KINDS, NetworkError, compile_routes
from corredor.parameters import parameter_rows
from corredor.scenario import LEVERS, Scenario, ScenarioError, input_notes, load_scenario
from corredor.web.serve import serve

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    help="corredor: simulate migration through the Central America -> Mexico -> US corridor.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)


def _print_version(value: bool) -> None:
    if value:
        from corredor import __version__

        console.print(f"corredor {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", help="Print the version and exit", callback=_print_version, is_eager=True)
    ] = False,
) -> None:
    """corredor: simulate migration through the Central America -> Mexico -> US corridor."""


ScenarioPath = Annotated[Path, typer.Argument(help="Scenario file (TOML), e.g. scenarios/baseline.toml")]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def entry_numbering_note(paths: list[str]) -> str | None:
    """How to read the first index in `paths` (pydantic's, counted from 0) against the file's [[table]] entries."""
    for path in paths:
        # the [[table]] lists
        found = re.match(r"(origins|droughts|policy|caravans|cohorts|outside_applicants)\[(\d+)\]", path)
        if found:
            table, index = found.group(1), int(found.group(2))
            return (
                f"entries are counted from 0, those of extended files first: {table}[{index}] is the"
                f" {ordinal(index + 1)} [[{table}]] entry"
            )
    return None


def _fail(error: Exception) -> typer.Exit:
    if isinstance(error, ScenarioError):
        errors.print(f"[bold red]invalid file[/] {error.source}")
        for path, message in error.problems:
            errors.print(f"  [yellow]{escape(path)}[/]: {escape(message)}", highlight=False)
        note = entry_numbering_note([path for path, _ in error.problems])
        if note:
            errors.print(f"  [dim]{escape(note)}[/]", highlight=False)
    else:
        errors.print(f"[bold red]error[/]: {escape(str(error))}", highlight=False)
    return typer.Exit(code=2)


def _note_idle_inputs(scenario: Scenario) -> None:
    """Tell the user which of the scenario's inputs do not act as they read (`scenario.input_notes`): kept, but
    without effect in this run, or carried on past their data."""
    for path, why in input_notes(scenario):
        errors.print(f"[yellow]note[/] {escape(path)}: {escape(why)}", highlight=False)


@app.command()
def validate(scenario: ScenarioPath) -> None:
    """Check a scenario file against the schema and the network; exit 2 naming every bad field."""
    try:
        loaded = load_scenario(scenario)
    except (ScenarioError, NetworkError) as error:
        raise _fail(error) from None
    _note_idle_inputs(loaded)
    outside = loaded.outside_applicants
    applicants = (
        f"{len(outside)} {'entry' if len(outside) == 1 else 'entries'} of asylum applicants from outside the corridor"
        f" ({', '.join(sorted({e.nationality for e in outside}))}), "
        if outside
        else ""
    )
    console.print(
        f"[green]ok[/] {scenario}: '{loaded.name}', {loaded.period.start} to {loaded.period.end} "
        f"({loaded.period.days} days), {len(loaded.origins)} origins, {len(loaded.policy)} policy changes, "
        f"{len(loaded.caravans)} caravans, {applicants}1 agent = {loaded.scale} person(s)"
    )


def _caravans_table(summary: dict[str, Any]) -> Table | None:
    """The run's caravans (summary.json's caravans): where and when each formed, its persons then, and those who
    joined it to reach its recorded sizes; None when no caravan formed."""
    caravans = summary.get("caravans") or []
    if not caravans:
        return None
    table = Table(
        title="Caravans (persons)",
        caption="persons: when it formed; topped up: joined to reach its recorded sizes. Who joined in its first "
        "days (join window) is in caravan_join events and the dashboard.",
    )
    for name in ("caravan", "formed", "at"):
        table.add_column(name, no_wrap=True)
    table.add_column("persons", justify="right", no_wrap=True)
    table.add_column("topped up", justify="right", no_wrap=True)
    for c in caravans:
        table.add_row(escape(c["name"]), c["date"], c["node"], f"{c['persons']:,}", f"{c['topped_up']:,}")
    return table


def _offices_table(summary: dict[str, Any]) -> Table | None:
    """COMAR offices in the run's last complete calendar year (summary.json's asylum_offices_by_year): who applied,
    the files decided that year, those open on 31 Dec and how many years that pace would take to decide them; None
    without a complete year."""
    by_office = summary.get("asylum_offices_by_year") or {}
    years = sorted({year for per_year in by_office.values() for year in per_year})
    if not years:
        return None
    year = years[-1]
    table = Table(
        title=f"COMAR offices, {year} (files)",
        caption="years to clear: the files open on 31 Dec over the files decided in the year (no new applications,"
        " no abandonment). The split between offices is the model's routing, not calibrated (docs/model.md 4);"
        " asylum_offices_by_year in summary.json has every year",
    )
    table.add_column("office", no_wrap=True)
    for name in ("applied", "decided in year", "open 31 Dec", "years to clear"):
        table.add_column(name, justify="right", no_wrap=True)
    for office, per_year in sorted(by_office.items()):
        f = per_year.get(year, {})
        clear, pending = f.get("years_to_clear_at_year_pace"), f.get("pending_at_year_end", 0)
        table.add_row(
            office,
            f"{f.get('applications', 0):,}",
            f"{f.get('decided_in_year', 0):,}",
            f"{pending:,}",
            f"{clear:,.1f}" if clear is not None else ("never: none decided" if pending else "–"),
        )
    return table


def _caravan_count_notes(summary: dict[str, Any]) -> list[str]:
    """Recorded caravan counts the run could not apply (no member of the caravan on the road that day), or lowered by
    caravan blocking: a planner should not read a topped-up caravan where there was none."""
    notes = []
    for caravan in summary.get("caravans") or []:
        for count in caravan.get("recorded_counts", []):
            where = f"{caravan['name']}, count of {count['recorded']:,} on {count['date']}"
            if count["on_road"] == 0:
                notes.append(f"{where}: not applied, no member of the caravan was on the road that day")
            elif count["target"] < count["recorded"]:
                notes.append(f"{where}: lowered to {count['target']:,} by caravan blocking")
    return notes


def _summary_table(summary: dict[str, object]) -> Table:
    table = Table(title=f"Yearly totals (persons or events): {summary['scenario']}, seed {summary['seed']}")
    yearly = summary["yearly_events"]
    assert isinstance(yearly, dict)
    rows = [
        ("departure", "Departures", 1),
        ("reattempt", "Re-attempts", 1),
        ("apprehension_mx", "MX apprehensions (UPM)", 1),
        ("deportation_mx", "MX deportations (UPM)", 1),
        ("asylum_application", "COMAR applications (files)", 1),
        ("outside_arrival", "  of them from outside the corridor", 1),
        ("asylum_recognised", "Recognised in Mexico", 1),
        ("apprehension_us", "US Border Patrol arrests", 1),
        ("evasion_us", "Entered US undetected", 1),
        ("release_us", "Released into the US", 1),
        ("extortion", "Extortions", 1),
        ("kidnapping", "Kidnappings", 1),
        ("death", "Deaths", 1),
        ("fee_usd", "Smuggling fees, USD M", 1_000_000),
    ]
    years = sorted({year for series in yearly.values() for year in series})
    start, end = (dt.date.fromisoformat(str(summary[k])) for k in ("start", "end"))
    partial = {str(start.year)} if (start.month, start.day) != (1, 1) else set()
    partial |= {str(end.year)} if (end.month, end.day) != (12, 31) else set()
    table.add_column("outcome", no_wrap=True)
    for year in years:
        table.add_column(f"{year}*" if year in partial else year, justify="right", no_wrap=True)
    if partial & set(years):
        table.caption = f"* part of the year only: the run covers {start} to {end}"
    for key, label, unit in rows:
        series = yearly.get(key, {})
        table.add_row(label, *(f"{series.get(y, 0) / unit:,.0f}" for y in years))
    return table


@app.command()
def run(
    scenario: ScenarioPath,
    out: Annotated[Path, typer.Option("--out", help="Folder for the Parquet tables and summary.json")] = Path(
        "runs/latest"
    ),
    seed: Annotated[int | None, typer.Option(help="Random seed; overrides the scenario's seed")] = None,
    scale: Annotated[
        int | None,
        typer.Option(help="Persons per agent; overrides the scenario's scale (e.g. 100 for a quick look)", min=1),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar or table")] = False,
) -> None:
    """Simulate a scenario and write results (Parquet tables and summary.json) to --out."""
    from corredor.simulate import simulate

    try:
        loaded = load_scenario(scenario)
    except (ScenarioError, NetworkError) as error:
        raise _fail(error) from None
    if seed is not None and seed < 0:
        raise _fail(ValueError(f"--seed: {seed} -> must be >= 0"))
    if scale is not None:
        loaded = loaded.model_copy(update={"scale": scale})
    if not quiet:
        _note_idle_inputs(loaded)
    if out.exists() and not out.is_dir():
        raise _fail(ValueError(f"--out: {out} -> is a file; give a folder (it is created if missing)"))
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("days"),
        TimeElapsedColumn(),
        console=console,
        disable=quiet,
        transient=False,
    ) as progress:
        task = progress.add_task(f"simulating {loaded.name}", total=loaded.period.days)

        def advance(done: int, total: int) -> None:
            if done % 30 == 0 or done == total:
                progress.update(task, completed=done)

        results = simulate(loaded, seed=seed, progress=advance)
    results.write(out)
    summary = json.loads((out / "summary.json").read_text())
    if not quiet:
        made = (_summary_table(summary), _offices_table(summary), _caravans_table(summary))
        tables = [table for table in made if table is not None]
        # piped or logged output has no width limit: print every number whole rather than cut at 80 columns
        natural = max(Measurement.get(console, console.options.update_width(1000), t).maximum for t in tables)
        wide = console if console.is_terminal else Console(width=max(console.width, natural))
        for table in tables:
            wide.print(table)
        for note in _caravan_count_notes(summary):
            console.print(f"[yellow]note[/] {escape(note)}", highlight=False)
        console.print(
            f"{results.meta['agents']:,} agents, {results.agent_days:,} agent-days in {results.elapsed_s:.1f} s; "
            f"results in [bold]{out}[/]"
        )


@app.command()
def staffing(
    scenario: ScenarioPath,
    replicates: Annotated[int, typer.Option(help="Replicates (their seeds derive from --seed)", min=1, max=100)] = 4,
    seed: Annotated[
        int | None,
        typer.Option(help="Root seed of the replicates (default: the scenario's seed, as the dashboard)", min=0),
    ] = None,
    scale: Annotated[
        int | None, typer.Option(help="Persons per agent; overrides the scenario's (waits hold at 20 or less)", min=1)
    ] = None,
    share: Annotated[
        float, typer.Option(help="Share of applicants to decide within the legal deadline", min=0.01, max=0.99)
    ] = 0.9,
    clear_within_days: Annotated[
        float, typer.Option(help="Days in which to clear the files pending at the end", min=1.0)
    ] = 365.0,
) -> None:
    """COMAR caseworkers each office needs at the end of a scenario: --share of applicants decided within the legal
    deadline at the last 90 days' intake, and the pending files cleared within --clear-within-days (an M/M/c queue,
    `corredor.staffing`)."""
    from corredor.experiments.ensemble import replicate_seeds
    from corredor.simulate import simulate
    from corredor.staffing import office_staffing

    try:
        loaded = load_scenario(scenario)
    except (ScenarioError, NetworkError) as error:
        raise _fail(error) from None
    if scale is not None:
        loaded = loaded.model_copy(update={"scale": scale})
    seeds = replicate_seeds(loaded.seed if seed is None else seed, replicates)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), console=console) as bar:
        task = bar.add_task(f"simulating {loaded.name}", total=len(seeds))
        runs = []
        for one in seeds:
            runs.append(simulate(loaded, seed=one))
            bar.advance(task)
    deadline = loaded.parameters.asylum.decision_deadline_working_days
    table = folding_table(
        "office",
        "applied/day",
        "pending",
        "in time",
        "caseworkers",
        "needed",
        title=f"{loaded.name}, {loaded.period.end}: caseworkers for {share:.0%} of applicants within {deadline} "
        f"working days and the backlog cleared in {clear_within_days:g} days ({replicates} replicates, 1 agent = "
        f"{loaded.scale} persons)",
    )
    for office in runs[0].office_ids:
        figures = office_staffing(runs, loaded, office, share=share, clear_within=clear_within_days)
        if not figures["arrivals_per_day"] and not figures["pending_end"]:
            continue
        within = figures["share_within_limit"]
        needed = figures["caseworkers_needed"]
        table.add_row(
            office,
            f"{figures['arrivals_per_day']:,.1f}",
            f"{figures['pending_end']:,.0f}",
            "n/a" if within is None else f"{within:.0%}",
            f"{figures['caseworkers_end']:g}",
            "n/a" if needed is None else f"{needed:,}",
        )
    console.print(table)
    console.print(
        "[dim]applied/day: applications per day over the last 90 days; pending: persons in files pending at the end; "
        f"in time: share of files decided within {deadline} working days, of those that applied at least that long "
        "before the end (pending ones count as late); caseworkers: at the end; needed: the smallest c with which an "
        "M/M/c queue at the model's productivity decides the share in time and clears the backlog (abandonment "
        "ignored). The split of applicants between offices is the model's, not calibrated (no office data up to "
        "2018, docs/model.md): the total is better grounded than any one office's figure.[/]"
    )
    print_scale_caution([loaded.scale])


@app.command()
def info(
    network: Annotated[bool, typer.Option("--network", help="List the nodes of the network")] = False,
    parameters: Annotated[bool, typer.Option("--parameters", help="List every model parameter")] = False,
    levers: Annotated[bool, typer.Option("--levers", help="List the policy levers")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the parameter table as Markdown")] = False,
    scenario: Annotated[
        Path | None,
        typer.Option("--scenario", help="Describe this scenario's network instead of the default"),
    ] = None,
) -> None:
    """Describe the network, the default parameters and the policy levers."""
    from corredor.network import load_default_network

    try:
        net = load_scenario(scenario).load_network() if scenario else load_default_network()
    except (ScenarioError, NetworkError) as error:
        raise _fail(error) from None
    show_all = not (network or parameters or levers)
    if markdown:
        print(parameters_markdown(), end="")
        return
    if network or show_all:
        kinds = [NODE_KINDS[k] for k in net.node_kind]
        routes = compile_routes(net)
        console.print(
            f"Network {net.source}: {net.n_nodes} nodes, {len(net.edge_km)} edges, "
            f"{routes.n_routes} route options from the origins"
        )
        if network:
            table = Table("id", "name", "country", "kind")
            for row in zip(net.node_ids, net.node_names, net.node_country, kinds, strict=True):
                table.add_row(*row)
            console.print(table)
        else:
            for kind in NODE_KINDS:
                console.print(f"  {kind}: {kinds.count(kind)}")
    if levers or show_all:
        table = folding_table("lever", "default", "range", "target", "unit", "what it does", title="Policy levers")
        for name, lever in LEVERS.items():
            default = lever.default_from or "per node kind" if lever.default < 0 else f"{lever.default:g}"
            table.add_row(
                name,
                default,
                f"{lever.low:g} to {lever.high:g}",
                lever.target or "-",
                lever.unit,
                lever.description,
            )
        console.print(table)
    if parameters or show_all:
        table = folding_table("parameter", "default", "unit", "source", title="Model parameters")
        for entry in parameter_rows():
            table.add_row(entry["parameter"], entry["default"], entry["unit"], entry["source"])
        console.print(table)


# Above this many persons per agent, COMAR waits and within-deadline shares are overstated (docs/model.md 3.3.6).
FINEST_SCALE_FOR_WAITS = 20


def print_scale_caution(scales: Iterable[int]) -> None:
    """Warn when a run is too coarse for COMAR waits (offices with fewer caseworkers than an agent has persons decide
    whole blocks of persons at once)."""
    coarsest = max(scales)
    if coarsest > FINEST_SCALE_FOR_WAITS:
        console.print(
            f"[yellow]1 agent = {coarsest:,} persons[/]: COMAR waits and shares decided in time are overstated above "
            f"{FINEST_SCALE_FOR_WAITS} persons per agent (docs/model.md 3.3.6); read them with --scale "
            f"{FINEST_SCALE_FOR_WAITS} or less"
        )


def folding_table(*headers: str, title: str) -> Table:
    """A table whose cells fold onto more lines in a narrow terminal instead of being cut with an ellipsis (a cut
    lever or parameter name cannot be typed into a scenario)."""
    return Table(*(Column(header, overflow="fold") for header in headers), title=title)


data_app = typer.Typer(
    help="The observed series (to 2018) and the inputs shipped with corredor; every row names its source.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(data_app, name="data")
app.command()(serve)  # the dashboard (corredor.web)

# Cells longer than this are cut (with "…") unless --full is given.
_TEXT_LIMITS = {"unit": 45, "source": 60, "notes": 45, "description": 70, "location": 30, "caravan_id": 30}


def _cell(value: object, column: str, full: bool) -> str:
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    text = str(value)
    limit = _TEXT_LIMITS.get(column)
    if full or limit is None or len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def _blank(column: pd.Series) -> bool:  # pandas is loaded by the data loaders that made `column`
    return bool(column.isna().all() or (column.dtype != "float64" and column.astype(str).str.strip().eq("").all()))


@data_app.command("list")
def data_list() -> None:
    """List the shipped datasets: name, kind, rows, years covered and what they hold."""
    from corredor.data import CUTOFF_YEAR, list_datasets

    datasets = list_datasets()
    table = folding_table(
        "name",
        "kind",
        "rows",
        "series",
        "years",
        "description",
        title=f"corredor datasets (observed outcomes up to {CUTOFF_YEAR}; inputs all years)",
    )
    for row in datasets.itertuples(index=False):
        table.add_row(
            str(row.name),
            str(row.kind),
            f"{row.rows:,}",
            str(row.series),
            f"{row.first_year}–{row.last_year}",
            str(row.description),
        )
    console.print(table)
    console.print("Show one with [bold]corredor data show NAME[/]; every row carries its source and confidence.")


@data_app.command("show")
def data_show(
    name: Annotated[
        str,
        typer.Argument(help="cbp, upm, comar, recalled_unverified, drivers, caravans or policy_events"),
    ],
    series: Annotated[
        str | None, typer.Option("--series", help="Only this series (the lever, for policy_events)")
    ] = None,
    nationality: Annotated[str | None, typer.Option("--nationality", help="Only this nationality, e.g. GTM")] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Only this country (the actor, for policy_events)")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Do not shorten long text (sources, notes)")] = False,
) -> None:
    """Print the rows of a dataset, each with its value, unit, source and confidence."""
    from corredor.data import DATASETS, load

    try:
        frame = load(name)
    except (ValueError, OSError) as error:
        raise _fail(error) from None
    label = {"series": "lever", "country": "actor"} if name == "policy_events" else {}
    for option, wanted in (("series", series), ("nationality", nationality), ("country", country)):
        if wanted is None:
            continue
        column = label.get(option, option)
        if column not in frame.columns:
            raise _fail(ValueError(f"--{option}: {name} has no {column} column"))
        choices = sorted(set(frame[column]))
        if option == "series":
            frame = frame[frame[column] == wanted]
        else:  # ISO codes: gtm is GTM
            frame = frame[frame[column].str.upper() == wanted.upper()]
        if frame.empty:
            raise _fail(ValueError(f"--{option} {wanted}: no matching rows in {name}; {column}: {', '.join(choices)}"))
    # Identifiers with one value in every shown row go to the title, and always-blank columns are left out, so that
    # value, unit and source keep room on narrow terminals.
    constant = [
        c for c in ("series", "lever", "country", "actor", "nationality") if c in frame and frame[c].nunique() == 1
    ]
    blank = [c for c in ("month", "end_date", "magnitude", "notes") if c in frame and _blank(frame[c])]
    shown = [c for c in frame.columns if c not in constant and c not in blank]
    rows = f"{len(frame):,} row{'s' if len(frame) != 1 else ''}"
    same = "".join(f", {c} {frame[c].iloc[0]}" for c in constant)
    title = escape(f"{name} ({DATASETS[name].file}): {rows}{same}")
    if console.width < 12 * len(shown):  # too narrow for one column per field: one block per row
        _print_records(frame[shown], title, full)
    else:
        _print_table(frame[shown], title, full)
    if not full:
        console.print(f"Long text is shortened; --full shows it all, or corredor.data.load({name!r}) in Python.")


def _print_records(frame: pd.DataFrame, title: str, full: bool) -> None:
    """Each row as a block of 'field  value' lines, for terminals too narrow for a column per field."""
    console.print(f"[bold]{title}[/] (one block per row; a wider terminal shows a table)")
    for number, values in enumerate(frame.itertuples(index=False), start=1):
        block = Table.grid(padding=(0, 2))
        block.add_column(style="bold", no_wrap=True)
        block.add_column(overflow="fold")
        for column, value in zip(frame.columns, values, strict=True):
            text = _cell(value, column, full)
            if text:
                block.add_row(column, escape(text))
        console.print(f"— {number} of {len(frame)}")
        console.print(block)


def _print_table(frame: pd.DataFrame, title: str, full: bool) -> None:
    shown = list(frame.columns)
    table = Table(title=title)
    for column in shown:
        numeric = column in ("year", "month", "value", "magnitude")
        dated = column in ("date", "end_date")
        table.add_column(
            column,
            justify="right" if numeric else "left",
            no_wrap=numeric or dated,
            overflow="fold",
            min_width=12 if column in ("unit", "source", "description") else None,
        )
    for values in frame.itertuples(index=False):
        table.add_row(*(escape(_cell(v, c, full)) for v, c in zip(values, shown, strict=True)))
    console.print(table)


def parameters_markdown() -> str:
    """docs/parameters.md: every parameter with value, unit, allowed range and source, generated from the code."""
    lines = [
        "# Model parameters",
        "",
        "Generated by `corredor info --markdown` from `src/corredor/parameters.py`; a test keeps this file in step",
        "with the code. Every parameter can be set in a scenario file under `[parameters.<group>]`. Sources cite",
        "sections (§) of [PARAMETERS.md](sources/PARAMETERS.md), the project's sourced research notes, and the",
        "primary publisher; `assumption:` says why a value was chosen where no",
        "source gives it. `corredor calibrate` fits the free ones to the observed series up to 2018",
        "(docs/calibration.md); the fitted values, in `scenarios/calibrated/parameters.toml`, override the defaults",
        "below in every shipped scenario (baseline.toml extends that file).",
        "",
        "| parameter | default | unit | allowed | description | source |",
        "|---|---|---|---|---|---|",
    ]
    for row in parameter_rows():
        cells = [row[k].replace("|", "/") for k in ("parameter", "default", "unit", "allowed", "description", "source")]
        lines.append("| " + " | ".join(f"`{cells[0]}`" if i == 0 else c for i, c in enumerate(cells)) + " |")
    lines += [
        "",
        "## Policy levers",
        "",
        "Levers change on dated entries of a scenario's `[[policy]]` timeline (`date`, optional `until`, `lever`,",
        "`value`, `target`). Defaults apply before the first entry.",
        "",
        "| lever | default | allowed | target | unit | description |",
        "|---|---|---|---|---|---|",
    ]
    for name, lever in LEVERS.items():
        default = (
            (f"`{lever.default_from}`" if lever.default_from else "by node kind (see model.md)")
            if lever.default < 0
            else f"{lever.default:g}"
        )
        lines.append(
            f"| `{name}` | {default} | {lever.low:g} to {lever.high:g} | {lever.target or '-'} | {lever.unit} | "
            f"{lever.description} |"
        )
    return "\n".join(lines) + "\n"


def _register_calibration() -> None:
    from corredor.calibration import cli as calibration_cli

    app.command("calibrate")(calibration_cli.calibrate_command)
    app.command("validate-history")(calibration_cli.validate_history_command)


_register_calibration()
register_experiments(app)  # compare, sensitivity, optimize (corredor.experiments.cli)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
