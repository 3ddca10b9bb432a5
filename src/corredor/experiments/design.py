"""Experimental factors (uncertainties and decision levers), their sampling, and how a sampled point changes a
scenario.

A `Factor` names one quantity of a scenario by ``path``:

- ``parameters.<group>.<name>`` — a model parameter (`corredor.parameters`); a dict entry or a list element is
  addressed by one more segment: ``parameters.asylum.recognition_rate.HND``, ``parameters.hazards.train_multiplier.3``;
- ``lever.<name>`` — a policy lever (`corredor.scenario.LEVERS`) with an optional ``target`` (office, node, port or
  nationality) and ``date`` (default: the first day of the period). From ``date`` on the lever holds the sampled value:
  the scenario's own ``[[policy]]`` entries for the same lever and target dated on or after ``date`` are dropped and
  one entry is appended, so nothing later in the timeline overrides the sampled value.

Values are drawn in the unit cube by Latin hypercube or scrambled Sobol sampling (`scipy.stats.qmc`) and mapped to
``[low, high]`` linearly, or log-uniformly with ``log = true``; ``integer = true`` rounds. A `Design` is a list of
points (one value per factor) and the number of replicate runs per point.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field, ValidationError, model_validator
from scipy.stats import qmc

from corredor.parameters import Parameters, Strict
from corredor.scenario import LEVERS, PolicyChange, Scenario

Sampler = Literal["lhs", "sobol"]


class Factor(Strict):
    """One quantity of a scenario varied by an experiment, with its range."""

    name: str = Field("", description="Label in tables and reports (default: the path, with the target)")
    path: str = Field(description="parameters.<group>.<name>[.<key>] or lever.<name>")
    target: str | None = Field(None, description="Lever target: office, node, port or nationality id")
    date: dt.date | None = Field(None, description="Lever: first day of the value (default: period start)")
    low: float
    high: float
    log: bool = Field(False, description="Sample log-uniformly (low must be > 0)")
    integer: bool = Field(False, description="Round sampled values to whole numbers")

    @model_validator(mode="after")
    def _check(self) -> Factor:
        if not self.high > self.low:
            raise ValueError(f"high ({self.high:g}) must be greater than low ({self.low:g})")
        if self.log and self.low <= 0:
            raise ValueError(f"log = true needs low > 0 (got {self.low:g})")
        head, _, rest = self.path.partition(".")
        if head not in ("parameters", "lever") or not rest:
            raise ValueError(f"path {self.path!r}: allowed forms are parameters.<group>.<name> or lever.<name>")
        if head == "lever":
            lever = LEVERS.get(rest)
            if lever is None:
                raise ValueError(f"path {self.path!r}: unknown lever; allowed: {', '.join(sorted(LEVERS))}")
            if not (lever.low <= self.low and self.high <= lever.high):
                raise ValueError(
                    f"range {self.low:g}..{self.high:g} leaves the lever's allowed {lever.low:g}..{lever.high:g}"
                )
            if lever.target in ("office", "node") and self.target is None:
                raise ValueError(f"lever {rest} needs a target ({lever.target} id)")
            if lever.target is None and self.target is not None:
                raise ValueError(f"lever {rest} takes no target")
        else:
            if self.target is not None or self.date is not None:
                raise ValueError("target and date apply to levers only")
            node: Any = Parameters().model_dump()
            keys = rest.split(".")
            for i, key in enumerate(keys):
                if isinstance(node, dict) and key in node:
                    node = node[key]
                elif i == len(keys) - 1 and isinstance(node, dict) and new_entry_allowed(keys):
                    node = 0.0  # a new entry of a by-nationality table (set in the scenario, e.g. by the fit)
                elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                    node = node[int(key)]
                else:
                    allowed = (
                        ", ".join(map(str, node))
                        if isinstance(node, dict)
                        else f"0..{len(node) - 1}"
                        if isinstance(node, list)
                        else "nothing (a single value)"
                    )
                    raise ValueError(f"path {self.path!r}: no {key!r}; allowed here: {allowed}")
            if isinstance(node, dict | list):
                raise ValueError(f"path {self.path!r} names a table; add the key of one entry")
        if not self.name:
            self.name = self.path + (f"@{self.target}" if self.target else "")
        return self

    @property
    def is_lever(self) -> bool:
        return self.path.startswith("lever.")

    def scale(self, unit: NDArray[np.float64]) -> NDArray[np.float64]:
        """Map values in [0, 1] onto the factor's range."""
        if self.log:
            values = np.exp(math.log(self.low) + unit * (math.log(self.high) - math.log(self.low)))
        else:
            values = self.low + unit * (self.high - self.low)
        values = np.clip(values, self.low, self.high)
        return np.asarray(np.round(values) if self.integer else values, dtype=np.float64)


