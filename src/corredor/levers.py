"""Levers and parameters from Python: build dated ``[[policy]]`` entries, and apply a set of lever values (or
parameter values) to a scenario, getting a new validated `Scenario`.

```python
from corredor.levers import with_levers, with_parameters

plan = with_levers(
    scenario,
    {"mx_risk_targeting": 0.8, "us_work_visa_quota": {"GTM": 12000, "HND": 3300}, "mx_atd_share": 0.5},
    date="2015-01-01",
)
plan = with_parameters(plan, {"asylum.productivity_cases_per_year": 150})
```

A lever value is a number (for a lever without target, or for every target of a nationality or port lever) or a
mapping ``{target: number}``. Office and node levers need the mapping. Problems raise `ScenarioError` naming the
field as ``levers.<lever>`` or ``levers.<lever>.<target>`` (``parameters.<group>.<name>`` for parameters), with what
is wrong and what is allowed, as for scenario files.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from corredor.scenario import LEVERS, Scenario, ScenarioError, parse_scenario, unknown_lever

LeverValue = float | Mapping[str, float]


def policy_entry(
    lever: str,
    value: float,
    date: dt.date | str,
    target: str | None = None,
    until: dt.date | str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """One ``[[policy]]`` entry as a dict (validated when the scenario is)."""
    entry: dict[str, Any] = {"date": date, "lever": lever, "value": value, "note": note}
    if target is not None:
        entry["target"] = target
    if until is not None:
        entry["until"] = until
    return entry


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def lever_entries(
    levers: Mapping[str, LeverValue],
    date: dt.date | str,
    until: dt.date | str | None = None,
    note: str = "",
) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, str]]]:
    """Policy entries for a lever set, the field label of each entry, and the problems found on the way."""
    entries: list[dict[str, Any]] = []
    labels: list[str] = []
    problems: list[tuple[str, str]] = []
    for name, value in levers.items():
        path = f"levers.{name}"
        lever = LEVERS.get(name)
        if lever is None:
            problems.append((path, unknown_lever(name)))
            continue
        if isinstance(value, Mapping):
            if lever.target is None:
                problems.append((path, f"{dict(value)!r} -> lever {name} takes no target; give a number"))
                continue
            for target, number in value.items():
                if not _number(number):
                    problems.append((f"{path}.{target}", f"{number!r} -> not a number"))
                    continue
                entries.append(policy_entry(name, float(number), date, str(target), until, note))
                labels.append(f"{path}.{target}")
        elif _number(value):
            if lever.target in ("office", "node"):
                wanted = f"{{<{lever.target} id>: value}}"
                problems.append((path, f"{value!r} -> lever {name} needs a target: give {wanted}"))
                continue
            entries.append(policy_entry(name, float(value), date, None, until, note))
            labels.append(path)
        else:
            problems.append((path, f"{value!r} -> not a number or a mapping {{target: number}}"))
    return entries, labels, problems


def _dump(scenario: Scenario) -> dict[str, Any]:
    return scenario.model_dump(mode="python", exclude={"base_dir"})


def with_levers(
    scenario: Scenario,
    levers: Mapping[str, LeverValue],
    date: dt.date | str | None = None,
    until: dt.date | str | None = None,
    note: str = "set with corredor.levers.with_levers",
) -> Scenario:
    """A copy of `scenario` whose policy timeline ends with the given lever values, from `date` (default: the
    start of the period) to `until` (default: the end). Later entries win, so these override the scenario's own
    entries from `date` on."""
    entries, labels, problems = lever_entries(levers, date or scenario.period.start, until, note)
    if problems:
        raise ScenarioError(scenario.name, problems)
    data = _dump(scenario)
    first = len(data["policy"])
    data["policy"] = data["policy"] + entries
    try:
        return parse_scenario(data, scenario.name, scenario.base_dir)
    except ScenarioError as error:

        def relabel(path: str) -> str:
            match = re.match(r"policy\[(\d+)\](.*)", path)
            if match and int(match.group(1)) >= first:
                rest = match.group(2)
                return labels[int(match.group(1)) - first] + ("" if rest in (".target", ".lever", ".value") else rest)
            return path

        raise ScenarioError(error.source, [(relabel(p), m) for p, m in error.problems]) from None


def with_parameters(scenario: Scenario, values: Mapping[str, Any]) -> Scenario:
    """A copy of `scenario` with parameters set by path, e.g. ``{"asylum.productivity_cases_per_year": 150}``
    (``parameters.`` in front is optional)."""
    data = _dump(scenario)
    problems: list[tuple[str, str]] = []
    for path, value in values.items():
        parts = path.removeprefix("parameters.").split(".")
        group = data["parameters"].get(parts[0]) if len(parts) == 2 else None
        if not isinstance(group, dict) or parts[1] not in group:
            problems.append((f"parameters.{'.'.join(parts)}", "unknown parameter; see `corredor info --parameters`"))
            continue
        group[parts[1]] = value
    if problems:
        raise ScenarioError(scenario.name, problems)
    return parse_scenario(data, scenario.name, scenario.base_dir)
