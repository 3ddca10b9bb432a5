"""Scenarios for the dashboard's builder: the shipped scenarios as JSON, validation by the same pydantic schema as
the CLI (`corredor.scenario.parse_scenario`) with problems as (field, message), TOML in and out, and the caps on
what one run may ask for (horizon, agents, replicates).

A scenario from the web must use the default network and may not ``extends`` a file: nothing in a request names a
path on the server.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from corredor.scenario import Scenario, ScenarioError, _read_toml, parse_scenario

SCENARIO_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Limits:
    """Caps on one run submitted from the dashboard."""

    max_days: int = 3660  # ten years
    max_agents: int = 3_000_000  # estimated agents over the whole run
    max_replicates: int = 10


class Problems(ValueError):
    """Invalid input: ``problems`` lists (field path, message)."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        super().__init__("; ".join(f"{f}: {m}" for f, m in problems))


def default_scenarios_dir() -> Path:
    """``scenarios/`` of the working folder if there is one, else the one next to the source tree."""
    here = Path.cwd() / "scenarios"
    return here if here.is_dir() else Path(__file__).resolve().parents[3] / "scenarios"


def list_scenarios(folder: Path) -> list[dict[str, str]]:
    out = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            data = _read_toml(path)
        except ScenarioError:
            continue
        if data.get("network", "default") != "default":
            continue  # the builder only runs scenarios on the shipped network
        out.append(
            {"id": path.stem, "name": str(data.get("name", path.stem)), "description": data.get("description", "")}
        )
    return out


def shipped_scenario(folder: Path, scenario_id: str) -> dict[str, Any]:
    """A shipped scenario (``extends`` resolved) as JSON-ready data; KeyError if there is no such scenario."""
    if not SCENARIO_NAME.fullmatch(scenario_id) or scenario_id not in {s["id"] for s in list_scenarios(folder)}:
        raise KeyError(scenario_id)
    return to_json(_read_toml(folder / f"{scenario_id}.toml"))


def to_json(value: Any) -> Any:
    """TOML data (dates, nested tables) as JSON data (ISO date strings)."""
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _to_toml_data(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _to_toml_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_to_toml_data(v) for v in value]
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def to_toml(data: dict[str, Any]) -> str:
    """Scenario data as TOML text (dates as TOML dates; empty values left out)."""
    header = "# corredor scenario saved from the dashboard\n"
    return header + tomli_w.dumps(_to_toml_data(data))


def reproduction_lines(record: dict[str, Any]) -> list[str]:
    """How to reproduce a dashboard run's numbers from its scenario file: the root seed, and per replicate the seed
    it ran with (`corredor.experiments.replicate_seeds(root seed, replicates)`) and the equivalent command line."""
    run_id, seeds, scale = record["id"], record.get("seeds", []), record.get("scale", 1)
    root = record.get("root_seed", 0)
    lines = [
        f"Dashboard run {run_id} ({record.get('name', 'scenario')}): {len(seeds)} replicate(s) at 1 agent = {scale}"
        f" person(s), root seed {root} (the `seed` of this file).",
        f"Replicate i ran with seed corredor.experiments.replicate_seeds({root}, {len(seeds)})[i]"
        " (numpy SeedSequence(root).spawn); the dashboard shows their mean and 5-95 % band.",
        "`corredor run` without --seed runs the root seed itself, which no replicate used. Each replicate:",
    ]
    for k, seed in enumerate(seeds):
        lines.append(
            f"  replicate {k}: seed {seed}  ->  corredor run {run_id}.toml --scale {scale} --seed {seed}"
            f" --out runs/{run_id}/rep-{k}"
        )
    return lines


def with_reproduction_header(toml_text: str, record: dict[str, Any]) -> str:
    """A run's scenario file with `reproduction_lines` as comments after its first line."""
    first, _, rest = toml_text.partition("\n")
    comments = "".join(f"# {line}\n" for line in reproduction_lines(record))
    return f"{first}\n{comments}{rest}" if first.startswith("#") else f"{comments}{toml_text}"


def from_toml(text: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Problems([("(file)", f"not valid TOML: {error}")]) from None
    return dict(to_json(data))


def validate(data: Any, limits: Limits | None = None) -> Scenario:
    """The scenario, or `Problems` naming every bad field (schema, network, web restrictions and caps)."""
    if not isinstance(data, dict):
        raise Problems([("scenario", "must be a JSON object (a scenario's tables and keys)")])
    problems = []
    if "extends" in data:
        problems.append(("extends", "not allowed from the dashboard; load the scenario to extend and change it"))
    if data.get("network", "default") != "default":
        problems.append(("network", f"{data.get('network')!r} -> allowed from the dashboard: 'default'"))
    if problems:
        raise Problems(problems)
    try:
        scenario = parse_scenario(data, "scenario")
    except ScenarioError as error:
        raise Problems(error.problems) from None
    if limits is not None:
        check_limits(scenario, limits)
    return scenario


def estimated_agents(scenario: Scenario) -> int:
    """Rough number of agents a run creates: departures over the period (x1.5 for drivers and re-attempts),
    caravans (with what their recorded sizes can add: each tops the caravan up to at most that many), cohorts and
    asylum applicants from outside the corridor, divided by the scale."""
    years = scenario.period.days / 365.25
    persons = 1.5 * years * sum(n.base_departures_per_year for n in scenario.nationalities.values())
    period = scenario.period
    for c in scenario.caravans:
        if period.start <= c.date <= period.end:
            persons += c.size + sum(n for day, n in c.recorded_sizes.items() if day <= period.end)
    persons += sum(c.persons for c in scenario.cohorts if period.start <= c.date <= period.end)  # others do nothing
    for entry in scenario.outside_applicants:  # the share of their dates within the period
        overlap = (min(entry.end, period.end) - max(entry.start, period.start)).days + 1
        persons += entry.persons * max(overlap, 0) / ((entry.end - entry.start).days + 1)
    return int(persons / scenario.scale)


def check_limits(scenario: Scenario, limits: Limits) -> None:
    problems = []
    if scenario.period.days > limits.max_days:
        problems.append(
            (
                "period.end",
                f"the period has {scenario.period.days} days; allowed from the dashboard: up to {limits.max_days} days",
            )
        )
    agents = estimated_agents(scenario)
    if agents > limits.max_agents:
        least_scale = int(scenario.scale * agents / limits.max_agents) + 1
        problems.append(
            (
                "scale",
                f"about {agents:,} agents at 1 agent = {scenario.scale} person{'s' if scenario.scale != 1 else ''};"
                f" allowed: up to {limits.max_agents:,} (raise the scale to at least {least_scale} or shorten the"
                " period)",
            )
        )
    if problems:
        raise Problems(problems)
