"""Model parameters: one pydantic model per sub-model, every field with its unit, default and source.

Each field's ``description`` says what it is; ``json_schema_extra`` carries ``unit`` and ``source`` (a citation from
PARAMETERS.md, or ``assumption: <why>``). `docs/parameters.md` is generated from these definitions
(``corredor info --parameters --markdown``), so the documentation cannot drift from the code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

MODES = ("alone", "smuggled", "caravan", "legal")
HARMS = ("extortion", "kidnapping", "assault", "death")
# Route families of network edges (corredor.network reads edges against this list).
ROUTE_FAMILIES = ("origin_access", "pacific", "gulf", "central", "northwest", "northeast", "other")


def param(default: Any, unit: str, source: str, description: str, **limits: Any) -> Any:
    """A model parameter: default, unit, source and allowed range in one place."""
    return Field(default, description=description, json_schema_extra={"unit": unit, "source": source}, **limits)


def _check_modes(table: dict[str, Any]) -> None:
    if set(table) != set(MODES):
        raise ValueError(f"needs exactly the modes {', '.join(MODES)}; got {', '.join(sorted(table))}")


def _check_shares(table: dict[str, float]) -> dict[str, float]:
    if any(not 0 <= v <= 1 for v in table.values()):
        raise ValueError("values are probabilities; allowed: 0 to 1")
    return table


class Strict(BaseModel):
    """Base for scenario sections: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class DepartureParameters(Strict):
    seasonality: list[float] = param(
        [0.85, 0.90, 1.10, 1.15, 1.15, 1.05, 0.95, 0.95, 0.95, 1.00, 0.95, 0.95],
        "multiplier per calendar month (Jan..Dec), normalised to mean 1",
        "assumption: spring peak seen in CBP monthly apprehensions (recalled, R); calibrated in later work",
        "Seasonal profile of departures",
        min_length=12,
        max_length=12,
    )
    reference_year: int = param(
        2014,
        "year",
        "assumption: drivers are expressed relative to this year",
        "Year in which drivers equal 1",
    )
    homicide_elasticity: float = param(
        0.3,
        "elasticity of departures to the homicide rate",
        "assumption guided by Clemens 2017 (violence -> unaccompanied-child apprehensions, PARAMETERS.md §7)",
        "Push from violence",
        ge=0,
        le=3,
    )
    homicide_elasticity_by_nationality: dict[str, float] = param(
        {},
        "elasticity per nationality (ISO3); nationalities not listed use homicide_elasticity",
        "fitted by `corredor calibrate` to CBP apprehensions FY2013-18 (docs/calibration.md); bounds 0-3 as above",
        "Push from violence, by nationality",
    )
    food_insecurity_effect: float = param(
        0.019,
        "relative change in departures per percentage point of food insecurity",
        "WFP 2017: +1 pp food insecurity -> +1.9% emigration (PARAMETERS.md §7, V)",
        "Push from food insecurity (droughts)",
        ge=0,
        le=0.2,
    )
    remittance_elasticity: float = param(
        0.2,
        "elasticity of departures to remittances received (diaspora network pull)",
        "assumption: networks and family pull (PARAMETERS.md §7 diaspora rows); calibrated in later work",
        "Pull of the diaspora",
        ge=0,
        le=3,
    )
    remittance_elasticity_by_nationality: dict[str, float] = param(
        {},
        "elasticity per nationality (ISO3); nationalities not listed use remittance_elasticity",
        "fitted by `corredor calibrate` to CBP apprehensions FY2013-18 (docs/calibration.md); bounds 0-3 as above",
        "Pull of the diaspora, by nationality",
    )
    aid_effect_per_usd_million: float = param(
        0.0002,
        "relative reduction of departures per USD million of annual development aid",
        "assumption: 100M USD/yr lowers departures by ~2%; no published elasticity (PARAMETERS.md §8)",
        "Push reduction from development aid",
        ge=0,
        le=0.01,
    )
    aid_lag_days: int = param(
        365,
        "days",
        "assumption: programmes take about a year to reach households",
        "Delay between aid and its effect",
        ge=0,
        le=3650,
    )

    homicide_lag_days: float = param(
        0.0,
        "days",
        "assumption: violence pushes departures after a delay (decision, savings, smuggler); the yearly homicide "
        "rate acts this many days later; fitted: scenarios/calibrated/parameters.toml (bounds 0-730)",
        "Delay of the push from violence",
        ge=0,
        le=730,
    )
    mx_enforcement_elasticity: float = param(
        0.0,
        "elasticity of departures to Mexico's (adapted) enforcement intensity; the factor is floored at 0.5",
        "assumption: some people stay home when the road through Mexico gets harder (Programa Frontera Sur, "
        "PARAMETERS.md §2c); fitted: scenarios/calibrated/parameters.toml (bounds 0-1)",
        "Deterrence by Mexican enforcement",
        ge=0,
        le=1,
    )
    us_deterrence_2017: float = param(
        0.6,
        "multiplier of departures from 20 Jan 2017 (policy event with value_from)",
        "assumption: INM -50 %, US -75 % from Nov 2016 to mid-2017 (PARAMETERS.md §10); the event date is the "
        "inauguration recorded in policy_events.csv (enforcement_climate); fitted: "
        "scenarios/calibrated/parameters.toml (bounds 0.1-1)",
        "US deterrence of 2017 (Trump effect)",
        ge=0.1,
        le=1,
    )
    deterrence_half_life_days: float = param(
        180.0,
        "days (half-life of a deterrence change on log scale, towards no effect)",
        "assumption: the 2017 dip in apprehensions had largely faded by 2018 (PARAMETERS.md §10); fitted: "
        "scenarios/calibrated/parameters.toml (bounds 30-1825)",
        "Fading of US deterrence",
        gt=0,
        le=36500,
    )

    @field_validator("homicide_elasticity_by_nationality", "remittance_elasticity_by_nationality")
    @classmethod
    def _elasticities(cls, table: dict[str, float]) -> dict[str, float]:
        if any(not 0 <= v <= 3 for v in table.values()):
            raise ValueError("elasticities must be between 0 and 3")
        return table

    @field_validator("seasonality")
    @classmethod
    def _seasonality(cls, values: list[float]) -> list[float]:
        if any(not 0 <= v <= 100 for v in values) or sum(values) <= 0:
            raise ValueError("each month must be between 0 and 100 and at least one month above 0")
        return values


