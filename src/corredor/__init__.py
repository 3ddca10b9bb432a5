"""corredor: simulate migration through the Central America -> Mexico -> United States corridor.

The public API: load a scenario file, simulate it, and read the results.
"""

from corredor.results import Results
from corredor.scenario import Scenario, load_scenario
from corredor.simulate import simulate

__all__ = ["Results", "Scenario", "load_scenario", "simulate"]
__version__ = "0.1.0"
