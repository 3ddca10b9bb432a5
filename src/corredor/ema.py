"""EMA Workbench adapter (optional extra ``ema``): a corredor scenario as an EMA Workbench `Model`, so EMA's
experiment designs, PRIM scenario discovery and feature scoring work on corredor runs.

```python
from ema_workbench import perform_experiments
from corredor.ema import corredor_model

model = corredor_model(
    scenario,
    uncertainties={"asylum.productivity_cases_per_year": (60, 150), "choice.legal_take_up": (0.2, 0.8)},
    levers={"mx_atd_share": (0, 0.8), "comar_caseworkers:tapachula": (7, 40)},
)
experiments, outcomes = perform_experiments(model, scenarios=50, policies=4)
```

Uncertainties are model parameters by path (``group.name``, as under ``[parameters]``); integer parameters become
`IntegerParameter`. Levers are policy levers by name, ``lever:target`` for one target; each experiment's lever
values take effect from `lever_date` (default: the start of the period) through `corredor.levers.with_levers`.
Outcomes are the totals over the period of `DEFAULT_OUTCOMES` (or of the events or functions you name), averaged
over `replications` runs whose seeds come from ``SeedSequence(seed).spawn``: every experiment uses the same seeds
(common random numbers), so differences between experiments come from their inputs. Bad names or ranges raise
`ScenarioError` naming ``uncertainties.<path>`` or ``levers.<name>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from corredor.levers import with_levers, with_parameters
from corredor.parameters import Parameters
from corredor.results import Results
from corredor.scenario import LEVERS, Scenario, ScenarioError, unknown_lever
from corredor.simulate import simulate

Measure = Callable[[Results], float]

# name -> (event summed over the period, EMA kind)
DEFAULT_OUTCOMES: dict[str, tuple[str, str]] = {
    "departures": ("departure", "info"),
    "irregular_journeys": ("journey_start", "minimize"),
    "deaths": ("death", "minimize"),
    "kidnappings": ("kidnapping", "minimize"),
    "extortions": ("extortion", "minimize"),
    "apprehensions_mx": ("apprehension_mx", "info"),
    "deportations_mx": ("deportation_mx", "minimize"),
    "smuggler_fees_usd": ("fee_usd", "minimize"),
    "arrivals_us_border": ("arrival_border", "info"),
    "apprehensions_us": ("apprehension_us", "info"),
}


def event_totals(results: Results) -> dict[str, float]:
    """Every event summed over the period, in persons (USD and km for weighted events)."""
    ev = results.event_columns
    totals = np.bincount(ev["event"], weights=ev["value"], minlength=len(results.event_names)) * results.scale
    return {name: float(v) for name, v in zip(results.event_names, totals, strict=True)}


def asylum_mean_wait_days(results: Results) -> float:
    """Mean days from application to decision of the cases decided in the period (0 if none)."""
    cases = results.case_columns
    decided = np.isin(cases["outcome"], [1, 2])  # recognised, rejected (CaseRegister.OUTCOMES)
    waits = cases["closed"][decided] - cases["applied"][decided]
    return float(waits.mean()) if len(waits) else 0.0


def _problems_for_uncertainties(ranges: Mapping[str, tuple[float, float]]) -> list[tuple[str, str]]:
    groups = Parameters.model_fields
    problems = []
    for path, bounds in ranges.items():
        group, _, name = path.removeprefix("parameters.").partition(".")
        model = groups[group].default_factory() if group in groups else None  # type: ignore[call-arg,misc]
        if model is None or name not in type(model).model_fields:
            problems.append((f"uncertainties.{path}", "unknown parameter; see `corredor info --parameters`"))
        elif not isinstance(getattr(model, name), int | float):
            problems.append((f"uncertainties.{path}", "not a number; only numeric parameters can be uncertain"))
        elif len(bounds) != 2 or not bounds[0] < bounds[1]:
            problems.append((f"uncertainties.{path}", f"{bounds!r} -> give (low, high) with low < high"))
    return problems


def _problems_for_levers(ranges: Mapping[str, tuple[float, float]]) -> list[tuple[str, str]]:
    problems = []
    for key, bounds in ranges.items():
        name, _, target = key.partition(":")
        lever = LEVERS.get(name)
        if lever is None:
            problems.append((f"levers.{key}", unknown_lever(name)))
        elif lever.target in ("office", "node") and not target:
            problems.append((f"levers.{key}", f"lever {name} needs a target: write '{name}:<{lever.target} id>'"))
        elif len(bounds) != 2 or not lever.low <= bounds[0] < bounds[1] <= lever.high:
            allowed = f"{lever.low:g} <= low < high <= {lever.high:g}"
            problems.append((f"levers.{key}", f"{bounds!r} -> give (low, high) with {allowed}"))
    return problems


def _is_int(path: str) -> bool:
    group, _, name = path.removeprefix("parameters.").partition(".")
    model = Parameters.model_fields[group].default_factory()  # type: ignore[call-arg,misc]
    return isinstance(getattr(model, name), int)


def _measures(outcomes: Sequence[str] | Mapping[str, Measure] | None) -> dict[str, tuple[Measure | str, str]]:
    """name -> (event name or function, kind)."""
    if outcomes is None:
        chosen: dict[str, tuple[Measure | str, str]] = {n: (e, k) for n, (e, k) in DEFAULT_OUTCOMES.items()}
        chosen["asylum_mean_wait_days"] = (asylum_mean_wait_days, "minimize")
        return chosen
    if isinstance(outcomes, Mapping):
        return {name: (function, "info") for name, function in outcomes.items()}
    known = {**{n: e for n, (e, _) in DEFAULT_OUTCOMES.items()}}
    return {name: (known.get(name, name), DEFAULT_OUTCOMES.get(name, ("", "info"))[1]) for name in outcomes}


def corredor_function(
    scenario: Scenario,
    uncertainties: Sequence[str] = (),
    levers: Sequence[str] = (),
    outcomes: Sequence[str] | Mapping[str, Measure] | None = None,
    seed: int = 0,
    replications: int = 1,
    lever_date: dt.date | str | None = None,
) -> Callable[..., dict[str, float]]:
    """The plain function EMA calls: keyword arguments (uncertainties and levers by name) -> scalar outcomes."""
    measures = _measures(outcomes)
    seeds = [int(s.generate_state(1)[0]) for s in np.random.SeedSequence(seed).spawn(replications)]
    events = {m for m, _ in measures.values() if isinstance(m, str)}
    unknown = sorted(events - set(_event_names()))
    if unknown:
        raise ScenarioError(
            scenario.name, [(f"outcomes.{name}", "not an event or a known outcome") for name in unknown]
        )

    def run(**experiment: Any) -> dict[str, float]:
        params = {path: experiment[path] for path in uncertainties}
        values: dict[str, Any] = {}
        for key in levers:
            name, _, target = key.partition(":")
            if target:
                values.setdefault(name, {})[target] = float(experiment[key])
            else:
                values[name] = float(experiment[key])
        planned = with_parameters(scenario, params) if params else scenario
        planned = with_levers(planned, values, date=lever_date) if values else planned
        sums: dict[str, float] = dict.fromkeys(measures, 0.0)
        for s in seeds:
            results = simulate(planned, seed=s)
            totals = event_totals(results)
            for name, (measure, _) in measures.items():
                sums[name] += totals[measure] if isinstance(measure, str) else float(measure(results))
        return {name: value / len(seeds) for name, value in sums.items()}

    return run


def _event_names() -> tuple[str, ...]:
    from corredor.engine.model import EVENTS

    return EVENTS


def corredor_model(
    scenario: Scenario,
    uncertainties: Mapping[str, tuple[float, float]],
    levers: Mapping[str, tuple[float, float]] | None = None,
    outcomes: Sequence[str] | Mapping[str, Measure] | None = None,
    seed: int = 0,
    replications: int = 1,
    lever_date: dt.date | str | None = None,
    name: str = "corredor",
) -> Any:
    """An `ema_workbench.Model` that runs `scenario` with the experiment's uncertainties and levers."""
    try:
        import ema_workbench as ema
    except ImportError:
        raise ImportError("the EMA Workbench adapter needs the extra: pip install 'corredor[ema]'") from None
    levers = dict(levers or {})
    problems = _problems_for_uncertainties(uncertainties) + _problems_for_levers(levers)
    if problems:
        raise ScenarioError(scenario.name, problems)
    measures = _measures(outcomes)
    model = ema.Model(
        name,
        function=corredor_function(
            scenario, tuple(uncertainties), tuple(levers), outcomes, seed, replications, lever_date
        ),
    )
    model.uncertainties = [
        ema.IntegerParameter(path, int(low), int(high)) if _is_int(path) else ema.RealParameter(path, low, high)
        for path, (low, high) in uncertainties.items()
    ]
    model.levers = [ema.RealParameter(key, low, high) for key, (low, high) in levers.items()]
    kinds = {"minimize": ema.ScalarOutcome.MINIMIZE, "maximize": ema.ScalarOutcome.MAXIMIZE}
    model.outcomes = [
        ema.ScalarOutcome(key, kind=kinds.get(kind, ema.ScalarOutcome.INFO)) for key, (_, kind) in measures.items()
    ]
    return model