class ChoiceParameters(Strict):
    smuggling_fee_usd: float = param(
        7000.0,
        "USD per trip",
        "PARAMETERS.md §4: USD 4.5k-11.5k (EMIF Sur mean 4,559; BBVA-Conapo 11,500), central value",
        "Fee paid by people who travel with a smuggler",
        ge=0,
        le=50000,
    )
    fee_coefficient: float = param(
        0.15,
        "utility per USD 1,000",
        "assumption: gives a ~45% smuggled share at intensity 1 with the default constant",
        "Weight of the fee in the mode choice",
        ge=0,
        le=5,
    )
    smuggled_constant: float = param(
        0.85,
        "utility",
        "assumption: EMIF Sur ~70% of returnees who crossed the northern border used a coyote (§4)",
        "Preference for smugglers beyond fees (safety, speed)",
        ge=-10,
        le=10,
    )
    enforcement_coefficient: float = param(
        0.8,
        "utility per unit of Mexican blanket enforcement intensity above 1",
        "assumption: tighter enforcement pushes people to smugglers (Leutert, PARAMETERS.md §1a, §10)",
        "Shift to smugglers when enforcement tightens",
        ge=0,
        le=10,
    )
    caravan_constant: float = param(
        1.0,
        "utility",
        "assumption: caravans described as 'protection' (PARAMETERS.md §1); growth of the Oct 2018 caravan",
        "Preference for joining a caravan that is forming",
        ge=-10,
        le=10,
    )
    route_km_coefficient: float = param(
        1.0,
        "utility per 1,000 km",
        "assumption: shorter routes preferred",
        "Weight of distance in the route choice",
        ge=0,
        le=20,
    )
    route_harm_coefficient: float = param(
        2.0,
        "utility per expected harm event on the route",
        "assumption: the Oct 2018 caravan chose the longer, 'safer' route (PARAMETERS.md §3a)",
        "Weight of danger in the route choice",
        ge=0,
        le=20,
    )
    legal_take_up: float = param(
        0.5,
        "share of would-be irregular departers who take a legal pathway while its quota lasts",
        "assumption: no published take-up rate",
        "Take-up of legal pathways",
        ge=0,
        le=1,
    )


