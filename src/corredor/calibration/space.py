"""The free parameters of the calibration: where each lives in a scenario, its bounds, and the map between the
optimiser's unit box [0, 1]^n and parameter values (log scale for rates and sizes).

Bounds are the published ranges where a source gives one (e.g. US re-attempts 25-45 %, DHS OIS 2017) and the
allowed ranges of `corredor.parameters` otherwise. Values are read from and written to a scenario as a plain dict
(parsed TOML), so the fitted set can be written back as TOML and merged by ``extends``.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from corredor.parameters import Parameters


@dataclass(frozen=True)
class FreeParameter:
    """A fitted quantity: ``path`` into the scenario dict (dots), bounds, log scale, and ``table``: when set, the
    path names one entry of a table whose other entries keep their ratios to it (e.g. asylum propensity)."""

    path: str
    low: float
    high: float
    log: bool = False
    table: bool = False
    why: str = ""

    def to_unit(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        if self.log:
            return (math.log(value) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))
        return (value - self.low) / (self.high - self.low)

    def from_unit(self, u: float) -> float:
        u = min(max(u, 0.0), 1.0)
        if self.log:
            value = math.exp(math.log(self.low) + u * (math.log(self.high) - math.log(self.low)))
        else:
            value = self.low + u * (self.high - self.low)
        return min(max(value, self.low), self.high)  # no rounding past a bound


NTCA = ("GTM", "HND", "SLV")
FREE_PARAMETERS: tuple[FreeParameter, ...] = (
    *(
        FreeParameter(f"nationalities.{n}.base_departures_per_year", 3e4, 6e5, log=True, why="no published rate")
        for n in NTCA
    ),
    *(
        FreeParameter(f"parameters.departures.homicide_elasticity_by_nationality.{n}", 0.0, 3.0, why="allowed range")
        for n in NTCA
    ),
    *(
        FreeParameter(f"parameters.departures.remittance_elasticity_by_nationality.{n}", 0.0, 3.0, why="allowed range")
        for n in NTCA
    ),
    FreeParameter("parameters.departures.homicide_lag_days", 0.0, 730.0, why="assumption range"),
    FreeParameter("parameters.enforcement.detection_per_node", 0.005, 0.15, log=True, why="assumption range"),
    FreeParameter("parameters.enforcement.frontera_sur_intensity", 1.0, 5.0, why="assumption range"),
    FreeParameter("parameters.enforcement.adaptation_half_life_days", 90.0, 3650.0, log=True, why="assumption range"),
    FreeParameter("parameters.departures.mx_enforcement_elasticity", 0.0, 1.0, why="assumption range"),
    FreeParameter("parameters.departures.us_deterrence_2017", 0.1, 1.0, why="assumption range"),
    FreeParameter("parameters.departures.deterrence_half_life_days", 30.0, 1825.0, log=True, why="assumption range"),
    FreeParameter("parameters.enforcement.reattempt_probability", 0.2, 0.95, why="assumption range"),
    FreeParameter("parameters.border.us_reattempt_probability", 0.25, 0.45, why="DHS OIS 2017: 25-45 %"),
    FreeParameter(
        "parameters.asylum.application_propensity.HND", 2e-5, 0.05, log=True, table=True, why="other entries tied"
    ),
    FreeParameter("parameters.asylum.word_of_mouth_per_1000", 0.1, 20.0, log=True, why="assumption range"),
    FreeParameter("parameters.asylum.word_of_mouth_memory_days", 180.0, 3650.0, log=True, why="assumption range"),
    FreeParameter("parameters.asylum.abandonment_mean_days", 180.0, 3650.0, log=True, why="assumption range"),
    FreeParameter(
        "parameters.asylum.recent_applicants_by_date.2012-01-01",
        100.0,
        10000.0,
        log=True,
        why="initial condition of the history (1 Jan 2012): no COMAR count for 2012 or earlier in the data",
    ),
)
# Stages of the default fit (block coordinate descent): the asylum block moves COMAR series and hardly the flows;
# the flow block moves CBP and UPM series and COMAR only through the number of people passing the offices.
ASYLUM_BLOCK = tuple(p for p in FREE_PARAMETERS if p.path.startswith("parameters.asylum."))
FLOW_BLOCK = tuple(p for p in FREE_PARAMETERS if not p.path.startswith("parameters.asylum."))


def find(names: list[str] | None) -> tuple[FreeParameter, ...]:
    """The free parameters whose path ends with one of ``names`` (all when None); ValueError names unknown ones."""
    if not names:
        return FREE_PARAMETERS
    chosen = [p for p in FREE_PARAMETERS if any(p.path.endswith(n) for n in names)]
    unknown = [n for n in names if not any(p.path.endswith(n) for p in FREE_PARAMETERS)]
    if unknown:
        allowed = ", ".join(p.path for p in FREE_PARAMETERS)
        raise ValueError(f"unknown free parameter(s) {unknown}; allowed (or any ending of): {allowed}")
    return tuple(chosen)


def _default(path: list[str]) -> Any:
    """Default of a `parameters.*` path from `corredor.parameters` (None for other paths)."""
    if path[0] != "parameters":
        return None
    node: Any = Parameters()
    for key in path[1:]:
        node = node.get(key) if isinstance(node, dict) else getattr(node, key, None)
        if node is None:
            return None
    return node.model_dump() if hasattr(node, "model_dump") else copy.deepcopy(node)


def read(raw: dict[str, Any], param: FreeParameter) -> float:
    """Current value of ``param`` in a scenario dict, falling back to the documented default."""
    keys = param.path.split(".")
    node: Any = raw
    for key in keys:
        node = node.get(_key_in(node, key)) if isinstance(node, dict) else None
        if node is None:
            break
    if node is None:
        node = _default(keys)
        if node is None and param.table:
            node = (_default(keys[:-1]) or {}).get(keys[-1])
    if node is None and keys[-2].endswith("_by_nationality"):  # falls back to the parameter for all nationalities
        general = FreeParameter(".".join([*keys[:-2], keys[-2].removesuffix("_by_nationality")]), 0, 1)
        return read(raw, general)
    if node is None:
        raise ValueError(f"{param.path}: no value in the scenario and no default")
    return float(node)


def write(raw: dict[str, Any], param: FreeParameter, value: float) -> None:
    """Set ``param`` in a scenario dict (in place). A table entry rescales the whole table."""
    keys = param.path.split(".")
    node = raw
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    if param.table:
        current = read(raw, param)
        table = dict(node) if node else dict(_default(keys[:-1]) or {})
        factor = value / current if current > 0 else 1.0
        node.clear()
        node.update({k: min(1.0, float(v) * factor) for k, v in table.items()})
        node[keys[-1]] = value
    else:
        node[_key_in(node, keys[-1])] = value


def _key_in(table: dict[Any, Any], key: str) -> Any:
    """The key of ``table`` that a path segment names: itself, or a key that reads the same (a date-keyed table of
    a parsed scenario, e.g. ``recent_applicants_by_date``, against the text ``2012-01-01`` of a path)."""
    if key in table:
        return key
    return next((k for k in table if str(k) == key), key)


def values_of(raw: dict[str, Any], params: tuple[FreeParameter, ...]) -> NDArray[np.float64]:
    return np.array([read(raw, p) for p in params])


def with_values(raw: dict[str, Any], params: tuple[FreeParameter, ...], values: Any) -> dict[str, Any]:
    """A copy of the scenario dict with the parameters set to ``values``."""
    out = copy.deepcopy(raw)
    for param, value in zip(params, values, strict=True):
        write(out, param, float(value))
    return out


def to_unit(params: tuple[FreeParameter, ...], values: Any) -> NDArray[np.float64]:
    return np.array([p.to_unit(float(v)) for p, v in zip(params, values, strict=True)])


def from_unit(params: tuple[FreeParameter, ...], u: Any) -> NDArray[np.float64]:
    return np.array([p.from_unit(float(x)) for p, x in zip(params, u, strict=True)])
