"""Experiment files (TOML): the scenario, uncertainties, outcomes, and the settings of `corredor sensitivity` and
`corredor optimize`, validated by pydantic; every problem is reported with the field path (a `ScenarioError`, so the
CLI exits with status 2).

    scenario = "../scenarios/baseline.toml"   # relative to this file; optional for `corredor compare`
    replicates = 20                            # runs per scenario (compare)
    seed = 1                                   # root seed
    sampler = "lhs"                            # or "sobol": how uncertainties are sampled

    [[uncertainties]]                          # see corredor.experiments.design.Factor
    path = "parameters.hazards.death_per_1000km"
    low = 0.0002
    high = 0.0008
    log = true

    [[outcomes]]                               # default: every standard outcome with its standard kind
    name = "deaths"
    kind = "minimize"                          # minimize / maximize / info

    [sensitivity]   ...                        # `SensitivitySettings`
    [optimize]      ...                        # `OptimizeSettings`, with [[optimize.levers]]
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_validator, model_validator

from corredor.experiments.design import Factor, Sampler, apply
from corredor.experiments.outcomes import STANDARD_OUTCOMES, Kind, outcome_info
from corredor.parameters import Strict
from corredor.scenario import (
    EXPERIMENT_KEYS,
    Scenario,
    ScenarioError,
    load_scenario,
    network_problems,
    validation_problems,
)


class Outcome(Strict):
    """An outcome an experiment reports, with its kind (what counts as better)."""

    name: str
    kind: Kind | None = Field(None, description="minimize, maximize or info (default: the standard kind)")

    @field_validator("name")
    @classmethod
    def _known(cls, name: str) -> str:
        outcome_info(name)
        return name

    @model_validator(mode="after")
    def _default_kind(self) -> Outcome:
        if self.kind is None:
            self.kind = outcome_info(self.name).kind
        return self


class SensitivitySettings(Strict):
    """Morris screening, then Sobol indices (Saltelli sampling) of the uncertainties that survive screening."""

    trajectories: int = Field(10, ge=2, le=1000, description="Morris trajectories (each has one run per factor + 1)")
    levels: int = Field(4, ge=2, le=20, description="Morris grid levels (even)")
    threshold: float = Field(
        0.1, ge=0, le=1, description="Keep a factor if its mu* reaches this share of the largest mu* of any outcome"
    )
    sobol_n: int = Field(64, ge=4, le=65536, description="Saltelli base sample (power of two); runs = n x (k + 2)")
    replicates_per_point: int = Field(1, ge=1, le=1000, description="Runs per design point (common seeds), averaged")
    confidence: float = Field(0.95, gt=0.5, lt=1, description="Level of the bootstrap confidence intervals")

    @field_validator("sobol_n")
    @classmethod
    def _power_of_two(cls, n: int) -> int:
        if n & (n - 1):
            raise ValueError(f"{n} is not a power of two; allowed: 4, 8, 16, 32, 64, ...")
        return n

    @field_validator("levels")
    @classmethod
    def _even(cls, n: int) -> int:
        if n % 2:
            raise ValueError(f"{n} is odd; Morris needs an even number of levels (e.g. 4)")
        return n


class DecisionLever(Factor):
    """A lever the search may set, its range, the value the scenario already has, and its cost per unit."""

    baseline: float | None = Field(None, description="The scenario's own value (default: the lever default)")
    cost_usd_per_unit: float | None = Field(
        None, ge=0, description="USD per unit per year above baseline (default: corredor.experiments.costs)"
    )


class OptimizeSettings(Strict):
    """Policy search: candidates from a Sobol sample of the lever box within the budget, each evaluated on the same
    uncertainty samples and replicate seeds, scored by a high quantile; then local refinement around the best."""

    levers: list[DecisionLever] = Field(min_length=1)
    budget_usd_million: float = Field(ge=0, description="Yearly budget for lever costs above baseline")
    candidates: int = Field(32, ge=2, le=100000, description="Candidates of the first round (Sobol sample)")
    refine: int = Field(8, ge=0, le=100000, description="Candidates of the refinement round around the best")
    uncertainty_samples: int = Field(4, ge=1, le=10000, description="Uncertainty samples per candidate (LHS)")
    replicates: int = Field(2, ge=1, le=1000, description="Replicates per candidate and uncertainty sample")
    quantile: float = Field(0.9, gt=0, lt=1, description="Score of an outcome to minimise: this quantile over runs")
    max_wait_working_days: float | None = Field(
        45,
        ge=0,
        description="Target: the quantile of the mean time COMAR files waited (pending ones so far) must not exceed "
        "this (None: no target)",
    )
    min_within_deadline: float | None = Field(
        None,
        ge=0,
        le=1,
        description="Target: the share of COMAR files decided within the legal deadline, at its lower quantile "
        "(1 - quantile), must be at least this (None: no target). Unlike the mean wait, which counts decided files "
        "only, it counts files left pending past the deadline as late",
    )
    objectives: list[str] = Field(
        default_factory=lambda: ["deaths", "kidnappings", "irregular_journeys"],
        min_length=1,
        description="Outcomes to minimise (standard outcome names)",
    )

    @field_validator("objectives")
    @classmethod
    def _known(cls, names: list[str]) -> list[str]:
        for name in names:
            info = outcome_info(name)
            if info.kind == "maximize":
                raise ValueError(f"{name} is an outcome to maximise; objectives are minimised")
        return names


class Experiment(Strict):
    """An experiment file (see the module docstring)."""

    scenario: str | None = Field(None, description="Scenario file, relative to the experiment file")
    replicates: int = Field(20, ge=1, le=1_000_000)
    seed: int = Field(0, ge=0, description="Root seed of the replicate seeds and the samples")
    sampler: Sampler = "lhs"
    uncertainties: list[Factor] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    sensitivity: SensitivitySettings = Field(default_factory=SensitivitySettings)
    optimize: OptimizeSettings | None = None

    @model_validator(mode="after")
    def _unique(self) -> Experiment:
        names = [f.name for f in self.uncertainties]
        duplicated = sorted({n for n in names if names.count(n) > 1})
        if duplicated:
            raise ValueError(f"uncertainty names must be unique; repeated: {', '.join(duplicated)}")
        outcomes = [o.name for o in self.outcomes]
        repeated = sorted({n for n in outcomes if outcomes.count(n) > 1})
        if repeated:
            raise ValueError(f"outcome names must be unique; repeated: {', '.join(repeated)}")
        return self

    def declared_outcomes(self) -> list[Outcome]:
        """The declared outcomes, or every standard outcome with its standard kind."""
        return self.outcomes or [Outcome(name=name) for name in STANDARD_OUTCOMES]


def check_factors(scenario: Scenario, factors: list[Factor], field: str) -> list[tuple[str, str]]:
    """Problems (field path, message) of applying each factor's low and high values to the scenario."""
    problems: list[tuple[str, str]] = []
    for i, factor in enumerate(factors):
        for bound in ("low", "high"):
            try:
                changed = apply(scenario, [factor], [getattr(factor, bound)])
            except ValueError as error:
                problems.append((f"{field}[{i}].{bound}", f"{getattr(factor, bound)!r} -> {error}"))
                break
            if factor.is_lever and factor.target is not None:
                for path, message in network_problems(changed, scenario.load_network()):
                    if path.startswith(f"policy[{len(changed.policy) - 1}]"):
                        problems.append((f"{field}[{i}].target", message))
                break
    return problems


