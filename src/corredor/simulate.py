"""The public entry point: `simulate(scenario, seed=...)` compiles a scenario, runs the engine and returns
`Results`."""

from __future__ import annotations

import time
from collections.abc import Callable

from corredor.engine.inputs import Compiled, compile_scenario
from corredor.engine.model import EVENTS, run
from corredor.results import Results
from corredor.scenario import Scenario


def simulate(
    scenario: Scenario,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    compiled: Compiled | None = None,
) -> Results:
    """Run one scenario. `seed` overrides the scenario's seed; `progress(done_days, total_days)` is called daily.
    `compiled` (`compile_scenario(scenario)`, which a run does not change) saves compiling it again for replicates
    of the same scenario."""
    compiled = compiled or compile_scenario(scenario)
    chosen_seed = scenario.seed if seed is None else seed
    started = time.perf_counter()
    sim, daily = run(compiled, chosen_seed, progress)
    elapsed = time.perf_counter() - started
    return Results.from_run(compiled, sim, daily, chosen_seed, EVENTS, elapsed)