class MovementParameters(Strict):
    speed_alone_km_per_day: float = param(
        30.0,
        "km/day",
        "PARAMETERS.md §3b: walking 13-20 mi/day plus rides; Flee max_walk_speed 35",
        "Pace of people travelling on their own",
        gt=0,
        le=1000,
    )
    speed_smuggled_km_per_day: float = param(
        250.0,
        "km/day",
        "DESIGN.md: smuggler vehicles 150-300 km/day; EMIF Sur 85% finish within 30 days with a coyote",
        "Pace with a smuggler",
        gt=0,
        le=2000,
    )
    speed_caravan_km_per_day: float = param(
        100.0,
        "km/day",
        "derived: Oct 2018 caravan >4,300 km in ~33-40 days (PARAMETERS.md §6)",
        "Pace of a caravan including ride days",
        gt=0,
        le=1000,
    )
    speed_legal_km_per_day: float = param(
        400.0, "km/day", "assumption: intercity bus", "Pace of people with papers", gt=0, le=2000
    )
    speed_train_km_per_day: float = param(
        150.0,
        "km/day",
        "PARAMETERS.md §3b: freight train at <=18 km/h, Arriaga-Ixtepec 153 km in >=16 h",
        "Pace on freight trains",
        gt=0,
        le=2000,
    )
    shelter_stay_days: float = param(
        2.0,
        "days",
        "assumption: short stays at shelter hubs (La 72 ~100 a night, PARAMETERS.md §3c)",
        "Stay at shelter hubs for people travelling alone",
        ge=0,
        le=60,
    )
    default_shelter_capacity: float = param(
        100.0,
        "persons per shelter hub",
        "PARAMETERS.md §3c: La 72 ~100 a night; CAFEMIN 100; FM4 110; Celaya 80",
        "Beds at each shelter hub unless a policy sets them",
        ge=0,
        le=100000,
    )
    border_wait_days: float = param(
        7.0,
        "days (mean)",
        "assumption: days spent in a northern border city before the crossing attempt",
        "Wait before crossing",
        ge=0,
        le=365,
    )


