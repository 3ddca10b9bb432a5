"""Scenario discovery on corredor with the EMA Workbench: which uncertainties and levers lead to long COMAR waits?

Runs a small experiment set (Latin hypercube over uncertain parameters x sampled policy levers) on one year of the
baseline at 1 agent = 100 persons, then
1. PRIM: a box of inputs where the mean COMAR wait exceeds 63 days (45 working days are about 63 calendar days),
2. feature scoring (extra trees): how much each input drives each outcome.

    pip install -e '.[ema]'
    python examples/ema_prim.py --scenarios 30 --policies 4     # 120 runs, ~2 minutes on one core
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from ema_workbench import SequentialEvaluator, ema_logging, perform_experiments
from ema_workbench.analysis import feature_scoring, prim

import corredor
from corredor.ema import corredor_model

ROOT = Path(__file__).resolve().parents[1]
LIMIT_DAYS = 63.0  # the 45-working-day legal deadline in calendar days


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenarios", type=int, default=30, help="samples of the uncertainties")
    parser.add_argument(
        "--policies", type=int, default=4, help="samples of the levers (each lever takes this many values)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    base = corredor.load_scenario(ROOT / "scenarios" / "baseline.toml")
    data = base.model_dump(exclude={"base_dir"})
    data.update(scale=100, period={"start": "2017-01-01", "end": "2017-12-31"}, caravans=[])
    scenario = corredor.scenario.parse_scenario(data, "baseline-2017", base.base_dir)

    model = corredor_model(
        scenario,
        uncertainties={
            "asylum.productivity_cases_per_year": (60.0, 160.0),
            "asylum.abandonment_mean_days": (180.0, 1000.0),
            "choice.legal_take_up": (0.2, 0.8),
            "enforcement.detection_per_node": (0.015, 0.05),
            "hazards.hidden_route_harm": (0.0, 1.0),
        },
        levers={
            "comar_caseworkers:tapachula": (7.0, 40.0),
            "mx_risk_targeting": (0.0, 0.8),
            "mx_atd_share": (0.0, 0.8),
        },
        seed=args.seed,
    )
    ema_logging.log_to_stderr(ema_logging.INFO)
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=args.scenarios, policies=args.policies, evaluator=evaluator
        )
    x = experiments.drop(columns=["scenario", "policy", "model"])

    wait = outcomes["asylum_mean_wait_days"]
    late = wait > LIMIT_DAYS
    print(f"\n{late.sum()} of {len(wait)} experiments have a mean COMAR wait above {LIMIT_DAYS:.0f} days")
    if 0 < late.sum() < len(late):
        box = prim.Prim(x, late, threshold=0.7).find_box()
        print(f"PRIM box: coverage {box.coverage:.2f}, density {box.density:.2f}, restricting")
        limits = box.box_lim
        restricted = [c for c in limits.columns if not np.allclose(limits[c], box.box_lims[0][c])]
        print(limits[restricted].T.rename(columns={0: "low", 1: "high"}).to_string())

    scores = feature_scoring.get_feature_scores_all(x, outcomes)
    with pd.option_context("display.width", 160, "display.max_columns", 20, "display.precision", 2):
        print("\nFeature scores (extra trees; each column sums to 1):")
        print(scores)


if __name__ == "__main__":
    main()
