"""Compiled kernels (numba): the engine's per-agent loops and the group sums of the outputs, in one file.

numba's on-disk cache (``cache=True``) is keyed on the timestamp of the file that defines a function; kernels that
call kernels defined in another file could load stale machine code after that file changes, so every compiled
function lives here. The sub-model modules are thin wrappers that hand arrays to these kernels.

Random numbers: the kernels take the run's `numpy.random.Generator` and draw from it in exactly the order the
vectorised numpy code did (numba's generator methods give the same numbers as numpy's for the same bit generator
state), so compiled runs are identical to the numpy engine's, value for value.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def group_sum(labels: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:  # pragma: no cover - compiled
    """Sum of `values` per label (0 .. n_groups-1; negative labels skipped) with the compensated (Kahan) summation
    of pandas' groupby sum, in row order, so the totals equal pandas' to the last bit."""
    total = np.zeros(n_groups)
    compensation = np.zeros(n_groups)
    for i in range(len(labels)):
        g = labels[i]
        if g < 0:
            continue
        y = values[i] - compensation[g]
        t = total[g] + y
        compensation[g] = t - total[g] - y
        if compensation[g] != compensation[g]:
            compensation[g] = 0.0
        total[g] = t
    return total
