"""Parameter tables: the scenario's parameters turned once, at compile time, into the small numpy arrays the
sub-models index every day (by mode, nationality, route family), so the daily loop never rebuilds them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from corredor.network import ROUTE_FAMILIES
from corredor.parameters import MODES, Parameters

FloatArray = NDArray[np.float64]


def _by_nationality(table: dict[str, float], nationalities: tuple[str, ...]) -> FloatArray:
    """Value per nationality; nationalities not listed take the "OTHER" entry (0 if none)."""
    return np.array([table.get(n, table.get("OTHER", 0.0)) for n in nationalities])


@dataclass(frozen=True)
class ParameterTables:
    speed_by_mode: FloatArray  # km/day, (modes,)
    detection_by_mode: FloatArray  # (modes,)
    harm_rate: FloatArray  # events per 1,000 km, (modes, on_train 0/1, harm kinds)
    harm_rate_total: FloatArray  # summed over kinds, (modes, on_train)
    harm_by_family: FloatArray  # (route families,)
    asylum_propensity: FloatArray  # (nationalities,)
    recognition_rate: FloatArray  # (nationalities,)

    @classmethod
    def build(cls, params: Parameters, nationalities: tuple[str, ...]) -> ParameterTables:
        mv, hz = params.movement, params.hazards
        rates = np.array(
            [hz.extortion_per_1000km, hz.kidnapping_per_1000km, hz.assault_per_1000km, hz.death_per_1000km]
        )
        mode_mult = np.array([hz.mode_multiplier[m] for m in MODES])  # (modes, kinds)
        train = np.stack([np.ones(len(rates)), np.asarray(hz.train_multiplier)])  # (2, kinds)
        harm_rate = rates[None, None, :] * mode_mult[:, None, :] * train[None, :, :]
        return cls(
            speed_by_mode=np.array(
                [
                    mv.speed_alone_km_per_day,
                    mv.speed_smuggled_km_per_day,
                    mv.speed_caravan_km_per_day,
                    mv.speed_legal_km_per_day,
                ]
            ),
            detection_by_mode=np.array([params.enforcement.mode_detection[m] for m in MODES]),
            harm_rate=harm_rate,
            harm_rate_total=harm_rate.sum(axis=2),
            harm_by_family=np.array([hz.family_multiplier.get(f, 1.0) for f in ROUTE_FAMILIES]),
            asylum_propensity=_by_nationality(params.asylum.application_propensity, nationalities),
            recognition_rate=_by_nationality(params.asylum.recognition_rate, nationalities),
        )
