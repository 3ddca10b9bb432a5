"""The dashboard's FastAPI app: a JSON API (every action of the page is one of these calls) and the single page.

Routes (OpenAPI at ``/api/openapi.json``, a local docs page at ``/api/docs``; no CDN):
``GET /api/meta`` levers, network, limits; ``GET /api/i18n`` interface strings (es, en); ``GET /api/observed``;
``GET /api/scenarios`` and ``GET /api/scenarios/{id}`` shipped scenarios; ``POST /api/scenarios/validate``,
``POST /api/scenarios/toml`` (JSON -> TOML), ``POST /api/scenarios/parse`` (TOML -> JSON);
``POST /api/runs``, ``GET /api/runs``, ``GET /api/runs/{id}``, ``GET /api/runs/{id}/view``,
``GET /api/runs/{id}/scenario.toml``, ``POST /api/runs/{id}/resubmit``, ``DELETE /api/runs/{id}``;
``GET /api/compare?ids=a&ids=b``. Bad input gets 4xx with ``{"detail": [{"field", "message"}]}``.
"""

from __future__ import annotations

import math
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from fastapi import Body, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from corredor import __version__
from corredor.experiments import replicate_seeds
from corredor.experiments.compare import paired_difference
from corredor.network import NODE_KINDS, load_default_network
from corredor.scenario import LEVERS, NO_SHELTER_KINDS, input_notes
from corredor.web import builder
from corredor.web.i18n import STRINGS
from corredor.web.jobs import JobRunner, QueueFull
from corredor.web.store import RunStore, UnknownRun
from corredor.web.views import observed_overlays, upgrade_view

STATIC = Path(__file__).resolve().parent / "static"


@dataclass
class Settings:
    store: Path = Path("runs/web")
    scenarios: Path = field(default_factory=builder.default_scenarios_dir)
    workers: int = 2
    max_queued: int = 8
    processes: bool = True  # worker processes (threads in tests)
    limits: builder.Limits = field(default_factory=builder.Limits)


class RunRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    scenario: dict[str, Any] = Field(description="Scenario tables and keys, as in a TOML file (dates as YYYY-MM-DD)")
    replicates: int = Field(1, ge=1, description="Runs with seeds from replicate_seeds(scenario seed, n)")


class Problem(BaseModel):
    field: str = Field(description="Path of the bad field, e.g. 'policy[0].value', '(body)' or '(path)'")
    message: str = Field(description="What is wrong and what is allowed")


class ErrorAnswer(BaseModel):
    """The shape of every 4xx answer."""

    detail: list[Problem]