class HazardParameters(Strict):
    extortion_per_1000km: float = param(
        0.10,
        "events per person per 1,000 km (alone, reference segment)",
        "Leyva-Flores et al.: 29.4% suffered violence in transit (PARAMETERS.md §4); split by kind is an assumption",
        "Extortion rate",
        ge=0,
        le=10,
    )
    kidnapping_per_1000km: float = param(
        0.015,
        "events per person per 1,000 km",
        "CNDH ~20,000 kidnappings/yr of ~300-400k in transit (§4): ~5% per journey",
        "Kidnapping rate",
        ge=0,
        le=10,
    )
    assault_per_1000km: float = param(
        0.08,
        "events per person per 1,000 km",
        "Leyva-Flores et al. ~24% physical violence (§4)",
        "Assault rate",
        ge=0,
        le=10,
    )
    death_per_1000km: float = param(
        0.0004,
        "deaths per person per 1,000 km",
        "IOM Missing Migrants: 384-495 deaths/yr in the Americas (§4), an undercount",
        "Death rate on the route",
        ge=0,
        le=1,
    )
    family_multiplier: dict[str, float] = param(
        {
            "origin_access": 0.5,
            "pacific": 1.0,
            "gulf": 1.6,
            "central": 0.9,
            "northwest": 0.8,
            "northeast": 1.6,
            "other": 1.0,
        },
        "multiplier by route family",
        "PARAMETERS.md §3a: Gulf shortest but most dangerous (CNDH: most kidnappings in Veracruz and Tamaulipas)",
        "Danger of each route family relative to the Pacific route",
    )
    mode_multiplier: dict[str, list[float]] = param(
        {
            "alone": [1.0, 1.0, 1.0, 1.0],
            "smuggled": [0.4, 0.6, 0.4, 1.5],
            "caravan": [0.25, 0.1, 0.3, 0.5],
            "legal": [0.05, 0.02, 0.05, 0.2],
        },
        "multiplier on [extortion, kidnapping, assault, death] by mode",
        "assumption: caravans give safety in numbers (§1, §6); smuggled trips hide in trucks (higher death risk)",
        "Danger of each travel mode relative to travelling alone",
    )
    train_multiplier: list[float] = param(
        [1.5, 1.0, 1.0, 4.0],
        "multiplier on [extortion, kidnapping, assault, death] on freight trains",
        "PARAMETERS.md §3b: Zetas charged ~USD 100 per rider; falls from trains (§4 hazard categories)",
        "Extra danger of riding freight trains",
        min_length=4,
        max_length=4,
    )
    hidden_route_harm: float = param(
        0.5,
        "relative increase of harm per unit of blanket enforcement intensity above 1",
        "Leutert (NYT 2018, Lawfare 2018): enforcement pushes people onto 'more invisible, risky paths' (§1a)",
        "Harm from hidden routes under blanket enforcement",
        ge=0,
        le=10,
    )
    kidnapping_delay_days: float = param(
        7.0, "days", "assumption: days held until ransom is paid", "Delay after a kidnapping", ge=0, le=365
    )
    ransom_usd: float = param(
        1800.0, "USD", "NYT op-ed 2018: ransom USD 1,800 in Reynosa (§4)", "Ransom paid", ge=0, le=50000
    )
    us_crossing_death_probability: float = param(
        0.0005,
        "deaths per crossing attempt between ports",
        "IOM 2018: Rio Grande 86 + Arizona 133 deaths vs ~400k apprehensions (§4)",
        "Death risk of crossing the US border between ports",
        ge=0,
        le=1,
    )

    @field_validator("family_multiplier")
    @classmethod
    def _families(cls, table: dict[str, float]) -> dict[str, float]:
        unknown = set(table) - set(ROUTE_FAMILIES)
        if unknown:
            raise ValueError(f"unknown route families {sorted(unknown)}; allowed: {', '.join(ROUTE_FAMILIES)}")
        if any(not 0 <= v <= 100 for v in table.values()):
            raise ValueError("multipliers must be between 0 and 100")
        return table

    @field_validator("mode_multiplier")
    @classmethod
    def _modes(cls, table: dict[str, list[float]]) -> dict[str, list[float]]:
        _check_modes(table)
        for mode, values in table.items():
            if len(values) != len(HARMS) or any(not 0 <= v <= 100 for v in values):
                raise ValueError(f"{mode}: needs {len(HARMS)} multipliers ({', '.join(HARMS)}), each 0 to 100")
        return table