def unit_sample(dimensions: int, n: int, method: Sampler, seed: int) -> NDArray[np.float64]:
    """``n`` points in the unit cube: Latin hypercube or scrambled Sobol (n a power of two is best for Sobol)."""
    if n < 1:
        raise ValueError(f"the sample needs at least 1 point, got {n}")
    if dimensions == 0:
        return np.zeros((n, 0))
    engine: qmc.QMCEngine
    if method == "lhs":
        engine = qmc.LatinHypercube(d=dimensions, seed=np.random.default_rng(seed))
    elif method == "sobol":
        engine = qmc.Sobol(d=dimensions, scramble=True, seed=np.random.default_rng(seed))
    else:
        raise ValueError(f"sampler {method!r}: allowed: lhs, sobol")
    if method == "sobol":
        m = math.ceil(math.log2(n))
        return np.asarray(engine.random_base2(m)[:n], dtype=np.float64)
    return np.asarray(engine.random(n), dtype=np.float64)


def sample(factors: Sequence[Factor], n: int, method: Sampler = "lhs", seed: int = 0) -> NDArray[np.float64]:
    """``n`` sampled points (rows) of ``factors`` (columns), in the factors' units."""
    unit = unit_sample(len(factors), n, method, seed)
    return scale_unit(factors, unit)


def scale_unit(factors: Sequence[Factor], unit: NDArray[np.float64]) -> NDArray[np.float64]:
    """Points in the unit cube (rows) mapped column by column onto the factors' ranges."""
    if unit.shape[1] != len(factors):
        raise ValueError(f"{unit.shape[1]} columns for {len(factors)} factors")
    columns = [f.scale(unit[:, j]) for j, f in enumerate(factors)]
    return np.column_stack(columns) if columns else np.zeros((unit.shape[0], 0))


NATIONALITY_KEY = re.compile(r"[A-Z]{3}|OTHER")


def new_entry_allowed(keys: list[str]) -> bool:
    """Whether `group.table.KEY` may name an entry its default lacks: a nationality in a table keyed by name (e.g.
    `departures.homicide_elasticity_by_nationality.HND`, which the calibrated scenarios set)."""
    if len(keys) != 3 or not NATIONALITY_KEY.fullmatch(keys[2]):
        return False
    group = Parameters.model_fields.get(keys[0])
    model = group.annotation if group is not None else None
    fields = getattr(model, "model_fields", {})
    return keys[1] in fields and typing.get_origin(fields[keys[1]].annotation) is dict


def _set(tree: Any, keys: list[str], value: float, path: str) -> None:
    node = tree
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        if isinstance(node, dict):
            if key not in node and not (last and new_entry_allowed(keys)):
                allowed = ", ".join(str(k) for k in node)
                raise ValueError(f"path {path!r}: no {key!r} here; allowed: {allowed}")
            if last:
                node[key] = value
            else:
                node = node[key]
        elif isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                raise ValueError(f"path {path!r}: {key!r} is not an index 0..{len(node) - 1}")
            if last:
                node[int(key)] = value
            else:
                node = node[int(key)]
        else:
            raise ValueError(f"path {path!r}: {'.'.join(keys[:i])} is a single value; remove {key!r}")