ERROR_MEANINGS = {
    404: "Unknown run or scenario",
    409: "The run is in the wrong state for this request",
    422: "Invalid input: every bad field, with what is allowed",
    429: "The queue is full",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` of a route: the error answers it can give, all in the {field, message} shape (422
    always: a route with inputs can answer it, and FastAPI would otherwise document its own error shape)."""
    return {status: {"model": ErrorAnswer, "description": ERROR_MEANINGS[status]} for status in {*statuses, 422}}


COMPARE_LEVEL = 0.90  # the interval of a difference, as `corredor compare`
MAX_COMPARED = 8  # runs side by side: one colour each of the dashboard's 8-colour (Okabe-Ito) palette


def _difference_interval(reference: dict[str, Any], other: dict[str, Any], paired: bool) -> tuple[float, float] | None:
    """90 % interval of ``other - reference`` (the mean over replicates of an outcome): with the same seeds, scale
    and period, replicate i of both runs shares its random numbers and the interval is that of the paired
    differences (`corredor.experiments.compare.paired_difference`, as `corredor compare`); otherwise Welch's t
    interval of the difference of two means. None without two replicates on each side (no uncertainty estimate)."""
    a = np.asarray(reference.get("values") or [], dtype=float)
    b = np.asarray(other.get("values") or [], dtype=float)
    if len(a) < 2 or len(b) < 2:
        return None
    if paired and len(a) == len(b):
        _, low, high, _ = paired_difference(a, b, level=COMPARE_LEVEL)
        return round(low, 1), round(high, 1)
    from scipy import stats

    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    diff = float(b.mean() - a.mean())
    if se == 0:
        return round(diff, 1), round(diff, 1)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = float(stats.t.ppf(0.5 + COMPARE_LEVEL / 2, df)) * se
    return round(diff - half, 1), round(diff + half, 1)


def compare_views(records: list[dict[str, Any]], views: list[dict[str, Any]]) -> dict[str, Any]:
    """Runs side by side: per outcome the mean of each run (the median for views stored before means), the
    difference from the first with its 90 % interval (`_difference_interval`) and whether that interval excludes 0,
    and warnings when the runs differ in period, scale or replicates (their differences then mix those in)."""
    ref = records[0]
    same = [
        r.get("seeds") == ref.get("seeds")
        and (r["start"], r["end"], r["scale"]) == (ref["start"], ref["end"], ref["scale"])
        for r in records
    ]
    # views stored before the totals kept each replicate's value ("stored") have no interval either
    kept = [all("values" in e for e in v["totals"].values()) for v in views]
    methods = ["reference"] + [
        "none"
        if min(v["replicates"], views[0]["replicates"]) < 2
        else "stored"
        if not (k and kept[0])
        else ("paired" if p else "unpaired")
        for v, p, k in zip(views[1:], same[1:], kept[1:], strict=True)
    ]
    rows = []
    for key in views[0]["totals"]:
        entries = [v["totals"].get(key, {}) for v in views]
        values = [e.get("mean", e.get("median")) for e in entries]
        base = values[0]
        intervals = [None] + [
            _difference_interval(entries[0], e, p) if m in ("paired", "unpaired") else None
            for e, p, m in zip(entries[1:], same[1:], methods[1:], strict=True)
        ]
        rows.append(
            {
                "outcome": key,
                "values": values,
                "bands": [[e.get("low"), e.get("high")] for e in entries],
                "differences": [None if x is None or base is None else round(x - base, 1) for x in values],
                "relative": [None if x is None or not base else round((x - base) / base, 6) for x in values],
                "intervals": intervals,
                # the interval excludes zero: a difference the replicates can tell from none
                "clear": [None if i is None else bool(i[0] > 0 or i[1] < 0) for i in intervals],
            }
        )
    warnings = []
    for name, pick in (("period", lambda r: f"{r['start']} – {r['end']}"), ("scale", lambda r: r["scale"])):
        if len({pick(r) for r in records}) > 1:
            warnings.append({"field": name, "values": [pick(r) for r in records]})
    if len({v["replicates"] for v in views}) > 1:
        warnings.append({"field": "replicates", "values": [v["replicates"] for v in views]})
    runs = [{**r, "scenario_name": v["scenario"], "n": v["replicates"]} for r, v in zip(records, views, strict=True)]
    return {
        "runs": runs,
        "level": COMPARE_LEVEL,
        "methods": methods,
        "warnings": warnings,
        "rows": rows,
        "series": [v["timeseries"] for v in views],
    }


def _problems(status: int, problems: list[tuple[str, str]]) -> JSONResponse:
    return JSONResponse({"detail": [{"field": f, "message": m} for f, m in problems]}, status_code=status)


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    store = RunStore(settings.store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store.mark_interrupted()
        runner = JobRunner(store, settings.workers, settings.max_queued, settings.processes)
        runner.warm()
        app.state.runner = runner
        try:
            yield
        finally:
            runner.shutdown()

    app = FastAPI(
        title="corredor dashboard API",
        description="Build a scenario, run it in the background and read what the dashboard draws.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.settings = settings

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            if item["type"] == "json_invalid":  # loc is ("body", character position)
                position = item["loc"][-1]
                problems.append(
                    ("(body)", f"not valid JSON ({item['ctx'].get('error', 'decode error')} at character {position})")
                )
                continue
            loc = [str(p) for p in item["loc"] if p not in ("body", "query", "path")]
            problems.append((".".join(loc) or "(body)", str(item["msg"]).removeprefix("Value error, ")))
        return _problems(422, problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        """Every error answer has the same shape: a list of {field, message} (404 and 405 of unknown paths too)."""
        if isinstance(error.detail, list):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code, headers=error.headers)
        message = f"{error.detail}: {request.method} {request.url.path}"
        return JSONResponse(
            {"detail": [{"field": "(path)", "message": message}]}, status_code=error.status_code, headers=error.headers
        )

    def stored_view(run_id: str) -> dict[str, Any] | None:
        """The run's view as the page draws it today (views of older versions are upgraded when read)."""
        view = store.view(run_id)
        if view is None:
            return None
        record = store.record(run_id)
        return upgrade_view(view, record["start"], record["end"])

    def run_folder(run_id: str) -> None:
        try:
            store.path(run_id)
        except UnknownRun:
            raise HTTPException(404, detail=[{"field": "id", "message": f"no run {run_id!r}"}]) from None

    def submit(run_id: str, data: dict[str, Any], seeds: list[int]) -> None:
        app.state.runner.submit(run_id, data, seeds)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        return FileResponse(_plotly_js(), media_type="text/javascript")

    @app.get("/api/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC / "docs.html", media_type="text/html")

    @app.get("/api/meta", summary="Levers, network, limits and node lists for the scenario builder")
    def meta() -> dict[str, Any]:
        network = load_default_network()
        kinds = [NODE_KINDS[int(k)] for k in network.node_kind]
        nodes = [
            {"id": i, "name": n, "country": c, "kind": k}
            for i, n, c, k in zip(network.node_ids, network.node_names, network.node_country, kinds, strict=True)
        ]
        comar_offices = [n["id"] for n in nodes if n["kind"] == "asylum_office"]
        mexican = [n for n in nodes if n["country"] == "MEX"]
        return {
            "version": __version__,
            "levers": [
                {"name": name, **{k: (None if v == float("inf") else v) for k, v in asdict(lever).items()}}
                for name, lever in LEVERS.items()
            ],
            "nodes": nodes,
            # COMAR offices (node kind asylum_office) first: the default target of comar_caseworkers; then the other
            # Mexican nodes, where a scenario can open an office with comar_office_open
            "comar_offices": comar_offices,
            "offices": comar_offices + [n["id"] for n in mexican if n["id"] not in comar_offices],
            "ports": [n["id"] for n in nodes if n["kind"] == "us_port_of_entry"],
            "origins": [n["id"] for n in nodes if n["kind"] == "origin"],
            "shelter_sites": [n["id"] for n in nodes if n["kind"] not in NO_SHELTER_KINDS],
            "limits": {**asdict(settings.limits), "workers": settings.workers, "max_queued": settings.max_queued},
        }

    @app.get("/api/i18n", summary="Interface strings in Spanish and English")
    def i18n() -> dict[str, dict[str, str]]:
        return STRINGS

    @app.get("/api/observed", summary="Official statistics by year, overlaid on the simulated annual totals")
    def observed() -> dict[str, dict[str, float]]:
        if not hasattr(app.state, "observed"):
            app.state.observed = observed_overlays()  # shipped data: read once per server
        result: dict[str, dict[str, float]] = app.state.observed
        return result

    @app.get("/api/scenarios", summary="Shipped scenarios the builder can start from")
    def scenarios() -> list[dict[str, str]]:
        return builder.list_scenarios(settings.scenarios)

    @app.get(
        "/api/scenarios/{scenario_id}", summary="A shipped scenario as JSON (extends resolved)", responses=errors(404)
    )
    def scenario(scenario_id: str) -> dict[str, Any]:
        try:
            return builder.shipped_scenario(settings.scenarios, scenario_id)
        except KeyError:
            known = ", ".join(s["id"] for s in builder.list_scenarios(settings.scenarios))
            raise HTTPException(
                404, detail=[{"field": "scenario_id", "message": f"no scenario {scenario_id!r}; known: {known}"}]
            ) from None

    @app.post(
        "/api/scenarios/validate",
        summary="Check a scenario (schema, network, limits)",
        response_model=None,
        responses=errors(422),
    )
    def validate(data: Annotated[Any, Body()]) -> dict[str, Any] | JSONResponse:
        try:
            s = builder.validate(data, settings.limits)
        except builder.Problems as error:
            return _problems(422, error.problems)
        notes = [{"field": f, "message": m} for f, m in input_notes(s)]
        return {"ok": True, "days": s.period.days, "estimated_agents": builder.estimated_agents(s), "notes": notes}

    @app.post(
        "/api/scenarios/toml",
        summary="A scenario as TOML text (validated first)",
        response_model=None,
        responses=errors(422),
    )
    def to_toml(data: Annotated[Any, Body()]) -> Response:
        try:
            builder.validate(data)
        except builder.Problems as error:
            return _problems(422, error.problems)
        name = re.sub(r"[^A-Za-z0-9_.-]", "", str(data.get("name", ""))) or "scenario"
        return PlainTextResponse(
            builder.to_toml(data),
            media_type="application/toml",
            headers={"Content-Disposition": f'attachment; filename="{name}.toml"'},
        )

    @app.post(
        "/api/scenarios/parse",
        summary="TOML text (request body) to scenario JSON, validated",
        response_model=None,
        responses=errors(422),
        openapi_extra={
            "requestBody": {"required": True, "content": {"application/toml": {"schema": {"type": "string"}}}}
        },
    )
    async def parse(request: Request) -> dict[str, Any] | JSONResponse:
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _problems(422, [("(file)", "is not UTF-8 text")])
        try:
            data = builder.from_toml(text)
            builder.validate(data)
        except builder.Problems as error:
            return _problems(422, error.problems)
        return data

    @app.post(
        "/api/runs",
        status_code=202,
        summary="Submit a run (background); returns its record",
        responses=errors(422, 429),
    )
    def create_run(body: RunRequest) -> Any:
        limits = settings.limits
        if body.replicates > limits.max_replicates:
            return _problems(422, [("replicates", f"{body.replicates} -> allowed: 1 to {limits.max_replicates}")])
        try:
            s = builder.validate(body.scenario, limits)
        except builder.Problems as error:
            return _problems(422, error.problems)
        seeds = replicate_seeds(s.seed, body.replicates)
        request = {"scenario": body.scenario, "replicates": body.replicates, "root_seed": s.seed, "seeds": seeds}
        run_id = store.create(request, builder.to_toml(body.scenario))
        try:
            submit(run_id, body.scenario, seeds)
        except QueueFull as error:
            store.delete(run_id)
            return _problems(429, [("(server)", str(error))])
        return store.record(run_id)

    @app.get("/api/runs", summary="Every run, newest first, with status and progress")
    def runs() -> list[dict[str, Any]]:
        return store.runs()

    @app.get("/api/runs/{run_id}", summary="One run's record: status, progress, error", responses=errors(404))
    def run(run_id: str) -> dict[str, Any]:
        run_folder(run_id)
        return store.record(run_id)

    @app.get(
        "/api/runs/{run_id}/scenario", summary="The scenario a run was submitted with (JSON)", responses=errors(404)
    )
    def run_scenario(run_id: str) -> dict[str, Any]:
        run_folder(run_id)
        result: dict[str, Any] = store.request(run_id)["scenario"]
        return result

    @app.get(
        "/api/runs/{run_id}/view", summary="What the dashboard draws for a finished run", responses=errors(404, 409)
    )
    def view(run_id: str) -> dict[str, Any]:
        run_folder(run_id)
        record = store.record(run_id)
        data = stored_view(run_id) if record["status"] == "done" or record.get("view_ready") else None
        if data is None:
            status = record["status"]
            raise HTTPException(409, detail=[{"field": "id", "message": f"run {run_id} is {status}, not done"}])
        return data

    @app.get("/api/runs/{run_id}/scenario.toml", summary="The run's scenario as a TOML file", responses=errors(404))
    def run_toml(run_id: str) -> PlainTextResponse:
        """The scenario as submitted, with a comment header naming the seed of each replicate and the command that
        reproduces it (`corredor run` with the file's own seed runs the root seed, which no replicate used)."""
        run_folder(run_id)
        return PlainTextResponse(
            builder.with_reproduction_header(store.toml(run_id), store.record(run_id)),
            media_type="application/toml",
            headers={"Content-Disposition": f'attachment; filename="{run_id}.toml"'},
        )

    @app.post(
        "/api/runs/{run_id}/resubmit",
        status_code=202,
        summary="Run an interrupted or failed run again",
        responses=errors(404, 409, 429),
    )
    def resubmit(run_id: str) -> Any:
        run_folder(run_id)
        record = store.record(run_id)
        if record["status"] not in ("interrupted", "failed"):
            return _problems(
                409, [("id", f"run {run_id} is {record['status']}; only interrupted or failed runs are resubmitted")]
            )
        request = store.request(run_id)
        store.clear_outputs(run_id)
        store.set_state(
            run_id, status="queued", progress=0.0, error=None, started=None, finished=None, view_ready=False
        )
        try:
            submit(run_id, request["scenario"], request["seeds"])
        except QueueFull as error:
            store.set_state(run_id, status=record["status"])
            return _problems(429, [("(server)", str(error))])
        return store.record(run_id)

    @app.delete(
        "/api/runs/{run_id}",
        status_code=204,
        summary="Delete a finished, failed or interrupted run",
        responses=errors(404, 409),
    )
    def delete(run_id: str) -> Response:
        run_folder(run_id)
        status = store.record(run_id)["status"]
        if status in ("queued", "running"):
            raise HTTPException(409, detail=[{"field": "id", "message": f"run {run_id} is {status}"}])
        store.delete(run_id)
        return Response(status_code=204)

    @app.get(
        "/api/compare",
        summary="Totals of two or more finished runs side by side, with differences",
        responses=errors(404, 409, 422),
    )
    def compare(ids: Annotated[list[str], Query(description="Run ids; the first is the reference")]) -> Any:
        if not 2 <= len(ids) <= MAX_COMPARED:
            return _problems(422, [("ids", f"{len(ids)} run(s) given; compare needs 2 to {MAX_COMPARED}")])
        views = []
        for run_id in ids:
            try:
                store.path(run_id)
            except UnknownRun:
                return _problems(404, [("ids", f"no run {run_id!r}")])
            data = stored_view(run_id) if store.record(run_id)["status"] == "done" else None
            if data is None:
                return _problems(409, [("ids", f"run {run_id} is not done")])
            views.append(data)
        records = [store.record(i) for i in ids]
        return compare_views(records, views)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