class EnforcementParameters(Strict):
    detection_per_node: float = param(
        0.03,
        "probability of apprehension per Mexican node passed, at intensity 1",
        "assumption: ~25% of irregular transit apprehended before 2014 (UPM ~86k vs ~300k, §2a)"
        "; fitted: scenarios/calibrated/parameters.toml (bounds 0.005-0.15)",
        "Blanket apprehension probability per node",
        ge=0,
        le=1,
    )
    frontera_sur_intensity: float = param(
        1.8,
        "multiplier of blanket enforcement from 7 Jul 2014 (policy event with value_from)",
        "assumption: >=300 INM agents and 5,000 federal police sent south (policy_events.csv); size of effect "
        "fitted: scenarios/calibrated/parameters.toml (bounds 1-5)",
        "Programa Frontera Sur intensity",
        ge=1,
        le=5,
    )
    adaptation_half_life_days: float = param(
        36500.0,
        "days (half-life of the excess of an enforcement surge over the level before the first entry)",
        "WOLA / Isacson, Meyer & Smith 2015 (Increased enforcement at Mexico's southern border): smugglers and "
        "migrants shift routes and methods after Programa Frontera Sur; size fitted: "
        "scenarios/calibrated/parameters.toml (bounds 90-3650); default: practically no fading",
        "Adaptation to enforcement surges",
        gt=0,
        le=36500,
    )
    southern_crossing_factor: float = param(
        2.0,
        "multiplier at southern crossings",
        "assumption: checkpoints concentrate near the southern border (Programa Frontera Sur, §2c)",
        "Extra detection at the southern border",
        ge=0,
        le=50,
    )
    northern_city_factor: float = param(
        0.5, "multiplier in northern border cities", "assumption", "Detection in northern cities", ge=0, le=50
    )
    mode_detection: dict[str, float] = param(
        {"alone": 1.0, "smuggled": 0.5, "caravan": 0.2, "legal": 0.0},
        "multiplier by mode",
        "assumption: smugglers avoid checkpoints; caravans were largely tolerated in 2018 (§6)",
        "Detection by travel mode",
    )
    smuggler_targeting_gain: float = param(
        2.0,
        "extra detection of smuggled people per unit of risk targeting",
        "assumption: risk management targets smugglers and high-risk actors (PARAMETERS.md §1a)",
        "Gain of risk-managed targeting on smuggling",
        ge=0,
        le=50,
    )
    card_settle_share: float = param(
        0.3,
        "share of people given a card by risk-managed enforcement who stay to work in Mexico",
        "assumption",
        "Settlement after regularisation",
        ge=0,
        le=1,
    )
    detention_days: float = param(
        10.0,
        "days (mean)",
        "assumption: INM stations hold people days to weeks",
        "Detention in Mexico",
        ge=0,
        le=365,
    )
    deportation_share: float = param(
        0.94,
        "share of apprehensions deported",
        "Cato: Mexico deported 1.75M of 1.85M apprehended in 2004-18 (94%, §2a, V)",
        "Deportation share in Mexico",
        ge=0,
        le=1,
    )
    reattempt_probability: float = param(
        0.6,
        "probability of trying again after deportation from Mexico",
        "assumption: Mexican deportees re-attempt often; US figure 25-45% (§2b)"
        "; fitted: scenarios/calibrated/parameters.toml (bounds 0.2-0.95)",
        "Re-attempt after deportation from Mexico",
        ge=0,
        le=1,
    )
    reattempt_delay_days: float = param(
        30.0,
        "days (mean)",
        "NRC 2013: 3/4 of re-apprehensions within 90 days (§2b)",
        "Delay before re-attempting",
        ge=0,
        le=3650,
    )
    atd_programme_days: float = param(
        90.0,
        "days (mean)",
        "assumption: Mexican immigration procedures are to be resolved within 15 working days but take months "
        "when an asylum claim or appeal is involved; case management lasts until the case is resolved",
        "Time in an alternatives-to-detention programme until the case is resolved",
        gt=0,
        le=3650,
    )
    atd_abandonment_mean_days: float = param(
        90.0,
        "days (mean time to abandon the programme)",
        "assumption: case-management programmes elsewhere report high compliance (recalled, not verified), but "
        "people in transit mostly want to move on; equal to the programme length, so half complete it",
        "Abandonment of an alternatives-to-detention programme",
        gt=0,
        le=36500,
    )
    atd_regularisation_share: float = param(
        0.6,
        "share of people completing an alternatives-to-detention programme who get papers",
        "assumption: close to COMAR's 64% positive decisions in 2017 (§5); the rest return home (assisted return)",
        "Regularisation after alternatives to detention",
        ge=0,
        le=1,
    )

    @field_validator("mode_detection")
    @classmethod
    def _modes(cls, table: dict[str, float]) -> dict[str, float]:
        _check_modes(table)
        if any(not 0 <= v <= 100 for v in table.values()):
            raise ValueError("multipliers must be between 0 and 100")
        return table