def apply(scenario: Scenario, factors: Sequence[Factor], values: Sequence[float]) -> Scenario:
    """A copy of ``scenario`` with each factor set to its value (parameters validated; lever entries appended)."""
    if len(factors) != len(values):
        raise ValueError(f"{len(values)} values for {len(factors)} factors")
    if not factors:
        return scenario
    update: dict[str, Any] = {}
    parameter_factors = [(f, v) for f, v in zip(factors, values, strict=True) if not f.is_lever]
    if parameter_factors:
        tree = scenario.parameters.model_dump()
        for factor, value in parameter_factors:
            keys = factor.path.split(".")[1:]
            current: Any = tree
            for key in keys[:-1]:
                current = current.get(key) if isinstance(current, dict) else None
            leaf = current.get(keys[-1]) if isinstance(current, dict) else None
            if isinstance(leaf, int) and not isinstance(leaf, bool) and float(value).is_integer():
                value = int(value)
            elif isinstance(leaf, dict | list):
                raise ValueError(f"path {factor.path!r} names a table; add the key of one entry")
            _set(tree, keys, float(value) if not isinstance(value, int) else value, factor.path)
        try:
            update["parameters"] = Parameters.model_validate(tree)
        except ValidationError as error:
            item = error.errors()[0]
            where = ".".join(str(p) for p in item["loc"])
            raise ValueError(f"parameters.{where}: {item['msg']}") from None
    policy = list(scenario.policy)
    for factor, value in zip(factors, values, strict=True):
        if not factor.is_lever:
            continue
        lever = factor.path.removeprefix("lever.")
        start = factor.date or scenario.period.start
        policy = [p for p in policy if not (p.lever == lever and p.target == factor.target and p.date >= start)]
        policy.append(PolicyChange(date=start, lever=lever, value=float(value), target=factor.target))
    if any(f.is_lever for f in factors):
        update["policy"] = policy
    return scenario.model_copy(update=update)


@dataclass(frozen=True)
class Design:
    """Points of an experiment: ``values[i]`` sets ``factors`` for point ``i``; each point runs
    ``replicates_per_point`` times. Run ``j`` is point ``j // replicates_per_point``. With ``common_seeds`` the
    replicates of every point share the seeds ``replicate_seeds(root, replicates_per_point)`` (common random numbers:
    points differ only by their factors); otherwise run ``j`` has seed ``replicate_seeds(root, runs)[j]``."""

    factors: tuple[Factor, ...]
    values: tuple[tuple[float, ...], ...]
    replicates_per_point: int = 1
    common_seeds: bool = False

    @classmethod
    def from_array(
        cls,
        factors: Sequence[Factor],
        values: NDArray[np.float64],
        replicates_per_point: int = 1,
        common_seeds: bool = False,
    ) -> Design:
        rows = tuple(tuple(float(v) for v in row) for row in np.asarray(values, dtype=np.float64))
        return cls(tuple(factors), rows, replicates_per_point, common_seeds)

    def __post_init__(self) -> None:
        if self.replicates_per_point < 1:
            raise ValueError(f"replicates_per_point must be >= 1, got {self.replicates_per_point}")
        if any(len(row) != len(self.factors) for row in self.values):
            raise ValueError("every point needs one value per factor")

    @property
    def points(self) -> int:
        return len(self.values)

    @property
    def runs(self) -> int:
        return self.points * self.replicates_per_point

    def point_of(self, run: int) -> int:
        return run // self.replicates_per_point

    def fingerprint(self) -> str:
        """sha256 of the factors, values and seeding (part of the catalog's identity of a run)."""
        payload = {
            "factors": [f.model_dump(mode="json") for f in self.factors],
            "values": self.values,
            "replicates_per_point": self.replicates_per_point,
            "common_seeds": self.common_seeds,
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
