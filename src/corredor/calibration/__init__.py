"""Calibration and validation against history: `calibrate` fits the free parameters to the observed series up to
a cut-off year and writes them as a scenario fragment (TOML); `validate_history` scores the calibrated history
in and out of sample and against naive forecasts. Method: docs/calibration.md.

Modules: `space` (free parameters, bounds, transforms), `loss` (targets, simulated statistics, residuals),
`runner` (replicates with common random numbers on an executor), `fit` (least squares, TOML output),
`validate` (metrics, backtest, figures, Markdown).
"""

from corredor.calibration.fit import FitResult, calibrate, write_calibrated
from corredor.calibration.space import FREE_PARAMETERS, FreeParameter
from corredor.calibration.validate import validate_history

__all__ = ["FREE_PARAMETERS", "FitResult", "FreeParameter", "calibrate", "validate_history", "write_calibrated"]