class AsylumParameters(Strict):
    productivity_cases_per_year: float = param(
        102.0,
        "cases decided per caseworker per year",
        "ASF audit: each of 21 officials decided ~102 cases in 2014 (PARAMETERS.md §5, V)",
        "Caseworker productivity",
        ge=0,
        le=10000,
    )
    persons_per_case: float = param(
        1.61,
        "persons per case",
        "derived: 29,648 persons in 18,377 cases in 2018 (data/README.md)",
        "Family size of a case",
        ge=1,
        le=20,
    )
    default_caseworkers: float = param(
        7.0,
        "caseworkers per open office",
        "derived: 21 deciding officials in 2014 and 2018 across 3 offices (§5)",
        "Caseworkers per office unless a policy sets them",
        ge=0,
        le=10000,
    )
    application_propensity: dict[str, float] = param(
        {"HND": 0.007, "SLV": 0.007, "GTM": 0.0015, "NIC": 0.01, "OTHER": 0.007},
        "probability of applying when passing an open COMAR office, by nationality",
        "assumption: 2,137 applicants in 2014 vs ~300k in transit (§5); ratios between nationalities kept"
        "; fitted: scenarios/calibrated/parameters.toml (HND entry, bounds 0.00002-0.05)",
        "Propensity to claim asylum in Mexico",
    )
    word_of_mouth_per_1000: float = param(
        0.0,
        "relative increase of the propensity per 1,000 recent applicants (applications in the last ~year)",
        "assumption: people learn from those who applied before them (shelters, networks, legal aid), as the "
        "diaspora pulls departures (PARAMETERS.md §7); fitted: scenarios/calibrated/parameters.toml (bounds 0.1-20)",
        "Word of mouth about asylum in Mexico",
        ge=0,
        le=100,
    )
    word_of_mouth_memory_days: float = param(
        365.0,
        "days (mean memory of the recent-applicant count)",
        "assumption: news of applications spreads and fades"
        "; fitted: scenarios/calibrated/parameters.toml (bounds 180-3650)",
        "Memory of word of mouth",
        gt=0,
        le=3650,
    )
    recent_applicants_at_start: float | None = param(
        None,
        "persons (recent-applicant count on the first simulated day)",
        "initial condition; unset: interpolated in recent_applicants_by_date when the start is within its dates, "
        "else the COMAR applicants observed in the years before the start (<= 2018, comar.csv), each faded by the "
        "memory from mid-year to the start",
        "Word-of-mouth memory at the start",
        ge=0,
        le=1e7,
    )
    recent_applicants_by_date: dict[dt.date, float] = param(
        {},
        "persons (word-of-mouth memory on each date)",
        "the calibrated history's memory on 1 Jan of each year (scenarios/baseline.toml; kept in step by "
        "tests/test_history.py), so that a scenario starting after 2012 continues the fitted history",
        "Word-of-mouth memory by date",
    )
    caravan_propensity_multiplier: float = param(
        3.0,
        "multiplier for caravan members",
        "Oct 2018: 2,727 of ~7,000 caravan members began asylum by 24 Oct (§6)",
        "Caravan members apply more often",
        ge=0,
        le=100,
    )
    abandonment_mean_days: float = param(
        730.0,
        "days (mean time to abandon a pending file)",
        "assumption: 2018 snapshot, ~48% of closed files abandoned (§5, D)"
        "; fitted: scenarios/calibrated/parameters.toml (bounds 180-3650)",
        "Abandonment of pending files",
        gt=0,
        le=36500,
    )
    recognition_rate: dict[str, float] = param(
        {"HND": 0.75, "SLV": 0.85, "GTM": 0.5, "NIC": 0.7, "VEN": 0.48, "OTHER": 0.6},
        "share of decisions that grant refugee status or complementary protection",
        "COMAR: 64% positive in 2017, ~81% in the 2018 snapshot (§5); split by nationality is an assumption, but"
        " VEN: 266 recognised + 278 complementary protection of 1,143 Venezuelan files decided Jan-Sep 2017"
        " (La Jornada, 10 Nov 2017, aniversario.jornada.com.mx/2017/11/10/politica/014n2pol)",
        "Recognition by nationality",
    )
    settle_share: float = param(
        0.7,
        "share of recognised people who stay in Mexico",
        "assumption",
        "Settlement after recognition",
        ge=0,
        le=1,
    )
    rejected_return_share: float = param(
        0.3,
        "share of rejected applicants who go home",
        "assumption",
        "Return after rejection (the rest go north irregularly)",
        ge=0,
        le=1,
    )
    decision_deadline_working_days: int = param(
        45,
        "working days",
        "Refugee law 2011: decision within 45 working days, extendable by 45 (§5, V)",
        "Legal decision deadline",
        ge=1,
        le=1000,
    )

    _shares = field_validator("application_propensity", "recognition_rate")(_check_shares)

    @field_validator("recent_applicants_by_date")
    @classmethod
    def _memory_table(cls, table: dict[dt.date, float]) -> dict[dt.date, float]:
        if any(not 0 <= v <= 1e7 for v in table.values()):
            raise ValueError("values are persons; allowed: 0 to 10,000,000")
        return dict(sorted(table.items()))


