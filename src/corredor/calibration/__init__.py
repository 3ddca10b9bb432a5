"""Calibration and validation against history: `calibrate` fits the free parameters to the observed series up to
a cut-off year and writes them as a scenario fragment (TOML); `validate_history` scores the calibrated history
in and out of sample and against naive forecasts. Method: docs/calibration.md.

Modules: `space` (free parameters, bounds, transforms), `loss` (targets, simulated statistics, residuals),
`runner` (replicates with common random numbers on an executor), `fit` (least squares, multi-start, TOML output),
`validate` (metrics, backtest, figures, Markdown), `uncertainty` (approximate intervals of the fitted parameters),
`residuals` (what the history leaves unexplained), `cli` (the `calibrate` and `validate-history` commands).

The names are imported when first used (PEP 562), so that the command line starts without loading SciPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corredor.calibration.fit import FitResult, calibrate, write_calibrated
    from corredor.calibration.space import FREE_PARAMETERS, FreeParameter
    from corredor.calibration.validate import validate_history

_HOME = {
    "FitResult": "fit",
    "calibrate": "fit",
    "write_calibrated": "fit",
    "FREE_PARAMETERS": "space",
    "FreeParameter": "space",
    "validate_history": "validate",
}

__all__ = ["FREE_PARAMETERS", "FitResult", "FreeParameter", "calibrate", "validate_history", "write_calibrated"]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'corredor.calibration' has no attribute {name!r}")
    return getattr(importlib.import_module(f"corredor.calibration.{_HOME[name]}"), name)
