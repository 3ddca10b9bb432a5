"""Experiments on scenarios: ensembles, sampled uncertainties, comparison, sensitivity analysis and policy search.

    from corredor.experiments import run_ensemble

    ens = run_ensemble(scenario, 100, root_seed=1, out_dir=Path("runs/ens"))
    ens.outcomes          # one row per replicate
    ens.quantiles()       # 5 %, 50 %, 95 % of every outcome column

Modules: `ensemble` (replicate seeds, chunked runs on any executor, Parquet chunks), `catalog` (SQLite run catalog),
`design` (factors: uncertain parameters and levers, LHS / Sobol samples), `outcomes` (standard outcomes and kinds),
`spec` (experiment files), `executors` (serial / process pool / Dask), `compare`, `sensitivity` (SALib Morris and
Sobol), `optimize` (budgeted policy search, Pareto frontier), `costs` (lever costs), `report` (offline HTML),
`cli` (the `compare`, `sensitivity` and `optimize` commands). docs/experiments.md describes the methods.

The names are imported when first used (PEP 562), so that the command line starts without loading SciPy, SALib and
the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from corredor.experiments.catalog import Catalog, scenario_hash
    from corredor.experiments.design import Design, Factor, apply, sample
    from corredor.experiments.ensemble import EnsembleResults, flatten_summary, replicate_seeds, run_ensemble
    from corredor.experiments.outcomes import STANDARD_OUTCOMES, standard_outcomes

_HOME = {
    "Catalog": "catalog",
    "scenario_hash": "catalog",
    "Design": "design",
    "Factor": "design",
    "apply": "design",
    "sample": "design",
    "EnsembleResults": "ensemble",
    "flatten_summary": "ensemble",
    "replicate_seeds": "ensemble",
    "run_ensemble": "ensemble",
    "STANDARD_OUTCOMES": "outcomes",
    "standard_outcomes": "outcomes",
}

__all__ = [
    "STANDARD_OUTCOMES",
    "Catalog",
    "Design",
    "EnsembleResults",
    "Factor",
    "apply",
    "flatten_summary",
    "replicate_seeds",
    "run_ensemble",
    "sample",
    "scenario_hash",
    "standard_outcomes",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'corredor.experiments' has no attribute {name!r}")
    return getattr(importlib.import_module(f"corredor.experiments.{_HOME[name]}"), name)