class PathwayParameters(Strict):
    mx_card_settle_share: float = param(
        0.7,
        "share of Mexican work/humanitarian card holders who stay to work in Mexico",
        "assumption: TVRH allows work and free movement (§6)",
        "Card holders who stay in Mexico (the rest travel north legally)",
        ge=0,
        le=1,
    )
    regional_card_eligibility: dict[str, float] = param(
        {"GTM": 1.0, "BLZ": 1.0, "OTHER": 0.0},
        "share of a nationality eligible for the regional visitor card (TVR), by nationality",
        "PARAMETERS.md §8: TVR for Guatemalans and Belizeans since late 2012, free to all Guatemalans since 2014; "
        "extended to Salvadorans and Hondurans on 24 Apr 2019 (set mx_regional_card_eligibility from that date)",
        "Default of the mx_regional_card_eligibility lever",
    )
    regional_card_settle_share: float = param(
        0.5,
        "share of regional visitor card (TVR) holders who stay in the southern border states",
        "assumption: the TVR allows stays of up to 7 days in the border states and no work (§8); half of the "
        "holders who had set out north are taken to stay and circulate there, the rest go on irregularly",
        "TVR holders who stay (the rest travel on in their own mode, irregular beyond the border states)",
        ge=0,
        le=1,
    )

    _eligibility = field_validator("regional_card_eligibility")(_check_shares)


class BorderParameters(Strict):
    port_asylum_share: float = param(
        0.2,
        "share of arrivals at the northern border who ask for asylum at a port",
        "assumption: credible-fear claims 92,959 in FY2018 vs ~400k apprehensions (§2a)",
        "Asylum at ports instead of crossing between ports",
        ge=0,
        le=1,
    )
    metering_give_up_days: float = param(
        60.0,
        "days (mean)",
        "assumption: ~6,000 on waitlists in 8 cities in Nov-Dec 2018 (§6)",
        "Time before people on a metering list cross between ports instead",
        gt=0,
        le=3650,
    )
    port_release_share: float = param(
        0.8,
        "share of port asylum seekers released into the US to pursue their case",
        "assumption: most credible-fear screenings positive in 2018",
        "Release after presenting at a port",
        ge=0,
        le=1,
    )
    removal_days: float = param(
        45.0,
        "days (mean)",
        "assumption: detention before removal",
        "US detention before removal",
        ge=0,
        le=3650,
    )
    us_reattempt_probability: float = param(
        0.35,
        "probability of re-attempting after a US removal",
        "DHS OIS 2017: 55-75% do not re-attempt after repatriation (§2b, V)"
        "; fitted: scenarios/calibrated/parameters.toml (bounds 0.25-0.45, the published range)",
        "Re-attempt after US removal",
        ge=0,
        le=1,
    )
    mpp_wait_days: float = param(
        90.0, "days", "assumption: time in Mexico waiting for a US hearing", "Wait under MPP", ge=0, le=3650
    )
    expulsion_retry_days: float = param(
        3.0,
        "days (mean)",
        "assumption: retry soon after a Title 42 expulsion",
        "Retry after expulsion",
        ge=0,
        le=365,
    )


