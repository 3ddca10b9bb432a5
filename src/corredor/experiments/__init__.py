"""Ensembles of replicate runs: deterministic replicate seeds, chunked execution on any
`concurrent.futures.Executor`, per-chunk Parquet outcome files and an SQLite catalog that makes runs resumable.

    from corredor.experiments import run_ensemble

    ens = run_ensemble(scenario, 100, root_seed=1, out_dir=Path("runs/ens"))
    ens.outcomes          # one row per replicate
    ens.quantiles()       # 5 %, 50 %, 95 % of every outcome column
"""

from corredor.experiments.catalog import Catalog, scenario_hash
from corredor.experiments.ensemble import EnsembleResults, flatten_summary, replicate_seeds, run_ensemble

__all__ = ["Catalog", "EnsembleResults", "flatten_summary", "replicate_seeds", "run_ensemble", "scenario_hash"]