SCENARIO_KEYS = ("period", "origins", "nationalities", "policy", "extends", "network")  # of scenario files only


def parse_experiment(data: dict[str, Any], source: str = "<experiment>") -> Experiment:
    """Validate an experiment given as a dict; `ScenarioError` names every bad field."""
    found = [key for key in SCENARIO_KEYS if key in data]
    if found and not any(key in data for key in ("scenario", *EXPERIMENT_KEYS)):
        raise ScenarioError(
            source,
            [
                (
                    "(file)",
                    f"a scenario file ({', '.join(found)}), not an experiment: an experiment file names its scenario "
                    '(scenario = "../baseline.toml") and lists [[uncertainties]]; see '
                    "scenarios/experiments/baseline-uncertainty.toml",
                )
            ],
        )
    try:
        return Experiment.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(source, validation_problems(error)) from None


def load_experiment(path: str | Path) -> tuple[Experiment, Scenario | None]:
    """Read an experiment file and the scenario it names (if any); check its factors against that scenario."""
    path = Path(path)
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ScenarioError(source, [("(file)", f"cannot be read: {error.strerror}")]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ScenarioError(source, [("(file)", f"not valid TOML: {error}")]) from None
    experiment = parse_experiment(data, source)
    scenario = None
    if experiment.scenario is not None:
        scenario_path = path.parent / experiment.scenario
        if not scenario_path.is_file():
            raise ScenarioError(source, [("scenario", f"{experiment.scenario!r} -> no such file next to {path.name}")])
        scenario = load_scenario(scenario_path)
        validate_against(experiment, scenario, source)
    return experiment, scenario


def validate_against(experiment: Experiment, scenario: Scenario, source: str) -> None:
    """Raise `ScenarioError` if a factor of the experiment does not fit the scenario."""
    problems = check_factors(scenario, experiment.uncertainties, "uncertainties")
    if experiment.optimize is not None:
        problems += check_factors(scenario, list(experiment.optimize.levers), "optimize.levers")
    if problems:
        raise ScenarioError(source, problems)
