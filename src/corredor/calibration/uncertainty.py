"""How well the observations pin down each fitted parameter: approximate 90 % intervals from the Jacobian of the
weighted residuals at the fitted values (Gauss-Newton, the linearised least-squares covariance).

With residuals r (n targets) and their Jacobian J in the unit box of the p free parameters (forward differences of
step ``diff_step``, the fit's replicate seeds), the covariance of the fitted point is s^2 (J'J)^-1 with
s^2 = |r|^2 / (n - p), taken through the singular values of J: a direction the targets do not feel (a singular
value below 1e-6 of the largest) gives every parameter that loads on it an unbounded interval. Intervals are
clipped to the bounds. They are rough: the model is not linear over the interval, n - p is small (27 fitted targets for
22 parameters in the shipped fit), and common random numbers only partly cancel the seed noise in J.
"""

from __future__ import annotations

import datetime as dt
import math
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from corredor.calibration import loss as L
from corredor.calibration import space
from corredor.calibration.fit import forward_jacobian, residuals_at

Z90 = 1.6448536269514722  # two-sided 90 % normal quantile
SINGULAR = 1e-6  # singular values below this share of the largest count as zero


def unit_standard_errors(residuals: NDArray[np.float64], jacobian: NDArray[np.float64]) -> NDArray[np.float64]:
    """Standard errors in the unit box from the residuals (n) and their Jacobian (n x p): inf where a direction the
    targets do not feel loads on the parameter, NaN for all when n <= p (no residual variance to estimate)."""
    n, p = jacobian.shape
    if n <= p:
        return np.full(p, np.nan)
    sigma2 = float(residuals @ residuals) / (n - p)
    _, singular, vt = np.linalg.svd(jacobian, full_matrices=False)  # n > p: p singular values, vt p x p
    free_direction = singular <= SINGULAR * max(float(singular.max(initial=0.0)), 1e-300)
    loads = vt**2  # (directions, parameters)
    variance = np.zeros(p)
    for k in range(p):
        if free_direction[k]:
            variance = np.where(loads[k] > 1e-12, np.inf, variance)
        else:
            variance = variance + loads[k] / singular[k] ** 2
    return np.sqrt(sigma2 * variance)


def intervals(
    raw: dict[str, Any],
    free: tuple[space.FreeParameter, ...],
    targets: L.Targets,
    *,
    scale: int,
    end: dt.date,
    replicates: int,
    root_seed: int,
    diff_step: float = 0.08,
    executor: Executor | None = None,
) -> pd.DataFrame:
    """One row per free parameter: fitted value, approximate 90 % interval (clipped to the bounds), the interval's
    width as a share of the bounds (on log scale for log parameters), and the bounds. Simulates 1 + p histories."""
    u0 = space.to_unit(free, space.values_of(raw, free))

    def residuals_of(points: list[NDArray[np.float64]]) -> list[NDArray[np.float64]]:
        candidates = [space.with_values(raw, free, space.from_unit(free, u)) for u in points]
        return residuals_at(candidates, targets, scale, end, replicates, root_seed, executor)

    centre, jacobian = forward_jacobian(u0, diff_step, residuals_of)
    errors = unit_standard_errors(centre, jacobian)
    rows = []
    for param, u, se in zip(free, u0, errors, strict=True):
        low_u, high_u = (max(0.0, u - Z90 * se), min(1.0, u + Z90 * se)) if np.isfinite(se) else (0.0, 1.0)
        if math.isnan(se):
            low_u = high_u = math.nan
        rows.append(
            {
                "parameter": param.path,
                "value": param.from_unit(float(u)),
                "low": param.from_unit(low_u) if not math.isnan(low_u) else math.nan,
                "high": param.from_unit(high_u) if not math.isnan(high_u) else math.nan,
                "width_share": high_u - low_u,
                "bounds": f"{param.low:g}-{param.high:g}" + (" (log)" if param.log else ""),
            }
        )
    return pd.DataFrame(rows, columns=["parameter", "value", "low", "high", "width_share", "bounds"])