class CaravanParameters(Strict):
    join_window_days: int = param(
        7,
        "days",
        "assumption: Oct 2018 caravan grew from ~1,000 to 4,000-7,200 within two weeks (§6)",
        "Departers from the same country within this many days after a caravan leaves may join it",
        ge=0,
        le=120,
    )
    dispersal_per_day: float = param(
        0.02,
        "probability per day that a member leaves the caravan",
        "derived: Viacrucis caravan 65-77% attrition over ~5 weeks (§6)",
        "Caravan dispersal",
        ge=0,
        le=1,
    )
    emergent_threshold_persons: float = param(
        75000.0,
        "persons waiting at one node",
        "assumption: caravans formed from people stranded in Tapachula; high enough that no office's queue "
        "empties into caravans before 2019 (the backlog passed 48,000 in Dec 2018, §5): in the calibrated history "
        "the busiest office has 14,500-50,300 waiting at the end of 2018 (16 seeds, scale 100)",
        "Crowd that starts an emergent caravan",
        gt=0,
        le=1e7,
    )
    emergent_join_share: float = param(
        0.3, "share of the waiting crowd that leaves", "assumption", "Size of an emergent caravan", ge=0, le=1
    )
    emergent_cooldown_days: int = param(
        90, "days", "assumption", "Minimum gap between emergent caravans from one node", ge=1, le=3650
    )


class ClimateParameters(Strict):
    drought_severity_pp: float = param(
        6.0,
        "percentage points of extra food insecurity (mean of a stochastic drought)",
        "derived: the 2018 Dry Corridor drought left >2M food-insecure of ~32M people, ~6 pp (PARAMETERS.md §7; "
        "scenarios/drought-2018.toml); default of the drought_severity_pp lever",
        "Severity of a stochastic drought",
        ge=0,
        le=100,
    )
    drought_severity_cv: float = param(
        0.5,
        "coefficient of variation of severity (gamma distribution)",
        "assumption: droughts range from the 2014 El Nino (~3 pp in the baseline) to the 2018 drought (6-8 pp, §7)",
        "Spread of drought severity",
        ge=0,
        le=5,
    )
    drought_onset_month: int = param(
        7,
        "calendar month (1-12)",
        "PARAMETERS.md §7: El Salvador red alert Jul 2018, Honduran emergency Aug 2018 (failure of the primera "
        "harvest in the mid-summer dry spell)",
        "Month a stochastic drought starts",
        ge=1,
        le=12,
    )
    drought_duration_days: int = param(
        365,
        "days",
        "PARAMETERS.md §7: after the Jul 2018 drought, 1.4M still needed food aid in Apr 2019; lasts until the "
        "next year's harvest",
        "Length of a stochastic drought's effect on departures",
        ge=1,
        le=3650,
    )


class Parameters(Strict):
    """All model parameters, grouped by sub-model."""

    departures: DepartureParameters = Field(default_factory=DepartureParameters)
    choice: ChoiceParameters = Field(default_factory=ChoiceParameters)
    movement: MovementParameters = Field(default_factory=MovementParameters)
    hazards: HazardParameters = Field(default_factory=HazardParameters)
    enforcement: EnforcementParameters = Field(default_factory=EnforcementParameters)
    asylum: AsylumParameters = Field(default_factory=AsylumParameters)
    pathways: PathwayParameters = Field(default_factory=PathwayParameters)
    border: BorderParameters = Field(default_factory=BorderParameters)
    caravans: CaravanParameters = Field(default_factory=CaravanParameters)
    climate: ClimateParameters = Field(default_factory=ClimateParameters)


def parameter_rows() -> list[dict[str, str]]:
    """Every parameter as a row: path, default, unit, allowed range, description, source."""
    rows = []
    for group, field in Parameters.model_fields.items():
        model = field.default_factory() if field.default_factory else None  # type: ignore[call-arg]
        assert isinstance(model, BaseModel)
        for name, info in type(model).model_fields.items():
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            bounds = []
            for meta in info.metadata:
                for attr, symbol in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
                    if getattr(meta, attr, None) is not None:
                        bounds.append(f"{symbol} {getattr(meta, attr)}")
            rows.append(
                {
                    "parameter": f"parameters.{group}.{name}",
                    "default": str(getattr(model, name)),
                    "unit": str(extra.get("unit", "")),
                    "allowed": ", ".join(bounds),
                    "description": info.description or "",
                    "source": str(extra.get("source", "")),
                }
            )
    return rows
