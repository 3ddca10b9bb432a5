"""Scenario files: the TOML schema (pydantic), loading, and validation messages that name the field.

A scenario holds the period, seed and scale, the origins and their driver series, the network, every model
parameter (defaults in `corredor.parameters`), a dated policy timeline of levers, drought shocks, caravans and
one-off cohorts. `load_scenario` reads a file and checks it against the network; every problem is reported as a
`ScenarioError` listing ``field.path: value -> what is wrong (what is allowed)``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, ValidationInfo, field_validator, model_validator

from corredor.network import NODE_KINDS, Network, load_default_network, read_corredor_csv, read_flee
from corredor.parameters import Parameters, Strict


@dataclass(frozen=True)
class Lever:
    """A policy lever: default value, allowed range, and what its ``target`` names (if anything)."""

    default: float
    low: float
    high: float
    target: str | None  # None, "office", "node", "port", "nationality"
    unit: str
    description: str
    default_from: str | None = None  # where a default that depends on the scenario comes from (default < 0)


INF = float("inf")
LEVERS: dict[str, Lever] = {
    "mx_enforcement_intensity": Lever(
        1.0, 0, 20, None, "multiplier", "Blanket apprehension effort in Mexico (checkpoints, raids)"
    ),
    "mx_risk_targeting": Lever(
        0.0,
        0,
        1,
        None,
        "share",
        "Risk-managed posture: effort on smugglers, legal channels for everyone else",
    ),
    "train_use": Lever(0.3, 0, 1, None, "share", "Share of people alone who ride freight trains where rail runs"),
    "comar_caseworkers": Lever(-1, 0, 10000, "office", "caseworkers", "Deciding caseworkers at a COMAR office"),
    "comar_office_open": Lever(-1, 0, 1, "office", "0/1", "Whether a COMAR office takes applications"),
    "asylum_propensity_multiplier": Lever(
        1.0, 0, 100, "nationality", "multiplier", "Scales the propensity to apply for asylum in Mexico"
    ),
    "shelter_capacity": Lever(-1, 0, 1e6, "node", "beds", "Shelter beds at a node"),
    "mx_work_visa_quota": Lever(0.0, 0, 1e7, "nationality", "persons/year", "Mexican work visas and cards"),
    "mx_humanitarian_card_quota": Lever(
        0.0, 0, 1e7, "nationality", "persons/year", "Humanitarian visitor cards (TVRH) at the southern border"
    ),
    "us_work_visa_quota": Lever(0.0, 0, 1e7, "nationality", "persons/year", "US temporary work visas (H-2A/H-2B)"),
    "development_aid_usd_million": Lever(
        0.0, 0, 1e5, "nationality", "USD million/year", "Development aid to the origin country"
    ),
    "us_deterrence": Lever(1.0, 0, 5, None, "multiplier", "US enforcement climate: multiplies departures"),
    "us_apprehension_probability": Lever(
        0.7, 0, 1, None, "probability", "Border Patrol apprehension probability per crossing between ports"
    ),
    "us_metering_intake_per_day": Lever(
        INF, 0, INF, "port", "persons/day", "Asylum seekers taken in per day from a port's metering list"
    ),
    "us_release_share": Lever(0.35, 0, 1, None, "share", "Apprehended people released into the US"),
    "us_mpp_share": Lever(0.0, 0, 1, None, "share", "Apprehended people returned to Mexico under MPP"),
    "us_title42_share": Lever(0.0, 0, 1, None, "share", "Apprehended people expelled under Title 42"),
    "caravan_blocking": Lever(
        0.0, 0, 1, None, "probability", "Probability that a caravan is broken up at the southern border"
    ),
    # Eligibility and processing of Mexican cards and visas (engine/pathways.py).
    "mx_work_visa_eligibility": Lever(
        1.0, 0, 1, "nationality", "share", "Share of a nationality's would-be departers eligible for Mexican work visas"
    ),
    "mx_humanitarian_card_eligibility": Lever(
        1.0, 0, 1, "nationality", "share", "Share of a nationality's arrivals eligible for humanitarian cards (TVRH)"
    ),
    "mx_regional_card_quota": Lever(
        0.0,
        0,
        1e7,
        "nationality",
        "persons/year",
        "Regional visitor cards (TVR) at the southern border: entry and stay in the border states",
    ),
    "mx_regional_card_eligibility": Lever(
        -1,
        0,
        1,
        "nationality",
        "share",
        "Share of a nationality's arrivals eligible for regional visitor cards (TVR)",
        "parameters.pathways.regional_card_eligibility",
    ),
    "mx_card_processing_days": Lever(
        0.0,
        0,
        365,
        None,
        "days",
        "Days between applying for a TVRH or TVR card at the southern border and getting it (applicants wait there)",
    ),
    # Alternatives to detention (engine/atd.py).
    "mx_atd_share": Lever(
        0.0,
        0,
        1,
        None,
        "share",
        "Share of people apprehended in Mexico placed in a case-management programme instead of detention",
    ),
    # US asylum processing at ports (engine/border.py).
    "us_port_release_share": Lever(
        -1,
        0,
        1,
        None,
        "share",
        "Asylum seekers presenting at a port who are released into the US to pursue their case (before MPP)",
        "parameters.border.port_release_share",
    ),
    # Climate: stochastic droughts on top of the dated [[droughts]] (engine/climate.py).
    "drought_probability": Lever(
        0.0, 0, 1, "nationality", "probability/year", "Chance that a drought starts in the origin country this year"
    ),
    "drought_severity_pp": Lever(
        -1,
        0,
        100,
        "nationality",
        "percentage points",
        "Mean extra food insecurity of a stochastic drought",
        "parameters.climate.drought_severity_pp",
    ),
}


def unknown_lever(name: str) -> str:
    """The message for a lever name that is not one: the closest known name, if one is close, and the allowed ones."""
    import difflib

    close = difflib.get_close_matches(name, LEVERS, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown lever; {hint}allowed: {', '.join(sorted(LEVERS))}"


class Period(Strict):
    start: dt.date = Field(description="First simulated day")
    end: dt.date = Field(description="Last simulated day (inclusive)")

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start}); end must be on or after start")
        if (self.end - self.start).days > 366 * 40:
            raise ValueError("the period is longer than 40 years; allowed: up to 40 years")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


class Origin(Strict):
    node: str = Field(description="Network node where people of this nationality set out")
    nationality: str = Field(description="ISO3 code, e.g. HND")
    share: float = Field(1.0, gt=0, le=1e6, description="Relative share of the nationality's departures")


class Nationality(Strict):
    base_departures_per_year: float = Field(
        ge=0, le=1e8, description="Persons per year setting out in the reference year, before drivers"
    )
    source: str = Field("", description="Where the base rate comes from")


YearSeries = dict[int, float]


class Drivers(Strict):
    homicide_rate: YearSeries = Field(default_factory=dict, description="Homicides per 100,000, by year")
    food_insecurity_pp: YearSeries = Field(
        default_factory=dict, description="Food insecurity above normal, percentage points, by year"
    )
    remittances_usd_million: YearSeries = Field(default_factory=dict, description="Remittances received, by year")
    source: str = Field("", description="Where the series come from")

    @field_validator("homicide_rate", "remittances_usd_million")
    @classmethod
    def _positive(cls, series: YearSeries) -> YearSeries:
        for year, value in series.items():
            if not value > 0:
                raise ValueError(f"value for {year} is {value}; allowed: > 0")
        return series


NAME_LENGTH = 200  # characters in a scenario's or caravan's name
TEXT_LENGTH = 5000  # characters in a description or note


class Drought(Strict):
    nationality: str
    start: dt.date
    end: dt.date
    food_insecurity_pp: float = Field(gt=0, le=100, description="Extra food insecurity, percentage points")
    note: str = Field("", max_length=TEXT_LENGTH)

    @model_validator(mode="after")
    def _ordered(self) -> Drought:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class PolicyChange(Strict):
    date: dt.date = Field(description="Day the lever takes this value")
    until: dt.date | None = Field(None, description="Last day of this value (optional)")
    lever: str
    value: float = Field(math.nan, description="Value of the lever (or take it from value_from)")
    value_from: str | None = Field(
        None,
        description="Parameter path (e.g. 'enforcement.frontera_sur_intensity') whose value the lever takes: "
        "an event whose size is a (fitted) parameter",
    )
    target: str | None = Field(None, description="Office, node, port or nationality the lever applies to")
    note: str = Field("", max_length=TEXT_LENGTH)

    @field_validator("lever")
    @classmethod
    def _known_lever(cls, lever: str) -> str:
        if lever not in LEVERS:
            raise ValueError(unknown_lever(lever))
        return lever

    @field_validator("value")
    @classmethod
    def _in_range(cls, value: float, info: ValidationInfo) -> float:
        lever = LEVERS.get(info.data.get("lever", ""))
        if math.isnan(value):
            return value  # set from value_from by the scenario, or reported missing there
        if lever is not None and not lever.low <= value <= lever.high:
            raise ValueError(f"out of range for {info.data['lever']}; allowed: {lever.low:g} to {lever.high:g}")
        return value

    @field_validator("target")
    @classmethod
    def _target_kind(cls, target: str | None, info: ValidationInfo) -> str | None:
        lever = LEVERS.get(info.data.get("lever", ""))
        if lever is not None and lever.target is None and target is not None:
            raise ValueError(f"lever {info.data['lever']} takes no target")
        return target

    @model_validator(mode="after")
    def _check(self) -> PolicyChange:
        lever = LEVERS[self.lever]
        if lever.target in ("office", "node") and self.target is None:
            raise ValueError(f"lever {self.lever} needs a target ({lever.target} id)")
        if self.until is not None and self.until < self.date:
            raise ValueError(f"until ({self.until}) is before date ({self.date})")
        if self.value_from is None and math.isnan(self.value):
            raise ValueError("needs value or value_from")
        return self

    def resolved(self, parameters: Parameters) -> float:
        """The lever's value: ``value``, or the parameter named by ``value_from`` (read when the scenario is
        compiled, so experiments that vary the parameter move the event)."""
        return parameter_value(parameters, self.value_from) if self.value_from else self.value


def parameter_value(parameters: Parameters, path: str) -> float:
    """The number at a dotted path of the parameters (e.g. 'enforcement.frontera_sur_intensity'; a table entry
    as 'asylum.recognition_rate.HND'); ValueError when the path names no number."""
    node: Any = parameters
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else getattr(node, key, None) if key else None
        if node is None:
            raise ValueError(f"{path!r} -> no such parameter")
    if isinstance(node, bool) or not isinstance(node, int | float):
        raise ValueError(f"{path!r} -> not a number")
    return float(node)


class Caravan(Strict):
    date: dt.date = Field(description="Departure day")
    origin: str = Field(description="Node the caravan leaves from")
    size: float = Field(gt=0, le=1e6, description="Persons at departure")
    nationality: str
    route_family: str | None = Field(None, description="pacific, gulf or central (optional)")
    name: str = Field("", max_length=NAME_LENGTH)
    recorded_sizes: dict[dt.date, float] = Field(
        default_factory=dict,
        description=(
            "Persons counted with the caravan on later days, e.g. { 2018-10-22 = 7200 }: on each date, if the"
            " caravan has fewer members on the road, people who set out because of it join it where its members are"
        ),
    )
    recorded_at: dict[dt.date, str] = Field(
        default_factory=dict,
        description=(
            'Where each recorded size was counted, a node by date, e.g. { 2018-10-22 = "tapachula" }: the people'
            " who join that day start there, on the route of a member that passes through it"
        ),
    )
    source: str = Field("", max_length=TEXT_LENGTH, description="Where the size and dates come from")

    @field_validator("recorded_sizes")
    @classmethod
    def _sizes_after_departure(cls, sizes: dict[dt.date, float], info: ValidationInfo) -> dict[dt.date, float]:
        departure = info.data.get("date")  # absent when the date itself is invalid (reported on its own)
        for day, persons in sizes.items():
            if departure is not None and day <= departure:
                raise ValueError(f"{day} is not after the departure day {departure}; allowed: later dates")
            if not 0 < persons <= 1e6:
                raise ValueError(f"{persons:,g} persons on {day}; allowed: > 0 and <= 1,000,000")
        return sizes

    @field_validator("recorded_at")
    @classmethod
    def _places_of_recorded_sizes(cls, places: dict[dt.date, str], info: ValidationInfo) -> dict[dt.date, str]:
        sizes = info.data.get("recorded_sizes")
        if sizes is not None:
            for day in places:
                if day not in sizes:
                    dates = ", ".join(map(str, sorted(sizes))) or "none"
                    raise ValueError(f"{day} has no recorded size; allowed: dates of recorded_sizes ({dates})")
        return places


class Cohort(Strict):
    """People who set out together on one day without forming a caravan (e.g. a benchmark start)."""

    date: dt.date
    origin: str
    nationality: str
    persons: float = Field(gt=0, le=1e8)


class OutsideApplicants(Strict):
    """People of a nationality the corridor does not bring (arriving by air, say: Venezuelans in Mexico City) who
    apply for asylum at one COMAR office, evenly over the days from ``start`` to ``end``. They enter the model at
    the office, already applicants, and from then on are like any other applicant: they wait in its queue, are
    decided or abandon, and travel on, stay or are sent back to the office (their start) as the asylum sub-model
    has it (docs/model.md 3.3.6). On days the office is closed nobody applies there."""

    nationality: str = Field(description="ISO 3166 alpha-3 code of the nationality (e.g. VEN); not a simulated one")
    office: str = Field(description="Node of the COMAR office where they apply")
    start: dt.date = Field(description="First day of the applications")
    end: dt.date = Field(description="Last day of the applications")
    persons: float = Field(ge=0, le=1e7, description="Persons who apply from start to end (evenly per day)")
    source: str = Field("", max_length=TEXT_LENGTH, description="Where the count comes from")

    @field_validator("nationality")
    @classmethod
    def _code(cls, code: str) -> str:
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError("give a three-letter country code in capitals (ISO 3166 alpha-3), e.g. VEN, CUB, HTI")
        return code

    @model_validator(mode="after")
    def _ordered(self) -> OutsideApplicants:
        if self.end < self.start:
            raise ValueError(f"end ({self.end}) is before start ({self.start})")
        return self


class CalibrationRecord(Strict):
    """Provenance of fitted parameters, written by `corredor calibrate` (informative: the engine ignores it)."""

    fitted_on: str = Field(description="UTC date and time of the fit")
    method: str = Field(description="Optimiser and loss")
    loss: float = Field(description="Replicate-averaged loss at the fitted values")
    loss_at_start: float = Field(description="Loss at the starting values, same replicates")
    scale: int = Field(ge=1, description="Persons per agent in the fit")
    replicates: int = Field(ge=1, description="Replicates per loss evaluation (common random numbers)")
    root_seed: int = Field(ge=0, description="Root seed of the replicate seeds")
    last_observed_year: int = Field(description="Data vintage: last year of observations used")
    observed_sha256: dict[str, str] = Field(default_factory=dict, description="sha256 of each observed CSV")
    evaluations: int = Field(0, ge=0, description="Simulated parameter sets")
    wall_s: float = Field(0.0, ge=0, description="Wall time of the fit, seconds")
    free_parameters: list[str] = Field(default_factory=list, description="Fitted parameter paths")


class Scenario(Strict):
    name: str = Field("scenario", max_length=NAME_LENGTH)
    description: str = Field("", max_length=TEXT_LENGTH)
    period: Period
    seed: int = Field(0, ge=0, le=2**63 - 1, description="Seed of the run's random generator (a TOML integer)")
    scale: int = Field(1, ge=1, le=100000, description="Persons per agent")
    network: str = Field(
        "default",
        description="'default', a folder with nodes.csv and edges.csv, or 'flee:<folder>' with Flee CSV files",
    )
    origins: list[Origin] = Field(min_length=1)
    nationalities: dict[str, Nationality] = Field(min_length=1)
    drivers: dict[str, Drivers] = Field(default_factory=dict)
    droughts: list[Drought] = Field(default_factory=list)
    policy: list[PolicyChange] = Field(default_factory=list)
    caravans: list[Caravan] = Field(default_factory=list)
    cohorts: list[Cohort] = Field(default_factory=list)
    outside_applicants: list[OutsideApplicants] = Field(
        default_factory=list, description="Asylum applicants of nationalities outside the corridor, by office"
    )
    parameters: Parameters = Field(default_factory=Parameters)
    calibration: CalibrationRecord | None = Field(None, description="Provenance of fitted parameters")
    base_dir: Path = Field(default=Path("."), exclude=True, description="Folder relative paths are resolved from")

    @model_validator(mode="after")
    def _policy_values_from(self) -> Scenario:
        problems = []
        for i, change in enumerate(self.policy):
            if change.value_from is None:
                continue
            lever = LEVERS[change.lever]
            try:
                value = parameter_value(self.parameters, change.value_from)
            except ValueError as error:
                problems.append(f"policy[{i}].value_from: {error}")
                continue
            if not lever.low <= value <= lever.high:
                problems.append(
                    f"policy[{i}].value_from: {change.value_from} = {value:g} -> out of range for {change.lever}; "
                    f"allowed: {lever.low:g} to {lever.high:g}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def load_network(self) -> Network:
        if self.network == "default":
            return load_default_network()
        if self.network.startswith("flee:"):
            folder = self.base_dir / self.network.removeprefix("flee:")
            return read_flee(folder / "locations.csv", folder / "routes.csv")
        folder = self.base_dir / self.network
        return read_corredor_csv(folder / "nodes.csv", folder / "edges.csv")


class ScenarioError(ValueError):
    """A scenario failed validation; ``problems`` lists (field path, message)."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s)"] + [f"  {path}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(file)"


def validation_problems(error: ValidationError) -> list[tuple[str, str]]:
    """A pydantic error as (field path, what is wrong and what is allowed) pairs, for users to read."""
    problems = []
    for item in error.errors():
        loc = tuple(p for p in item["loc"] if p not in ("function-after",))
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "extra_forbidden":
            message = "unknown key; check the spelling against `corredor info --parameters` and the docs"
        elif item["type"] == "missing":
            message = "required field is missing"
        value = item.get("input")
        shown = "" if item["type"] in ("missing",) or isinstance(value, dict) else f"{value!r} -> "
        if value is None and item["type"] != "missing":
            shown = "empty -> "  # JSON null, e.g. a blank field of the dashboard
        problems.append((_path(loc), f"{shown}{message}"))
    return problems


# Node kinds where shelter beds would do nothing, and why (movement.shelter offers beds on arrival at a node that is
# not the route's last city).
NO_SHELTER_KINDS = {
    "origin": "an origin is where people set out, not a stop on the way",
    "border_city_north": "people waiting in a northern border city are counted there as AT_BORDER (its shelters"
    " and camps); beds there are not modelled",
    "us_port_of_entry": "a US port of entry is the end of the route",
}


def network_problems(scenario: Scenario, network: Network) -> list[tuple[str, str]]:
    """What a schema-valid scenario gets wrong about the network: unknown nodes, kinds and nationalities."""
    nodes = set(network.node_ids)
    kinds = {nid: NODE_KINDS[k] for nid, k in zip(network.node_ids, network.node_kind.tolist(), strict=True)}
    ports = {n for n, k in kinds.items() if k == "us_port_of_entry"}
    mexican = {n for n, c in zip(network.node_ids, network.node_country, strict=True) if c == "MEX"}
    nationalities = set(scenario.nationalities)
    problems: list[tuple[str, str]] = []

    def node_problem(path: str, node: str) -> None:
        if node not in nodes:
            import difflib

            close = difflib.get_close_matches(node, nodes, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append((path, f"{node!r} -> unknown node; {hint}see `corredor info --network` for the node ids"))

    for i, origin in enumerate(scenario.origins):
        node_problem(f"origins[{i}].node", origin.node)
        if origin.nationality not in nationalities:
            problems.append(
                (f"origins[{i}].nationality", f"{origin.nationality!r} -> not defined under [nationalities]")
            )
    for nat in scenario.nationalities:
        if not any(o.nationality == nat for o in scenario.origins):
            problems.append(
                (
                    f"nationalities.{nat}",
                    "no origin uses this nationality; add an [[origins]] entry (a file's [[origins]] replace, not"
                    " extend, those of the file it extends)",
                )
            )
    for name in scenario.drivers:
        if name not in nationalities:
            problems.append((f"drivers.{name}", f"{name!r} -> not defined under [nationalities]"))
    for i, drought in enumerate(scenario.droughts):
        if drought.nationality not in nationalities:
            problems.append((f"droughts[{i}].nationality", f"{drought.nationality!r} -> not a nationality"))
    timed: list[tuple[str, int, Caravan | Cohort]] = [("caravans", i, c) for i, c in enumerate(scenario.caravans)]
    timed += [("cohorts", i, c) for i, c in enumerate(scenario.cohorts)]
    for kind_name, i, item in timed:
        node_problem(f"{kind_name}[{i}].origin", item.origin)
        if isinstance(item, Caravan):
            for day, node in item.recorded_at.items():
                node_problem(f"{kind_name}[{i}].recorded_at.{day}", node)
        if item.nationality not in nationalities:
            problems.append((f"{kind_name}[{i}].nationality", f"{item.nationality!r} -> not a nationality"))
    for i, change in enumerate(scenario.policy):
        target_kind = LEVERS[change.lever].target
        path = f"policy[{i}].target"
        if change.target is None:
            continue
        if target_kind == "nationality" and change.target not in nationalities:
            allowed = ", ".join(sorted(nationalities))
            problems.append((path, f"{change.target!r} -> not a nationality of this scenario; allowed: {allowed}"))
        elif target_kind == "port" and change.target not in ports:
            problems.append((path, f"{change.target!r} -> not a US port of entry; allowed: {sorted(ports)}"))
        elif target_kind in ("office", "node"):
            node_problem(path, change.target)
            if target_kind == "office" and change.target in nodes and change.target not in mexican:
                problems.append((path, f"{change.target!r} -> COMAR offices must be in Mexico"))
            if change.lever == "shelter_capacity" and kinds.get(change.target) in NO_SHELTER_KINDS:
                why = NO_SHELTER_KINDS[kinds[change.target]]
                allowed = ", ".join(k for k in NODE_KINDS if k not in NO_SHELTER_KINDS)
                problems.append((path, f"{change.target!r} -> {why}; shelters can be at nodes of kind {allowed}"))
    offices = sorted(n for n, k in kinds.items() if k == "asylum_office")
    opened = {c.target for c in scenario.policy if c.lever == "comar_office_open" and c.target is not None}
    for i, entry in enumerate(scenario.outside_applicants):
        path = f"outside_applicants[{i}]"
        if entry.nationality in nationalities:
            problems.append(
                (
                    f"{path}.nationality",
                    f"{entry.nationality!r} -> a simulated nationality: its applicants come through the corridor;"
                    " outside_applicants are for nationalities the model does not simulate",
                )
            )
        node_problem(f"{path}.office", entry.office)
        if entry.office in nodes and (entry.office not in mexican or entry.office not in set(offices) | opened):
            allowed = ", ".join(offices)
            problems.append(
                (
                    f"{path}.office",
                    f"{entry.office!r} -> no COMAR office there; allowed: {allowed}, or a node in Mexico that"
                    " comar_office_open opens",
                )
            )
    for i, caravan in enumerate(scenario.caravans):
        if caravan.route_family not in (None, "pacific", "gulf", "central"):
            problems.append(
                (
                    f"caravans[{i}].route_family",
                    f"{caravan.route_family!r} -> allowed: pacific, gulf, central",
                )
            )
    return problems


def inputs_outside_period(scenario: Scenario) -> list[tuple[str, str]]:
    """Valid inputs that cannot act within the period, as (field path, why): caravans and cohorts dated outside it,
    applicants from outside the corridor whose dates miss it, a caravan's recorded sizes after its end, policy
    changes and droughts starting after its end, and changes or droughts that ended before its start. They are kept
    (a scenario that `extends` another inherits them, and a longer period uses them); these notes tell the user
    they do nothing in this one."""
    period = scenario.period
    notes: list[tuple[str, str]] = []
    timed: list[tuple[str, int, Caravan | Cohort]] = [("caravans", i, c) for i, c in enumerate(scenario.caravans)]
    timed += [("cohorts", i, c) for i, c in enumerate(scenario.cohorts)]
    for kind_name, i, item in timed:
        if not period.start <= item.date <= period.end:
            notes.append((f"{kind_name}[{i}]", f"dated {item.date}, outside the period {period.start} to {period.end}"))
        elif isinstance(item, Caravan):
            late = [day for day in item.recorded_sizes if day > period.end]
            if late:
                dates = ", ".join(map(str, late))
                notes.append((f"{kind_name}[{i}].recorded_sizes", f"{dates}: after the period's end {period.end}"))
    for i, entry in enumerate(scenario.outside_applicants):
        if entry.start > period.end or entry.end < period.start:
            notes.append(
                (
                    f"outside_applicants[{i}]",
                    f"{entry.start} to {entry.end}, outside the period {period.start} to {period.end}",
                )
            )
    for i, change in enumerate(scenario.policy):
        if change.date > period.end:
            notes.append((f"policy[{i}]", f"{change.lever} from {change.date}, after the period's end {period.end}"))
        elif change.until is not None and change.until < period.start:
            notes.append(
                (f"policy[{i}]", f"{change.lever} until {change.until}, before the period's start {period.start}")
            )
    for i, drought in enumerate(scenario.droughts):
        if drought.start > period.end or drought.end < period.start:
            notes.append(
                (
                    f"droughts[{i}]",
                    f"{drought.start} to {drought.end}, outside the period {period.start} to {period.end}",
                )
            )
    return notes


def entry_days(scenario: Scenario, change: PolicyChange) -> tuple[int, int]:
    """Days [first, last) of the period a policy entry covers (first >= last: none)."""
    period = scenario.period
    first = (change.date - period.start).days
    last = period.days if change.until is None else (change.until - period.start).days + 1
    return max(first, 0), min(last, period.days)


def _node_kinds(scenario: Scenario) -> dict[str, str]:
    network = scenario.load_network()
    return {nid: NODE_KINDS[k] for nid, k in zip(network.node_ids, network.node_kind.tolist(), strict=True)}


def office_open_days(scenario: Scenario, node: str, kinds: dict[str, str]) -> list[bool]:
    """Per day of the period, whether a COMAR office is open at `node` (`comar_office_open`, as the engine applies
    it: a node of kind asylum_office is open unless an entry closes it, any other node only while one opens it;
    later entries win)."""
    is_open = [kinds.get(node) == "asylum_office"] * scenario.period.days
    for change in sorted(scenario.policy, key=lambda c: c.date):
        if change.lever == "comar_office_open" and change.target == node:
            first, last = entry_days(scenario, change)
            is_open[first:last] = [change.resolved(scenario.parameters) > 0] * max(last - first, 0)
    return is_open


def outside_applicants_notes(scenario: Scenario) -> list[tuple[str, str]]:
    """`outside_applicants` entries within the period that do not act as they read, as (field path, why): no
    persons; dates partly outside the period (only the days within it apply); an office closed on some of their
    days (nobody applies then). Entries wholly outside the period are `inputs_outside_period`'s."""
    if not scenario.outside_applicants:
        return []
    kinds = _node_kinds(scenario)
    notes = []
    for i, entry in enumerate(scenario.outside_applicants):
        days = (entry.end - entry.start).days + 1
        first = max((entry.start - scenario.period.start).days, 0)
        last = min((entry.end - scenario.period.start).days + 1, scenario.period.days)
        if first >= last:
            continue
        path = f"outside_applicants[{i}]"
        if entry.persons == 0:
            notes.append((path, "0 persons: it has no effect in this run"))
            continue
        closed = (last - first) - sum(office_open_days(scenario, entry.office, kinds)[first:last])
        if last - first < days:
            kept = entry.persons * (last - first - closed) / days  # on the open days within the period
            notes.append(
                (
                    path,
                    f"{days - (last - first)} of its {days} days fall outside the period"
                    f" {scenario.period.start} to {scenario.period.end}: about {kept:,.0f} of its"
                    f" {entry.persons:,.0f} persons apply in this run",
                )
            )
        if closed:
            lost = entry.persons * closed / days
            notes.append(
                (
                    path,
                    f"the COMAR office at {entry.office!r} is closed on {closed} of this entry's {last - first} days"
                    f" in the period (comar_office_open): about {lost:,.0f} of its persons do not apply",
                )
            )
    return notes


def idle_caseworkers(scenario: Scenario) -> list[tuple[str, str]]:
    """`comar_caseworkers` entries at a node where no COMAR office has been open by their last day (a node of kind
    asylum_office is open unless `comar_office_open` closes it; any other node only while `comar_office_open`
    opens it): as (field path, why). Their caseworkers decide nothing: no file was ever opened there."""
    kinds = _node_kinds(scenario)
    notes: list[tuple[str, str]] = []
    for i, change in enumerate(scenario.policy):
        if change.lever != "comar_caseworkers" or change.target is None or change.target not in kinds:
            continue
        first, last = entry_days(scenario, change)
        # caseworkers also decide the backlog of an office closed to new applications: only an office never open
        # up to the entry's last day leaves them idle
        is_open = office_open_days(scenario, change.target, kinds)
        if first < last and change.resolved(scenario.parameters) > 0 and not any(is_open[:last]):
            notes.append(
                (
                    f"policy[{i}]",
                    f"comar_caseworkers at {change.target!r}, where no COMAR office has been open by then (open"
                    " one there with comar_office_open, or staff an office): it has no effect in this run",
                )
            )
    return notes


def drivers_beyond_data(scenario: Scenario) -> list[tuple[str, str]]:
    """Driver series that do not cover every year of the period, as (field path, what the run uses instead): a
    year after a series' last takes the last value, a year before its first the first value."""
    years = range(scenario.period.start.year, scenario.period.end.year + 1)
    notes: list[tuple[str, str]] = []
    for nat, drivers in scenario.drivers.items():
        for name in ("homicide_rate", "remittances_usd_million", "food_insecurity_pp"):
            series: YearSeries = getattr(drivers, name)
            if not series:
                continue
            lo, hi = min(series), max(series)
            after = [y for y in years if y > hi]
            before = [y for y in years if y < lo]
            if after:
                span = f"{after[0]}" if len(after) == 1 else f"{after[0]}-{after[-1]}"
                notes.append((f"drivers.{nat}.{name}", f"ends in {hi}; {span} use the {hi} value (no data)"))
            if before:
                span = f"{before[0]}" if len(before) == 1 else f"{before[0]}-{before[-1]}"
                notes.append((f"drivers.{nat}.{name}", f"starts in {lo}; {span} use the {lo} value (no data)"))
    return notes


def beds_in_whole_agents(scenario: Scenario) -> list[tuple[str, str]]:
    """Shelter beds that the run's scale rounds down (a bed holds a whole agent of `scale` persons): the default beds
    of the shelter hubs and `shelter_capacity` entries, as (field path, what the run holds)."""
    k = scenario.scale
    notes: list[tuple[str, str]] = []

    def note(path: str, beds: float, where: str) -> None:
        held = math.floor(beds / k) * k
        if held != beds:
            why = f"{beds:g} beds {where} hold {held:g} persons at 1 agent = {k} persons (whole agents)"
            notes.append((path, f"{why}; a finer --scale keeps them"))

    hub_beds = scenario.parameters.movement.default_shelter_capacity
    note("parameters.movement.default_shelter_capacity", hub_beds, "per shelter hub")
    for i, change in enumerate(scenario.policy):
        beds = change.resolved(scenario.parameters)
        if change.lever == "shelter_capacity" and beds > 0:
            note(f"policy[{i}]", beds, f"at {change.target}")
    return notes


def input_notes(scenario: Scenario) -> list[tuple[str, str]]:
    """What `validate`, `run` and the dashboard tell the user about valid inputs that do not act as they read, as
    (field path, message): inputs outside the period and caseworkers without an office (no effect), applicants
    from outside the corridor with no persons, partly outside the period or at an office closed on some of their
    days, driver series
    that stop before the period does (their last value is carried on), shelter beds the scale rounds down, and
    caravan counts placed where the caravan's routes do not go."""
    notes = [(path, f"{why}: it has no effect in this run") for path, why in inputs_outside_period(scenario)]
    notes += idle_caseworkers(scenario) + outside_applicants_notes(scenario)
    notes += drivers_beyond_data(scenario) + beds_in_whole_agents(scenario)
    return notes + caravan_places_off_route(scenario)


def caravan_places_off_route(scenario: Scenario) -> list[tuple[str, str]]:
    """`recorded_at` nodes that no route the caravan can take (from its origin, of its route family if it has one
    and the origin has such routes, as the engine's route choice) passes through before its US port, as (field
    path, why): the joiners of that day join where the caravan's members are instead (docs/model.md 3.3.9)."""
    placed = [(i, c) for i, c in enumerate(scenario.caravans) if c.recorded_at]
    if not placed:
        return []
    import numpy as np

    from corredor.network import compile_routes
    from corredor.parameters import ROUTE_FAMILIES

    network = scenario.load_network()
    notes = []
    for i, caravan in placed:
        routes = compile_routes(network, np.array([network.index(caravan.origin)]))
        ids = np.arange(routes.n_routes)
        if caravan.route_family in ROUTE_FAMILIES:
            of_family = ids[routes.family == ROUTE_FAMILIES.index(caravan.route_family)]
            ids = of_family if len(of_family) else ids
        passed = {int(node) for r in ids for node in routes.nodes[r, : routes.length[r] - 1]}
        for day, node in sorted(caravan.recorded_at.items()):
            if network.index(node) not in passed:
                notes.append(
                    (
                        f"caravans[{i}].recorded_at.{day}",
                        f"{node!r} is on no route from {caravan.origin!r} in this network: that day's joiners join "
                        "where the caravan's members are",
                    )
                )
    return notes


EXPERIMENT_KEYS = ("uncertainties", "sensitivity", "optimize", "outcomes", "sampler")  # of experiment files only


def parse_scenario(data: dict[str, Any], source: str = "<scenario>", base_dir: Path | None = None) -> Scenario:
    """Validate a scenario given as a dict (e.g. parsed TOML or a JSON payload)."""
    if any(key in data for key in EXPERIMENT_KEYS):
        found = ", ".join(key for key in EXPERIMENT_KEYS if key in data)
        raise ScenarioError(
            source,
            [
                (
                    "(file)",
                    f"an experiment file ({found}), not a scenario: experiment files are read by `corredor "
                    "compare -e`, `corredor sensitivity` and `corredor optimize`; the scenario it names is what "
                    "`corredor validate` and `corredor run` take",
                )
            ],
        )
    try:
        scenario = Scenario.model_validate({**data, "base_dir": base_dir or Path(".")})
    except ValidationError as error:
        raise ScenarioError(source, validation_problems(error)) from None
    try:
        network = scenario.load_network()
    except (OSError, ValueError) as error:
        raise ScenarioError(source, [("network", f"{scenario.network!r} -> {error}")]) from None
    problems = network_problems(scenario, network)
    if problems:
        raise ScenarioError(source, problems)
    return scenario


# Lists that a scenario extending another adds to (timelines), unless it names them in `replace`; every other list or
# value replaces the base's.
APPENDED_LISTS = ("policy", "caravans", "droughts", "cohorts", "outside_applicants")


def _merge(base: dict[str, Any], override: dict[str, Any], top: bool = True) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value, top=False)
        elif top and key in APPENDED_LISTS and isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Parse a scenario file, resolving ``extends = "other.toml"`` (relative to the file) recursively."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(source, [("(file)", f"cannot be read: {error.strerror}")]) from None
    except UnicodeDecodeError:
        raise ScenarioError(source, [("(file)", "is not UTF-8 text; save the scenario as UTF-8")]) from None
    if not text.strip():
        raise ScenarioError(source, [("(file)", "the file is empty; a scenario needs at least [period]")])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScenarioError(source, [("(file)", f"not valid TOML: {error}")]) from None
    network = data.get("network")
    if isinstance(network, str) and network != "default":
        prefix = "flee:" if network.startswith("flee:") else ""
        data["network"] = prefix + str((path.parent / network.removeprefix(prefix)).resolve())
    parent = data.pop("extends", None)
    replaced = data.pop("replace", [])
    if not isinstance(replaced, list) or any(name not in APPENDED_LISTS for name in replaced):
        allowed = ", ".join(repr(name) for name in APPENDED_LISTS)
        raise ScenarioError(source, [("replace", f"{replaced!r} -> give a list of some of {allowed}")])
    if parent is None:
        if replaced:
            raise ScenarioError(source, [("replace", "only a file that `extends` another can replace its lists")])
        return data
    if not isinstance(parent, str):
        raise ScenarioError(source, [("extends", f"{parent!r} -> must be a file name (string)")])
    parent_path = (path.parent / parent).resolve()
    if parent_path in chain or parent_path == path.resolve():
        raise ScenarioError(source, [("extends", f"{parent!r} -> leads back to this file (a cycle of extends)")])
    if not parent_path.is_file():
        raise ScenarioError(source, [("extends", f"{parent!r} -> no such file next to {path.name}")])
    for name in APPENDED_LISTS:
        if data.get(name) == [] and name not in replaced:
            why = f"[] adds nothing to the inherited {name}; to drop them write replace = [{name!r}]".replace("'", '"')
            raise ScenarioError(source, [(name, why)])
    base = _read_toml(parent_path, (*chain, path.resolve()))
    for name in replaced:  # these lists start empty instead of from the base's entries
        base.pop(name, None)
    return _merge(base, data)


def read_scenario_dict(path: str | Path) -> dict[str, Any]:
    """A scenario file as a plain dict, with the files it ``extends`` merged in (not yet validated): for tools that
    change a scenario before validating it (`parse_scenario`), e.g. calibration."""
    return _read_toml(Path(path))


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a TOML scenario file; raise `ScenarioError` naming every bad field.

    A file may start from another with ``extends = "baseline.toml"``: its tables override the base's key by key,
    and its ``[[policy]]``, ``[[caravans]]``, ``[[droughts]]`` and ``[[cohorts]]`` entries are added to the base's,
    except for the lists named in ``replace = ["caravans", ...]``, which hold only the file's own entries.
    """
    path = Path(path)
    return parse_scenario(_read_toml(path), str(path), path.parent)
