"""The dashboard in a real browser: Playwright drives Debian's chromium (/usr/bin/chromium, installed by `make test`)
against `corredor serve`'s app on 127.0.0.1. A user builds a 1-year scenario at 1 agent = 10 persons, sees a
validation error next to its field, runs it, sees the map, the time series, the Sankey and the COMAR panel, switches
the language, downloads a chart and a table, runs a second scenario and compares the two. Any request to another
host fails the test. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")
import uvicorn  # noqa: E402

from corredor.web.app import Settings, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RUN_URL = re.compile(r".*#/runs/[0-9a-f]{16}$")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(store=tmp_path_factory.mktemp("store"), scenarios=ROOT / "scenarios", processes=False)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.is_file(), "Debian's chromium is missing: `make chromium` (apt-get install chromium) installs it"
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


def submit(page: object, timeout: float = 60_000) -> str:
    page.click("#run")  # type: ignore[attr-defined]
    page.wait_for_url(RUN_URL, timeout=timeout)  # type: ignore[attr-defined]
    url: str = page.url  # type: ignore[attr-defined]
    return url.rsplit("/", 1)[1]


def test_build_run_see_switch_language_and_compare(server: str, browser: object, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1300, "height": 900}, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def guard(route: object, request: object) -> None:
        url = request.url  # type: ignore[attr-defined]
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            route.continue_()  # type: ignore[attr-defined]
        else:
            outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", guard)
    page.on("pageerror", lambda error: errors.append(str(error)))
    missing: list[str] = []  # e.g. /favicon.ico, which the page's inline icon spares the browser
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    page.on("console", lambda message: missing.append(message.text) if "404" in message.text else None)

    page.goto(server + "/")
    page.wait_for_function("document.querySelector('#f-start').value !== ''")
    assert page.locator("html").get_attribute("lang") == "es"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"  # keyboard users can skip the header

    page.fill("#f-start", "2018-01-01")
    page.fill("#f-end", "2018-12-31")
    page.fill("#f-scale", "0")
    page.click("#validate")
    scale_error = page.locator('[data-error-for="scale"]')
    scale_error.wait_for()
    # in Spanish: the field by its label, not the API's "scale"
    assert scale_error.inner_text() == "Escala (personas por agente): 0 -> debe ser mayor o igual que 1"
    assert page.get_attribute("#f-scale", "aria-invalid") == "true"
    page.screenshot(path=SHOTS / "01-builder-error.png")
    page.fill("#f-scale", "10")
    page.press("#f-scale", "Enter")  # Enter in a field validates; it does not start a run
    page.wait_for_function("document.querySelector('#builder-result').textContent.includes('válido')")
    assert "#/runs/" not in page.url
    assert page.input_value("#base") == "baseline"
    # COMAR levers list the nodes with an office first and pre-select the first (never a place without an office)
    assert page.input_value("#lever-comar_caseworkers-target") == "tapachula"
    assert page.input_value("#lever-comar_office_open-target") == "tapachula"
    groups = page.eval_on_selector_all("#lever-comar_caseworkers-target optgroup", "gs => gs.map((g) => g.label)")
    assert groups == ["Oficinas COMAR", "Otros lugares (abrir oficina)"]
    # places and nationalities by their Spanish names, not nodes.csv's English ones or ISO codes
    assert "Ciudad de México" in page.inner_text("#lever-comar_caseworkers-target")
    assert "Ciudad de Guatemala" in page.inner_text("#caravans-0-origin")
    assert page.locator("#droughts-0-nationality option:checked").inner_text() in (
        "Guatemala",
        "Honduras",
        "El Salvador",
    )
    # the baseline's 2014-15 drought and its Venezuelan applicants of 2014-17 cannot act in 2018: the builder says
    # so, and lists them
    assert "7 entradas fuera del periodo" in page.inner_text("#builder-result")
    assert "Sequías 1: 2014-07-01 a 2015-06-30, fuera del periodo" in page.inner_text("#builder-notes")
    # asylum applicants from outside the corridor are shown, and edited, like the other timed inputs
    assert page.locator("#outside_applicants .item").count() == 5
    assert page.input_value("#outside_applicants-4-nationality") == "VEN"
    assert page.locator("#outside_applicants-4-office option:checked").inner_text() == "Ciudad de México"
    assert "Solicitantes de asilo de fuera del corredor 1: 2014-01-01 a 2014-12-31" in page.inner_text("#builder-notes")
    # the dashboard's own caps speak Spanish too (was "replicates: 20 -> permitido: 1 a 10")
    page.fill("#f-replicates", "20")
    page.click("#run")
    replicates_error = page.locator('[data-error-for="replicates"]')
    replicates_error.wait_for()
    assert replicates_error.inner_text() == "Réplicas: 20 -> permitido: 1 a 10"
    assert "#/runs/" not in page.url
    page.fill("#f-replicates", "1")
    full = "10 runs are running or waiting (allowed: 2 running and 8 waiting); try again when one has finished"
    assert page.evaluate(f"localMessage({full!r})") == (
        "hay 10 corridas en curso o en espera (se permiten 2 en curso y 8 en espera); intente de nuevo cuando termine"
        " una"
    )
    assert page.evaluate(
        "[fieldLabel('caravans[1].size'), fieldLabel('(server)'), fieldLabel('outside_applicants[0].office')]"
    ) == [
        "Caravanas 2: Tamaño (personas)",
        "Servidor",
        "Solicitantes de asilo de fuera del corredor 1: Oficina de la COMAR",
    ]

    first = submit(page)
    page.wait_for_selector(f"#run-info[data-run='{first}'] .status-done", timeout=60_000)
    for chart in ("#chart-timeseries", "#chart-map", "#chart-sankey", "#chart-comar-load", "#chart-comar-wait"):
        page.wait_for_selector(f"{chart} .main-svg", timeout=60_000)
    assert page.locator("#chart-sankey .sankey-node").count() > 4
    # how to reproduce the numbers: the root seed, and each replicate's seed with its command line
    record = page.request.get(f"{server}/api/runs/{first}").json()
    repro = page.inner_text("#run-repro")
    assert f"Semilla raíz {record['root_seed']}" in repro
    assert f"corredor run {first}.toml --scale 10 --seed {record['seeds'][0]} --out runs/{first}/rep-0" in repro
    assert page.locator("#comar-table tbody tr").count() >= 1
    comar_head = page.inner_text("#comar-table thead")
    assert "Personas en espera de resolución al final" in comar_head and "Espera mediana de las resueltas" in comar_head
    wait_ticks = page.eval_on_selector_all("#chart-comar-wait .xtick text", "ts => ts.map((t) => t.textContent)")
    assert wait_ticks[-1] == "180+", wait_ticks  # the open last bar of the wait histogram says so
    page.locator("#map-time").focus()
    page.keyboard.press("Home")  # the time slider moves with the keyboard
    # the first point is dated by the last day of January, the day its people are counted; the flow is per month
    page.wait_for_function("document.querySelector('#map-date').textContent.includes('31 ene 2018')")
    map_legend = page.text_content("#chart-map .legend") or ""
    assert "personas en el mes" in map_legend and "periodo" not in map_legend
    page.screenshot(path=SHOTS / "02-run-es.png", full_page=True)
    # Spanish names on the run's page: map hover and axes, the Sankey's nationalities, the COMAR offices
    hover = page.evaluate("document.getElementById('chart-map').data.flatMap((trace) => trace.text || [])")
    assert any(text.startswith("Ciudad de Guatemala (Guatemala):") for text in hover)
    assert not any("(MEX)" in text or "Mexico City" in text for text in hover)
    assert page.text_content("#chart-map .xtitle") == "longitud"
    sankey_nodes = page.eval_on_selector_all("#chart-sankey .sankey-node text", "ts => ts.map((t) => t.textContent)")
    assert "Honduras" in sankey_nodes and "HND" not in sankey_nodes
    assert "Ciudad de México" in page.inner_text("#comar-table") and "Mexico City" not in page.inner_text(
        "#comar-table"
    )
    # harms by segment: along the route from south to north (bottom to top), every label inside the chart, one
    # panel per kind with its own axis (deaths are not flattened by extortions), and what the figures are
    harms = "#chart-harms-segment"
    labels = page.eval_on_selector_all(f"{harms} .ytick text", "ts => ts.map((t) => t.textContent)")
    assert labels[:4] == ["Nicaragua", "El Salvador", "Honduras", "Guatemala"] and labels[-1] == "EE. UU.", labels
    assert (
        labels.index("México sur (< 19° N)")
        < labels.index("México centro (19–23° N)")
        < labels.index("México norte (> 23° N)")
    )
    left = page.eval_on_selector(harms, "d => d.getBoundingClientRect().left")
    lefts = page.eval_on_selector_all(f"{harms} .ytick text", "ts => ts.map((t) => t.getBoundingClientRect().left)")
    assert min(lefts) >= left, (lefts, left)
    assert page.evaluate(f"Boolean(document.querySelector('{harms}').layout.xaxis4)")  # a panel (axis) per kind
    harms_title = page.text_content(f"{harms} .gtitle") or ""
    assert "de sur a norte" in harms_title and "todo el periodo" in harms_title and "una sola réplica" in harms_title
    # the load of caravans (2018 holds the baseline's October caravan): its table, COMAR applications by travel mode,
    # shelters and the northern border, each with a caption saying what is counted, in Spanish
    for chart in ("#chart-caravans", "#chart-modes", "#chart-shelters", "#chart-border"):
        page.wait_for_selector(f"{chart} .main-svg", timeout=30_000)
    assert page.inner_text("#h-loads") == "Caravanas y su carga: COMAR, albergues y frontera norte"
    caravan_rows = page.inner_text("#caravans-table tbody")
    assert "October 2018 caravan" in caravan_rows and "San Pedro Sula" in caravan_rows
    assert "Se unieron al formarse" in page.inner_text("#caravans-table thead")
    assert "Se sumaron hasta el conteo registrado" in page.inner_text("#caravans-table thead")
    loads = page.inner_text("#loads")
    assert "Personas por día (media de la semana o del mes)" in loads and "caravan_join" in loads
    assert "shelter_turned_away" in loads and "us_metering_intake_per_day" in loads
    assert "En caravana" in (page.text_content("#chart-modes .legend") or "")
    assert "Oficina COMAR" in page.inner_text("#modes-table thead") and "Tapachula" in page.inner_text("#modes-table")
    assert "Rechazados por falta de cama" in page.inner_text("#shelters-table thead")
    assert "Ixtepec" in page.inner_text("#shelters-table")
    # 2018 alone is compared with COMAR's 4,721 caravan applications of Oct-Dec 2018, and names its source
    reference = page.inner_text("#modes-reference")
    assert "observado 4,721" in reference and "mexiconewsdaily.com" in reference, reference
    # a view stored before this version has no such data: the section says so instead of drawing nothing
    page.evaluate("drawLoads({})")
    assert page.locator("#loads-missing").is_visible() and not page.locator("#loads-body").is_visible()
    assert "antes de esta versión" in page.inner_text("#loads-missing")
    page.evaluate("drawLoads(S.runView.view)")
    assert page.locator("#loads-body").is_visible() and not page.locator("#loads-missing").is_visible()
    tools = page.eval_on_selector_all(".modebar-btn", "buttons => buttons.map((b) => b.getAttribute('data-title'))")
    assert "Descargar la gráfica como PNG" in tools  # the chart tool bar speaks Spanish too
    assert not [title for title in tools if any(word in title for word in ("Cloud", "Studio", "Share"))], tools

    # A two-day run has no COMAR application and no complete year: its page says so, and shows nothing of the run
    # before; going back, the first run's charts return.
    scenario = page.request.get(f"{server}/api/runs/{first}/scenario").json()
    scenario["period"] = {"start": "2018-01-01", "end": "2018-01-02"}
    scenario["outside_applicants"] = []  # the Venezuelans who apply in Mexico City every day
    tiny = page.request.post(f"{server}/api/runs", data={"scenario": scenario, "replicates": 1}).json()["id"]
    page.goto(f"{server}/#/runs/{tiny}")
    page.wait_for_selector(f"#run-info[data-run='{tiny}'] .status-done", timeout=60_000)
    page.wait_for_selector("#chart-comar-load .chart-message")
    for chart in ("#chart-comar-load", "#chart-comar-wait", "#chart-annual"):
        assert page.locator(f"{chart} .main-svg").count() == 0, chart
    page.goto(f"{server}/#/runs/{first}")
    page.wait_for_selector("#chart-comar-load .main-svg")
    page.wait_for_selector("#chart-annual .main-svg")
    # the official figures name their source, the axis its unit, and a caption says what the bars are
    assert "Observado: COMAR" in (page.text_content("#chart-annual .legend") or "")
    assert page.text_content("#chart-annual .ytitle") == "personas por año"
    assert "una sola réplica" in page.inner_text("#annual-note")  # 1 replicate: no error bars, and it says why
    # ... and no 5 %/95 % columns that equal the value, as if there were no uncertainty
    assert page.inner_text("#totals-table thead th:nth-child(2)") == "Una sola réplica"
    assert {page.inner_text(f"#totals-table tbody tr:first-child td:nth-child({k})") for k in (3, 4)} == {"–"}
    assert "sin estimación de incertidumbre" in page.inner_text("#run-aggregate")
    assert page.locator(".chart-message").count() == 0

    page.select_option("#lang", "en")
    page.wait_for_function("document.querySelector('#h-map').textContent === 'Route map'")
    assert page.locator("nav a[href='#/runs']").inner_text() == "Runs"
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_download() as png:
        page.click("[data-png='chart-timeseries']")
    assert png.value.suggested_filename == f"chart-timeseries-{first}.png"
    # the PNG's title and the CSV's first line name the run: simulation, version, id, scale, replicates, root seed
    title = page.evaluate("exportLayout(document.getElementById('chart-timeseries')).title.text")
    exported = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", title))
    assert f"run {first}" in exported and "1 agent = 10 persons" in exported and "simulation" in exported
    assert f"root seed {record['root_seed']}" in exported
    tool = page.locator("#chart-annual .modebar-btn[data-title='Download plot as a PNG']")
    with page.expect_download() as camera:
        tool.click()  # the tool bar's camera saves the same image
    assert camera.value.suggested_filename == f"chart-annual-{first}.png"
    with page.expect_download() as csv:
        page.click("[data-csv='totals']")
    csv_file = tmp_path / "totals.csv"
    csv.value.save_as(csv_file)
    note, header = csv_file.read_text().splitlines()[:2]
    assert note.startswith("# corredor 0.1.0 simulation · run " + first) and "replicates: 1" in note
    assert header.startswith("Outcome,")
    page.screenshot(path=SHOTS / "03-run-en.png", full_page=True)

    page.goto(server + "/#/builder")
    page.wait_for_function("document.querySelector('#f-start').value !== ''")
    # choosing a scenario in the list loads it: what Run runs is what the list shows
    page.select_option("#base", "comar-staffing")
    page.wait_for_function("document.querySelector('#f-name').value === 'comar-staffing'")
    assert page.input_value("#lever-comar_office_open-target") == "tapachula"
    tenosique = "#lever-comar_office_open-target optgroup:first-child option[value='tenosique']"
    assert page.locator(tenosique).count() == 1  # the office this scenario opens is listed with the others
    page.select_option("#base", "baseline")
    page.wait_for_function("document.querySelector('#f-name').value === 'baseline'")
    # the October 2018 caravan's counts on the way, which the form does not edit, are shown and can be removed
    counts = page.inner_text("#caravans .recorded-counts")
    assert counts.startswith("Counts recorded on the way") and "7,200 (Tapachula)" in counts, counts
    assert page.locator("#caravans .recorded-counts button").inner_text() == "Remove the counts"
    page.fill("#f-start", "2018-01-01")
    page.fill("#f-end", "2018-12-31")
    page.fill("#f-scale", "10")
    page.fill("#lever-mx_enforcement_intensity", "3")
    lever_label = page.locator("label[for='lever-mx_enforcement_intensity']")
    assert lever_label.inner_text() == "Enforcement intensity in Mexico"
    page.select_option("#lang", "es")  # the builder follows the language and keeps what was typed
    page.wait_for_function(
        "document.querySelector(\"label[for='lever-mx_enforcement_intensity']\").textContent.includes('México')"
    )
    assert page.input_value("#lever-mx_enforcement_intensity") == "3"
    assert page.input_value("#f-scale") == "10"
    page.select_option("#lang", "en")
    # COMAR caseworkers for two offices: one row per target; a bad value is flagged on its own row
    page.select_option("#lever-comar_caseworkers-target", "tapachula")
    page.fill("#lever-comar_caseworkers", "30")
    page.click("[data-add-target='comar_caseworkers']")
    page.select_option("#lever-comar_caseworkers\\~1-target", "acayucan")
    page.fill("#lever-comar_caseworkers\\~1", "20000")
    page.click("#validate")
    row_error = page.locator('[data-error-for="lever.comar_caseworkers~1"]')
    row_error.wait_for()
    assert "allowed: 0 to 10000" in row_error.inner_text() and "policy[" not in row_error.inner_text()
    bad_input = page.locator("#lever-comar_caseworkers\\~1")
    assert bad_input.get_attribute("aria-invalid") == "true"  # the input is marked and points to its message
    assert bad_input.get_attribute("aria-describedby") == row_error.get_attribute("id")
    assert page.locator('[data-error-for="lever.comar_caseworkers"]').inner_text() == ""
    page.fill("#lever-comar_caseworkers\\~1", "20")
    page.fill("#f-replicates", "2")
    second = submit(page)
    page.wait_for_selector(f"#run-info[data-run='{second}'] .status-done", timeout=60_000)
    page.wait_for_selector("#chart-timeseries .main-svg", timeout=30_000)

    # levers changed: the run is not saved under the file's name as it stands (the first run, with none, is)
    assert page.request.get(f"{server}/api/runs/{second}").json()["name"] == "baseline (modified)"
    assert page.request.get(f"{server}/api/runs/{first}").json()["name"] == "baseline"
    page.wait_for_selector("#chart-annual .main-svg")
    assert "mean of 2 replicates" in page.inner_text("#annual-note") and "5 % to 95 %" in page.inner_text(
        "#annual-note"
    )
    # one rule on the whole page, said where the figures are: the mean of the replicates, whole persons
    assert page.inner_text("#totals-table thead th:nth-child(2)") == "Mean of 2 replicates"
    assert "Figures: mean of 2 replicates" in page.inner_text("#h-harms + .agg-note")
    assert not re.search(r"\d[.]\d", page.inner_text("#harms-table tbody") + page.inner_text("#totals-table tbody"))
    sent = page.request.get(f"{server}/api/runs/{second}/scenario").json()["policy"]
    mine = {(p["lever"], p.get("target"), p["value"]) for p in sent if p.get("note") == "dashboard"}
    assert mine == {
        ("mx_enforcement_intensity", None, 3),
        ("comar_caseworkers", "tapachula", 30),
        ("comar_caseworkers", "acayucan", 20),
    }

    page.goto(server + "/#/runs")
    for run_id in (first, second):
        page.check(f"[data-compare='{run_id}']")
    page.click("#compare-selected")
    page.wait_for_url(re.compile(f".*#/compare\\?ids={first},{second}$"))  # in the order ticked: first is the reference
    try:
        page.wait_for_selector("#chart-compare .main-svg", timeout=30_000)
    except sync_api.TimeoutError:
        page.screenshot(path=SHOTS / "04-compare-failed.png", full_page=True)
        raise AssertionError(f"no comparison: {page.locator('#status').inner_text()} {errors}") from None
    page.wait_for_selector("#chart-compare-series .main-svg")
    assert page.locator("#compare-table tbody tr").count() >= 10
    assert "Difference" in page.locator("#compare-table thead").inner_text()
    # signed percentages: a change that rounds to zero is "0%", never "-0%"; others carry their sign
    assert page.evaluate("[signedPct(-0.0004), signedPct(0), signedPct(0.05), signedPct(-0.05)]") == [
        "0%",
        "0%",
        "+5%",
        "-5%",
    ]
    assert page.evaluate("[fmt(-0.04, 1), fmt(-0, 1), fmt(-0.4)]") == ["0", "0", "0"]  # differences too
    assert not re.search(r"(^|\s)-0(\s?%|\s|$)", page.inner_text("#compare-table"))
    page.screenshot(path=SHOTS / "04-compare-en.png", full_page=True)
    # the first run has one replicate: no interval, and the page says why; the replicate counts differ: a warning
    notes = page.inner_text("#compare-notes")
    assert "Warning: the runs have different numbers of replicates:" in notes
    assert "A run with a single replicate gives no uncertainty estimate" in notes
    assert "no estimate (1 replicate)" in page.inner_text("#compare-table tbody")
    assert "mean of 2 replicates" in page.inner_text("#compare-table thead")

    # Two runs with 2 replicates on the same seeds, period and scale: paired 90 % intervals next to each difference,
    # and "no clear difference" where an interval includes zero; nothing to warn about.
    short = {**scenario, "period": {"start": "2018-01-01", "end": "2018-02-28"}, "scale": 200}
    stricter = {
        **short,
        "policy": [*short["policy"], {"date": "2018-01-01", "lever": "mx_enforcement_intensity", "value": 3}],
    }
    pair = [
        page.request.post(f"{server}/api/runs", data={"scenario": d, "replicates": 2}).json()["id"]
        for d in (short, stricter)
    ]
    for run_id in pair:
        for _ in range(600):
            if page.request.get(f"{server}/api/runs/{run_id}").json()["status"] == "done":
                break
            page.wait_for_timeout(100)
    page.goto(f"{server}/#/compare?ids={pair[0]},{pair[1]}")
    page.select_option("#lang", "es")
    page.wait_for_function("document.querySelector('#compare-table thead').textContent.includes('Intervalo 90')")
    assert page.locator("#compare-notes li.warning").count() == 0
    assert "emparejado réplica a réplica" in page.inner_text("#compare-notes")
    first_row = page.locator("#compare-table tbody tr").first.locator("td").all_inner_texts()
    low, high = first_row[3], first_row[4]  # departures: difference, then its interval
    assert low != "–" and high != "–", first_row
    assert "sin diferencia clara" in page.inner_text("#compare-table tbody")
    errors_x = page.evaluate("document.getElementById('chart-compare').data[0].error_x.visible")
    assert errors_x is True
    page.screenshot(path=SHOTS / "05-compare-paired-es.png", full_page=True)
    # a two-month run has no complete year: one line says so, with no empty chooser and no chart-sized gap
    page.goto(f"{server}/#/runs/{pair[0]}")
    page.wait_for_selector("#chart-annual .chart-message")
    assert not page.is_visible("#annual-panel")
    assert page.evaluate("document.getElementById('chart-annual').getBoundingClientRect().height") < 100
    page.select_option("#lang", "en")

    page.goto(server + "/#/runs")  # a finished run can be deleted from the list, after a confirmation
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"[data-delete='{tiny}']")
    page.wait_for_selector(f"tr[data-run='{tiny}']", state="detached")
    assert page.request.get(f"{server}/api/runs/{tiny}").status == 404

    context.close()
    assert outside == [], f"requests left the host: {outside}"
    assert errors == [], errors
    assert missing == [], missing


def test_pages_ask_for_nothing_missing(server: str, browser: object) -> None:
    """No 404 in the console: the pages carry their icon inline, so the browser does not ask for /favicon.ico (with
    no request routing here: Playwright's routing stops chromium from fetching the icon at all)."""
    page = browser.new_page()  # type: ignore[attr-defined]
    missing: list[str] = []
    page.on("console", lambda message: missing.append(message.text) if "404" in message.text else None)
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    for path in ("/", "/api/docs"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        icon = page.evaluate("(document.querySelector('link[rel=icon]') || {}).href || ''")
        assert icon.startswith("data:image/svg+xml"), path
        page.wait_for_timeout(300)  # the icon is fetched after the load event
    page.close()
    assert missing == [], missing
