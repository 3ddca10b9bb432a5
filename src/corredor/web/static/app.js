// corredor dashboard: plain JavaScript, no build step. Every action is a call to the JSON API (/api/...).
// Routes (hash): #/builder, #/runs, #/runs/<id>, #/compare?ids=a,b
"use strict";

const OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];
const LOCALES = { es: "es-MX", en: "en-US" };
const NAME_LENGTH = 200;  // corredor.scenario.NAME_LENGTH
const S = {
  lang: localStorage.getItem("corredor.lang") || "es",
  strings: {}, meta: null, base: null, runView: null, runId: null, poll: null, selected: new Set(), flash: "",
};

// ---------- helpers ----------
const $ = (sel) => document.querySelector(sel);
const t = (key) => (S.strings[S.lang] && S.strings[S.lang][key]) || key;
const has = (key) => Boolean(S.strings[S.lang] && S.strings[S.lang][key]);
const locale = () => LOCALES[S.lang];
const fmt = (x, digits = 0) =>
  x === null || x === undefined || Number.isNaN(x) ? "–"  // a value that rounds to zero is "0", not "-0"
    : new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(Math.abs(x) < 0.5 * 10 ** -digits ? 0 : x);
const pct = (x) => (x === null || x === undefined ? "–"
  : new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(x));
// A signed change ("+4,6 %", "-1 %"): one that rounds to zero is "0 %", never "-0 %".
const signedPct = (x) => {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const rounded = Math.round(x * 1000) / 1000 || 0;  // the shown precision (0.1 %); -0 becomes 0
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1, signDisplay: "exceptZero" }).format(rounded);
};
const fmtDate = (iso) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: "medium" })
  .format(new Date(iso.length === 10 ? iso + "T00:00:00" : iso)) : "–");
const fmtDateTime = (iso) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: "short", timeStyle: "short" })
  .format(new Date(iso)) : "–");
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) node.append(c);
  return node;
}
async function api(path, options = {}) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const error = new Error(`HTTP ${response.status}`);
    error.status = response.status;
    error.problems = Array.isArray(body && body.detail) ? body.detail : [{ field: "(server)", message: String(body.detail || body) }];
    throw error;
  }
  return body;
}
function setStatus(text) { $("#status").textContent = text; }
function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { href: url, download: name });
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
// CSV text; `note` (what the numbers are: corredor version, run, scale, replicates, seed) is a first "# " line.
function csvText(header, rows, note = "") {
  const cell = (v) => { const s = v === null || v === undefined ? "" : String(v); return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
  return (note ? `# ${note.replace(/\n/g, " ")}\n` : "") + [header, ...rows].map((r) => r.map(cell).join(",")).join("\n") + "\n";
}
// What a downloaded table or chart shows: corredor's version, a simulation, the run (or runs), period, scale,
// replicates and root seed. The run page's figures carry it in their CSV's first line and their PNG's title.
function provenance(record) {
  return t("provenance").replace("{version}", S.meta.version).replace("{id}", record.id).replace("{name}", record.name)
    .replace("{start}", record.start).replace("{end}", record.end).replace("{scale}", fmt(record.scale))
    .replace("{n}", fmt(record.replicates)).replace("{root}", record.root_seed_text);
}
const runNote = () => (S.runRecord ? provenance(S.runRecord) : "");
// A table with a CSV download button before it; rows are arrays of raw values, shown formatted.
function fillTable(table, name, header, rows, format = (v) => (typeof v === "number" ? fmt(v, 1) : v), note = runNote()) {
  table.replaceChildren();
  const head = el("tr", {}, ...header.map((h, i) => el("th", { scope: "col", class: i ? "num" : null, text: h })));
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const row of rows) body.append(el("tr", {}, ...row.map((v, i) => el(i ? "td" : "th", { class: i ? "num" : null, scope: i ? null : "row", text: format(v, i) }))));
  table.append(body);
  const wrap = table.parentElement;
  wrap.querySelectorAll(".tools").forEach((n) => n.remove());
  wrap.prepend(el("div", { class: "tools" }, el("button", { type: "button", text: t("download.csv"), "data-csv": name, onclick: () => download(`${name}.csv`, csvText(header, rows, note), "text/csv") })));
}
// Nothing leaves the machine: no "send data to the cloud" or "edit in Chart Studio" buttons.
// The tool bar's camera saves the PNG with the provenance line (`exportPng`), like the "Download PNG" button.
const PLOT_CONFIG = () => ({ responsive: true, displaylogo: false, locale: S.lang, showSendToCloud: false, showEditInChartStudio: false,
  showLink: false, modeBarButtonsToRemove: ["sendDataToCloud", "toImage"],
  modeBarButtonsToAdd: [{ name: "png", title: t("download.png_chart"), icon: Plotly.Icons.camera, click: (gd) => exportPng(gd) }] });
// The chart as a PNG image: its title followed by the provenance line of the page's run (or compared runs).
function exportLayout(div) {
  const note = div.dataset.note || "";
  const layout = JSON.parse(JSON.stringify(div.layout));
  const title = (layout.title && layout.title.text) || "";
  const lines = wrapTitle(note, 1800).map((line) => `<span style="font-size:11px">${line}</span>`);
  layout.title = { ...(layout.title || {}), text: [title, ...lines].filter(Boolean).join("<br>") };
  layout.margin = { ...(layout.margin || {}), t: ((layout.margin && layout.margin.t) || 40) + 16 * lines.length };
  return layout;
}
async function exportPng(div) {
  const height = (div.clientHeight || 500) + 16 * wrapTitle(div.dataset.note || "", 1800).length;
  const url = await Plotly.toImage({ data: div.data, layout: exportLayout(div) }, { format: "png", width: 1200, height, scale: 2 });
  const a = el("a", { href: url, download: `${div.id}${S.exportId ? "-" + S.exportId : ""}.png` });
  document.body.append(a); a.click(); a.remove();
}
// A message in place of a chart (no data for it in this run): the old chart goes, so no other run's figure stays.
function chartMessage(id, text) {
  const div = document.getElementById(id);
  Plotly.purge(div);
  div.replaceChildren(el("p", { class: "chart-message", text }));
  const tools = div.previousElementSibling;
  if (tools && tools.classList.contains("tools")) tools.remove();
}
// A chart title broken into lines that fit the chart's width (Plotly does not wrap titles; phones cut them).
function wrapTitle(text, width) {
  const perLine = Math.max(24, Math.floor(width / 9));
  const lines = [""];
  for (const word of text.split(" ")) {
    const longer = lines[lines.length - 1] ? `${lines[lines.length - 1]} ${word}` : word;
    if (longer.length > perLine && lines[lines.length - 1]) lines.push(word); else lines[lines.length - 1] = longer;
  }
  return lines;
}
function plot(id, traces, layout) {
  const div = document.getElementById(id);
  div.querySelectorAll(":scope > .chart-message").forEach((n) => n.remove());
  const full = { margin: { l: 60, r: 20, t: 40, b: 50 }, colorway: OKABE_ITO, font: { family: "system-ui, sans-serif" },
    separators: S.lang === "es" ? ".," : ".,", legend: { orientation: "h", y: -0.15 }, ...layout };
  if (full.title && full.title.text && div.clientWidth) {
    const lines = wrapTitle(full.title.text, div.clientWidth);
    full.title = { ...full.title, text: lines.join("<br>") };
    full.margin = { ...full.margin, t: full.margin.t + 18 * (lines.length - 1) };
  }
  div.dataset.note = S.exportNote || "";
  Plotly.react(div, traces, full, PLOT_CONFIG());
  if (!div.previousElementSibling || !div.previousElementSibling.classList.contains("tools")) {
    div.before(el("div", { class: "tools" }, el("button", { type: "button", "data-png": id, onclick: () => exportPng(div).catch(report) })));
  }
  div.previousElementSibling.querySelector("button").textContent = t("download.png");
}
function registerPlotlyLocale() {
  const months = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat("es-MX", { month: "long" }).format(new Date(2020, m, 1)));
  const short = Array.from({ length: 12 }, (_, m) => new Intl.DateTimeFormat("es-MX", { month: "short" }).format(new Date(2020, m, 1)).replace(".", ""));
  const days = Array.from({ length: 7 }, (_, d) => new Intl.DateTimeFormat("es-MX", { weekday: "long" }).format(new Date(2020, 10, 1 + d)));
  const dictionary = {  // the tool bar's tooltips and notices in Spanish (the plotly wheel ships no locale files)
    "Download plot as a PNG": "Descargar la gráfica como PNG", "Zoom": "Zoom", "Pan": "Desplazar",
    "Box Select": "Seleccionar con rectángulo", "Lasso Select": "Seleccionar con lazo", "Zoom in": "Acercar",
    "Zoom out": "Alejar", "Autoscale": "Escala automática", "Reset axes": "Restablecer ejes", "Reset view": "Restablecer vista",
    "Toggle Spike Lines": "Mostrar u ocultar guías", "Show closest data on hover": "Mostrar el dato más cercano",
    "Compare data on hover": "Comparar datos al pasar el cursor", "Double-click to zoom back out": "Doble clic para alejar",
    "Taking snapshot - this may take a few seconds": "Generando la imagen; puede tardar unos segundos",
    "Snapshot succeeded": "Imagen generada", "Sorry, there was a problem downloading your snapshot!": "No se pudo descargar la imagen",
  };
  Plotly.register({ moduleType: "locale", name: "es", dictionary, format: { months, shortMonths: short, days, shortDays: days.map((d) => d.slice(0, 3)), date: "%d/%m/%Y", decimal: ".", thousands: "," } });
}

// ---------- language ----------
function applyLanguage() {
  document.documentElement.lang = S.lang;
  $("#lang").value = S.lang;
  document.querySelectorAll("[data-i18n]").forEach((n) => { n.textContent = t(n.dataset.i18n); });
  document.title = t("title");
}
async function setLanguage(lang) {
  S.lang = lang;
  localStorage.setItem("corredor.lang", lang);
  S.redraw = true;
  applyLanguage();
  await route();  // redraw the current view with the new strings and number formats
}

// ---------- builder ----------
// A node's name for people in the page's language ("Ciudad de México": i18n key place.<id>, else nodes.csv's name),
// its id for the API; a nationality or country code ("HND") gives the country's name.
function placeName(id) {
  if (has(`place.${id}`)) return t(`place.${id}`);
  const node = S.meta.nodes.find((n) => n.id === id);
  return node ? node.name : countryName(id);
}
const countryName = (code) => (has(`country.${code}`) ? t(`country.${code}`) : code);
// Nodes with a COMAR office: those of kind asylum_office, and those the loaded scenario opens (comar_office_open = 1).
function officesOfBase() {
  const opened = ((S.base && S.base.policy) || []).filter((p) => p.lever === "comar_office_open" && p.value > 0).map((p) => p.target);
  return [...new Set([...S.meta.comar_offices, ...opened.filter((c) => S.meta.offices.includes(c))])];
}
// One row per lever; a lever with a target (office, node, port, nationality) can have more rows, one per target.
function leverRow(lever, k) {
  const key = k ? `${lever.name}~${k}` : lever.name;
  const id = `lever-${key}`;
  const nationalities = S.base ? Object.keys(S.base.nationalities || {}) : [];
  // Shelter beds only where people stop on their way (scenario.NO_SHELTER_KINDS lists the other node kinds).
  const nodes = lever.name === "shelter_capacity" ? S.meta.shelter_sites : S.meta.nodes.map((n) => n.id);
  const choices = { office: S.meta.offices, node: nodes, port: S.meta.ports, nationality: nationalities };
  const value = el("input", { id, type: "number", step: "any", min: lever.low, max: lever.high === null ? null : lever.high });
  let target = "–";
  if (lever.target) {
    const option = (c) => el("option", { value: c, text: placeName(c) });
    let options = (choices[lever.target] || []).map(option);
    if (lever.target === "office") {  // COMAR offices first (the first is pre-selected), then places to open one
      const open = officesOfBase();
      options = [el("optgroup", { label: t("builder.offices_open") }, ...open.map(option)),
        el("optgroup", { label: t("builder.offices_other") }, ...S.meta.offices.filter((c) => !open.includes(c)).map(option))];
    }
    target = el("select", { id: `${id}-target`, "aria-label": `${t("lever." + lever.name)}: ${t("builder.target")}` }, ...options);
  }
  const range = `${fmt(lever.low, 3)} – ${lever.high === null ? "∞" : fmt(lever.high, 3)} ${t("unit." + lever.unit)}`;
  const first = el("td", {}, el("label", { for: id, text: t("lever." + lever.name) }));
  if (!k) first.append(el("div", { class: "help", text: t("leverhelp." + lever.name) }));
  first.append(el("div", { class: "error", "data-error-for": `lever.${key}` }));
  const row = el("tr", { "data-lever": lever.name, "data-key": key }, first, el("td", {}, target), el("td", {}, value), el("td", { class: "help", text: range }));
  if (lever.target) {
    row.lastChild.append(" ", el("button", { type: "button", "data-add-target": lever.name, text: t("builder.add_target"),
      onclick: () => {
        const rows = document.querySelectorAll(`#levers tr[data-lever="${lever.name}"]`);
        const next = Math.max(...[...rows].map((r) => Number((r.dataset.key.split("~")[1]) || 0))) + 1;
        rows[rows.length - 1].after(leverRow(lever, next));
        document.getElementById(`lever-${lever.name}~${next}-target`).focus();
      } }));
  }
  return row;
}
function leverRows(extra = {}) {
  const body = $("#levers");
  body.replaceChildren();
  for (const lever of S.meta.levers) {
    body.append(leverRow(lever, 0));
    for (let k = 1; k <= (extra[lever.name] || 0); k += 1) body.append(leverRow(lever, k));
  }
}
function itemRow(container, fields, values, prefix) {
  const i = container.children.length;
  const row = el("div", { class: "item", "data-index": i });
  for (const f of fields) {
    const id = `${prefix}-${i}-${f.key}`;
    const input = f.options
      ? el("select", { id, "data-key": f.key }, ...[...new Set([...f.options, ...(values[f.key] ? [values[f.key]] : [])])].map((o) => el("option", { value: o, text: placeName(o) })))
      : el("input", { id, type: f.type, "data-key": f.key, min: f.min, step: f.step });
    if (values[f.key] !== undefined) input.value = values[f.key];
    row.append(el("div", {}, el("label", { for: id, text: t(f.label) }), input, el("div", { class: "error", "data-error-for": `${prefix}[${i}].${f.key}` })));
  }
  row.extra = Object.fromEntries(Object.entries(values).filter(([k]) => !fields.some((f) => f.key === k)));
  row.append(el("button", { type: "button", text: t("builder.remove"), onclick: () => { row.remove(); renumber(container, prefix); } }));
  if (prefix === "caravans" && Object.keys(row.extra.recorded_sizes || {}).length) row.append(recordedCounts(row, `${prefix}[${i}]`));
  container.append(row);
}
// A loaded caravan's counts on the way (recorded_sizes, recorded_at), which the form does not edit: shown, with
// their errors, and removable, so that they never act unseen.
function recordedCounts(row, path) {
  const at = row.extra.recorded_at || {};
  const counts = Object.entries(row.extra.recorded_sizes).sort().map(([day, persons]) =>
    `${fmtDate(day)}: ${fmt(persons)}${at[day] ? ` (${placeName(at[day])})` : ""}`);
  const note = el("div", { class: "recorded-counts" }, `${t("builder.recorded_sizes")} ${counts.join("; ")} `,
    el("button", { type: "button", text: t("builder.remove_counts"), onclick: () => {
      delete row.extra.recorded_sizes; delete row.extra.recorded_at; note.remove(); } }),
    el("div", { class: "error", "data-error-for": `${path}.recorded_sizes` }),
    el("div", { class: "error", "data-error-for": `${path}.recorded_at` }));
  return note;
}
function renumber(container, prefix) {
  const rows = [...container.children].map((r) => ({ values: readItem(r), extra: r.extra }));
  container.replaceChildren();
  rows.forEach((r) => itemRow(container, ITEM_FIELDS[prefix](), { ...r.extra, ...r.values }, prefix));
}
function readItem(row) {
  const out = {};
  row.querySelectorAll("[data-key]").forEach((n) => { out[n.dataset.key] = n.type === "number" ? (n.value === "" ? null : Number(n.value)) : n.value; });
  return out;
}
const nats = () => Object.keys((S.base && S.base.nationalities) || {});
const droughtFields = () => [
  { key: "nationality", label: "builder.nationality", options: nats() },
  { key: "start", label: "builder.start", type: "date" },
  { key: "end", label: "builder.end", type: "date" },
  { key: "food_insecurity_pp", label: "builder.food_insecurity_pp", type: "number", min: 0, step: "any" },
];
const caravanFields = () => [
  { key: "date", label: "builder.date", type: "date" },
  { key: "origin", label: "builder.origin", options: S.meta.nodes.filter((n) => n.country !== "MEX" && n.country !== "USA").map((n) => n.id) },
  { key: "size", label: "builder.size", type: "number", min: 1, step: 1 },
  { key: "nationality", label: "builder.nationality", options: nats() },
];
// Asylum applicants from outside the corridor (e.g. Venezuelans arriving by air): a nationality the model does not
// simulate, the COMAR office where they apply, and how many between two dates.
const outsideFields = () => [
  { key: "nationality", label: "builder.nationality", type: "text" },
  { key: "office", label: "builder.office", options: S.meta.offices },
  { key: "start", label: "builder.start", type: "date" },
  { key: "end", label: "builder.end", type: "date" },
  { key: "persons", label: "builder.persons", type: "number", min: 0, step: 1 },
];
const ITEM_FIELDS = { droughts: droughtFields, caravans: caravanFields, outside_applicants: outsideFields };
function fillBuilder(data, replicates = 1) {
  S.base = JSON.parse(JSON.stringify(data));
  $("#f-name").value = data.name || "scenario";
  $("#f-start").value = (data.period || {}).start || "";
  $("#f-end").value = (data.period || {}).end || "";
  $("#f-scale").value = data.scale || 1;
  $("#f-seed").value = data.seed || 0;
  $("#f-replicates").value = replicates;
  $("#kept-policy").textContent = `${(data.policy || []).length} ${t("builder.kept_policy")}.`;
  leverRows();
  $("#droughts").replaceChildren();
  (data.droughts || []).forEach((d) => itemRow($("#droughts"), droughtFields(), d, "droughts"));
  $("#caravans").replaceChildren();
  (data.caravans || []).forEach((c) => itemRow($("#caravans"), caravanFields(), c, "caravans"));
  $("#outside_applicants").replaceChildren();
  (data.outside_applicants || []).forEach((c) => itemRow($("#outside_applicants"), outsideFields(), c, "outside_applicants"));
  clearErrors();
  S.loaded = { name: $("#f-name").value, inputs: changedInputs(readBuilder()) };  // what the loaded file says
}
// The inputs a run's name stands for: levers, droughts and caravans (the period, scale and seed are listed with
// every run).
const changedInputs = (data) => JSON.stringify([data.policy, data.droughts, data.caravans, data.outside_applicants]);
// A scenario whose levers, droughts or caravans were changed in the builder is not run or saved under the loaded
// file's name as it stands: the name gets " (modificado)" / " (modified)", in the form too, unless it was renamed.
function markModified() {
  const data = readBuilder();
  if (S.loaded && data.name === S.loaded.name && changedInputs(data) !== S.loaded.inputs) {
    $("#f-name").value = `${data.name}${t("builder.modified")}`.slice(0, NAME_LENGTH);
    data.name = $("#f-name").value;
  }
  return data;
}
function readBuilder() {
  const data = JSON.parse(JSON.stringify(S.base || {}));
  const num = (id) => ($(id).value === "" ? null : Number($(id).value));
  data.name = $("#f-name").value;
  data.period = { start: $("#f-start").value || null, end: $("#f-end").value || null };
  data.scale = num("#f-scale");
  data.seed = num("#f-seed");
  const kept = data.policy ? data.policy.length : 0;
  data.policy = [...(data.policy || [])];
  S.leverIndex = {};
  for (const row of document.querySelectorAll("#levers tr[data-lever]")) {
    const input = document.getElementById(`lever-${row.dataset.key}`);
    if (!input || input.value === "") continue;
    const entry = { date: data.period.start, lever: row.dataset.lever, value: Number(input.value), note: "dashboard" };
    const target = document.getElementById(`lever-${row.dataset.key}-target`);
    if (target) entry.target = target.value;
    S.leverIndex[kept + Object.keys(S.leverIndex).length] = row.dataset.key;
    data.policy.push(entry);
  }
  data.droughts = [...$("#droughts").children].map((r) => ({ ...r.extra, ...readItem(r) }));
  data.caravans = [...$("#caravans").children].map((r) => ({ ...r.extra, ...readItem(r) }));
  data.outside_applicants = [...$("#outside_applicants").children].map((r) => ({ ...r.extra, ...readItem(r) }));
  for (const key of ["name", "scale", "seed"]) if (data[key] === null) delete data[key];
  return data;
}
// The server writes its messages in English; in Spanish the builder translates their common phrases (values and
// names stay as they are; fields are named by their labels, `fieldLabel`).
const MESSAGE_ES = [  // specific phrases before the generic ones they contain
  [/not allowed from the dashboard; load the scenario to extend and change it/g, "no se permite desde el tablero; cargue el escenario que quiere extender y modifíquelo"],
  [/(\d+) runs are running or waiting \(allowed: (\d+) running and (\d+) waiting\); try again when one has finished/g,
    "hay $1 corridas en curso o en espera (se permiten $2 en curso y $3 en espera); intente de nuevo cuando termine una"],
  [/Input should be greater than or equal to/g, "debe ser mayor o igual que"], [/Input should be greater than/g, "debe ser mayor que"],
  [/Input should be less than or equal to/g, "debe ser menor o igual que"], [/Input should be less than/g, "debe ser menor que"],
  [/Input should be a valid date[^;]*/g, "debe ser una fecha válida (AAAA-MM-DD)"], [/Input should be a valid integer[^;]*/g, "debe ser un número entero"],
  [/Input should be a valid number[^;]*/g, "debe ser un número"], [/String should have at most (\d+) characters/g, "debe tener como máximo $1 caracteres"],
  [/required field is missing/g, "falta este campo obligatorio"], [/^empty ->/g, "vacío ->"], [/ is before start /g, " es anterior al inicio "],
  [/ is before date /g, " es anterior a la fecha "], [/out of range for/g, "fuera de rango para"],
  [/about ([\d,]+) agents at 1 agent = (\d+) persons?;/g, (_, agents, scale) => `unos ${agents} agentes con 1 agente = ${scale} persona${scale === "1" ? "" : "s"};`],
  [/up to ([\d,]+) \(raise the scale to at least (\d+) or shorten the period\)/g, "hasta $1 (suba la escala al menos a $2 o acorte el periodo)"],
  [/the period has (\d+) days; allowed from the dashboard: up to (\d+) days/g, "el periodo tiene $1 días; permitido desde el tablero: hasta $2 días"],
  [/allowed from the dashboard:/g, "permitido desde el tablero:"], [/allowed:/g, "permitido:"],
  [/(\d+) of its (\d+) days fall outside the period (\S+) to (\S+): about ([\d,]+) of its ([\d,]+) persons apply in this run/g,
    "$1 de sus $2 días caen fuera del periodo $3 a $4: unas $5 de sus $6 personas solicitan asilo en esta corrida"],
  [/^0 persons: /g, "0 personas: "],
  [/(\d) to (-?\d)/g, "$1 a $2"],  // ranges of numbers and of dates only: names keep their words
  [/unknown node; see `corredor info --network` for the node ids/g, "nodo desconocido"],
  [/a simulated nationality: its applicants come through the corridor; outside_applicants are for nationalities the model does not simulate/g,
    "una nacionalidad simulada: sus solicitantes llegan por el corredor; los solicitantes de fuera del corredor son de nacionalidades que el modelo no simula"],
  [/no COMAR office there; allowed: (.*), or a node in Mexico that comar_office_open opens/g,
    "no hay oficina de la COMAR ahí; se permiten: $1, o un lugar de México donde comar_office_open abra una"],
  [/give a three-letter country code in capitals \(ISO 3166 alpha-3\), e\.g\. VEN, CUB, HTI/g,
    "indique un código de país de tres letras en mayúsculas (ISO 3166 alfa-3), p. ej. VEN, CUB, HTI"],
  [/the COMAR office at '(\w+)' is closed on (\d+) of this entry's (\d+) days in the period \(comar_office_open\): about ([\d,]+) of its persons do not apply/g,
    "la oficina de la COMAR en '$1' está cerrada $2 de los $3 días de esta entrada en el periodo (comar_office_open): unas $4 de sus personas no solicitan asilo"],
  [/not a nationality of this scenario/g, "no es una nacionalidad de este escenario"], [/not a nationality/g, "no es una nacionalidad"],
  [/outside the period/g, "fuera del periodo"], [/after the period's end/g, "después del fin del periodo"],
  [/before the period's start/g, "antes del inicio del periodo"], [/it has no effect in this run/g, "no tiene efecto en esta corrida"],
  [/dated (\d)/g, "con fecha $1"],
];
function localMessage(message) {
  return S.lang === "es" ? MESSAGE_ES.reduce((text, [pattern, spanish]) => text.replace(pattern, spanish), message) : message;
}
function clearErrors() {
  document.querySelectorAll("[data-error-for]").forEach((n) => { n.textContent = ""; });
  document.querySelectorAll("[aria-invalid]").forEach((n) => { n.removeAttribute("aria-invalid"); n.removeAttribute("aria-describedby"); });
  $("#builder-result").textContent = "";
  $("#builder-notes").replaceChildren();
}
// A field as the builder shows it: a lever's row by its lever's label (and target), not by its policy index.
// The lever row a server field path like "policy[12].value" points to (the builder's own entries), or null.
function leverKeyOf(field) {
  const m = /^policy\[(\d+)\]/.exec(field);
  return m && S.leverIndex && S.leverIndex[m[1]] !== undefined ? S.leverIndex[m[1]] : null;
}
// Other fields by the label of their input in the page's language ("Réplicas", "Sequías 1: Nacionalidad"), not by
// the API's path ("replicates", "droughts[0].nationality"); a path the page has no label for is kept.
const FIELD_LABELS = { replicates: "builder.replicates", scale: "builder.scale", seed: "builder.seed", name: "builder.name",
  "period.start": "builder.start", "period.end": "builder.end", period: "runs.period", "(server)": "field.server",
  "(file)": "field.file", scenario: "field.scenario", extends: "field.extends", network: "field.network" };
function fieldLabel(field) {
  if (FIELD_LABELS[field]) return t(FIELD_LABELS[field]);
  const item = /^(droughts|caravans|outside_applicants|policy)\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (!item) return field;
  const label = `${t(item[1] === "policy" ? "field.policy" : `builder.${item[1]}`)} ${Number(item[2]) + 1}`;
  const part = item[3] && (has(`builder.${item[3]}`) ? t(`builder.${item[3]}`) : item[3]);
  return part ? `${label}: ${part}` : label;
}
function fieldName(field) {
  const key = leverKeyOf(field);
  if (key === null) return fieldLabel(field);
  const [lever] = key.split("~");
  const target = document.getElementById(`lever-${key}-target`);
  return `${t("lever." + lever)}${target ? ` (${placeName(target.value)})` : ""}`;
}
function showProblems(problems) {
  clearErrors();
  let first = null;
  for (const p of problems) {
    let field = p.field;
    const lever = leverKeyOf(field);
    if (lever !== null) field = `lever.${lever}`;
    let box = document.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    // fall back to the nearest enclosing field (e.g. "period" for "period.end" problems, or the top of the form)
    let parent = field;
    while (!box && parent.includes(".")) { parent = parent.slice(0, parent.lastIndexOf(".")); box = document.querySelector(`[data-error-for="${CSS.escape(parent)}"]`); }
    if (!box) box = document.querySelector('[data-error-for="scenario"]');
    // on a lever's row the message is enough; elsewhere it names the field (the policy index means nothing there)
    box.textContent = (box.textContent ? box.textContent + " · " : "") + (lever !== null ? localMessage(p.message) : `${fieldLabel(p.field)}: ${localMessage(p.message)}`);
    const input = lever !== null ? document.getElementById(`lever-${lever}`) : box.parentElement && box.parentElement.querySelector("input, select");
    if (input && box.dataset.errorFor !== "scenario") {
      box.id = box.id || `error-${box.dataset.errorFor.replace(/[^A-Za-z0-9_-]/g, "_")}`;
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", box.id);
      first = first || input;
    }
  }
  $("#builder-result").textContent = t("builder.invalid");
  if (first) first.focus();
}
async function validateBuilder() {
  try {
    const r = await api("/api/scenarios/validate", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(readBuilder()) });
    clearErrors();
    const idle = r.notes.length ? ` · ${fmt(r.notes.length)} ${t("builder.idle")}` : "";
    $("#builder-result").textContent = `${t("builder.valid")}: ${fmt(r.days)} ${t("builder.days")}, ${fmt(r.estimated_agents)} ${t("builder.agents")}${idle}`;
    $("#builder-notes").replaceChildren(...r.notes.map((n) => el("li", { text: `${fieldName(n.field)}: ${localMessage(n.message)}` })));
    return true;
  } catch (e) { if (e.problems) showProblems(e.problems); else throw e; return false; }
}
async function submitRun(event) {
  event.preventDefault();
  const replicates = Number($("#f-replicates").value || 1);
  try {
    const run = await api("/api/runs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ scenario: markModified(), replicates }) });
    S.flash = `${t("builder.submitted")}: ${run.id}`;  // shown by the run's page, which the new hash opens
    location.hash = `#/runs/${run.id}`;
  } catch (e) { if (e.problems) showProblems(e.problems); else throw e; }
}
async function saveToml() {
  const data = markModified();
  try {
    const text = await api("/api/scenarios/toml", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
    download(`${data.name || "scenario"}.toml`, text, "application/toml");
  } catch (e) { if (e.problems) showProblems(e.problems); else throw e; }
}
async function openToml(event) {
  const file = event.target.files[0];
  if (!file) return;
  try {
    const data = await api("/api/scenarios/parse", { method: "POST", headers: { "content-type": "application/toml" }, body: await file.text() });
    fillBuilder(data);
  } catch (e) { if (e.problems) showProblems(e.problems); else throw e; }
  event.target.value = "";
}
async function loadBase() {
  fillBuilder(await api(`/api/scenarios/${encodeURIComponent($("#base").value)}`));
}
async function showBuilder() {
  if (!S.base) {
    const list = await api("/api/scenarios");
    $("#base").replaceChildren(...list.map((s) => el("option", { value: s.id, text: `${s.id} — ${s.description}` })));
    if (list.some((s) => s.id === "baseline")) $("#base").value = "baseline";  // the default scenario, not the first by name
    if (list.length) await loadBase();
  } else {  // same scenario, maybe another language: rebuild the labelled rows, keeping what was typed
    const values = [...document.querySelectorAll("#levers input, #levers select")].map((n) => [n.id, n.value]);
    const extra = {};
    document.querySelectorAll("#levers tr[data-lever]").forEach((r) => { if (r.dataset.key.includes("~")) extra[r.dataset.lever] = (extra[r.dataset.lever] || 0) + 1; });
    leverRows(extra);
    for (const [id, value] of values) { const n = document.getElementById(id); if (n) n.value = value; }
    renumber($("#droughts"), "droughts");
    renumber($("#caravans"), "caravans");
    renumber($("#outside_applicants"), "outside_applicants");
    $("#kept-policy").textContent = `${(S.base.policy || []).length} ${t("builder.kept_policy")}.`;
  }
}

// ---------- runs ----------
function statusCell(r) {
  return el("span", { class: `status-${r.status}`, text: t(`status.${r.status}`) + (r.status === "failed" && r.error ? `: ${r.error}` : "") });
}
async function showRuns() {
  const runs = await api("/api/runs");
  const table = $("#runs-table");
  table.replaceChildren();
  if (!runs.length) { table.append(el("caption", { text: t("runs.empty") })); return; }
  const head = ["runs.select", "runs.name", "runs.created", "runs.status", "runs.progress", "runs.period", "runs.scale", "runs.replicates", "runs.actions"];
  table.append(el("thead", {}, el("tr", {}, ...head.map((k) => el("th", { scope: "col", text: t(k) })))));
  const body = el("tbody");
  for (const r of runs) {
    const actions = el("td", {}, el("a", { href: `#/runs/${r.id}`, text: t("runs.open") }));
    if (r.status === "interrupted" || r.status === "failed") {
      actions.append(" ", el("button", { type: "button", "data-resubmit": r.id, text: t("runs.resubmit"), onclick: async () => { await api(`/api/runs/${r.id}/resubmit`, { method: "POST" }); showRuns(); } }));
    }
    if (r.status !== "queued" && r.status !== "running") {
      actions.append(" ", el("button", { type: "button", "data-delete": r.id, text: t("runs.delete"), "aria-label": `${t("runs.delete")}: ${r.name} ${r.id}`,
        onclick: async () => {
          if (!window.confirm(`${t("runs.delete_confirm")} ${r.name} (${r.id})`)) return;
          try { await api(`/api/runs/${r.id}`, { method: "DELETE" }); } catch (e) {  // e.g. resubmitted in another tab
            setStatus(`${t("error.generic")}: ${(e.problems || []).map((p) => localMessage(p.message)).join("; ") || e.message}`);
          }
          S.selected.delete(r.id);
          showRuns();
        } }));
    }
    body.append(el("tr", { "data-run": r.id, "data-status": r.status },
      el("td", {}, el("input", { type: "checkbox", "data-compare": r.id, "aria-label": `${t("runs.select")}: ${r.name} ${r.id}`, disabled: r.status !== "done",
        checked: S.selected.has(r.id) && r.status === "done", onchange: (e) => { if (e.target.checked) S.selected.add(r.id); else S.selected.delete(r.id); } })),
      el("th", { scope: "row" }, el("a", { href: `#/runs/${r.id}`, text: `${r.name} (${r.id})` })),
      el("td", { text: fmtDateTime(r.created) }), el("td", {}, statusCell(r)),
      el("td", {}, el("progress", { max: 1, value: r.progress || 0, "aria-label": `${t("runs.progress")} ${r.id}` })),
      el("td", { text: `${fmtDate(r.start)} – ${fmtDate(r.end)}` }), el("td", { class: "num", text: fmt(r.scale) }),
      el("td", { class: "num", text: fmt(r.replicates) }), actions));
  }
  table.append(body);
  if (runs.some((r) => r.status === "queued" || r.status === "running")) schedule(showRuns, 1000);
}
function schedule(fn, ms) { clearTimeout(S.poll); S.poll = setTimeout(fn, ms); }

// ---------- one run ----------
async function showRun(id) {
  if (!S.runView || S.runView.id !== id) $("#run-results").hidden = true;  // never show another run's charts
  if ($("#run-info").dataset.run !== id) { $("#run-info").replaceChildren(); $("#run-info").dataset.run = id; }
  let record;
  try { record = await api(`/api/runs/${id}`); } catch (e) { setStatus(`${t("error.generic")}: ${e.problems[0].message}`); return; }
  S.runId = id;
  S.runRecord = record;
  S.exportNote = provenance(record);
  S.exportId = id;
  $("#run-title").textContent = `${record.name} (${id})`;
  showReproduction(record);
  const link = `${location.origin}/#/runs/${id}`;
  $("#run-info").replaceChildren(statusCell(record),
    ` · ${fmtDate(record.start)} – ${fmtDate(record.end)} · ${t("runs.scale")}: ${fmt(record.scale)} · ${t("runs.replicates")}: ${record.replicates} · `,
    el("a", { href: link, id: "share-link", text: t("runs.share") }), " · ", el("a", { href: `/api/runs/${id}/scenario.toml`, text: t("run.download_toml") }));
  $("#run-progress").value = record.progress || 0;
  const active = record.status === "queued" || record.status === "running";
  if (active) schedule(() => { if (S.runId === id && location.hash === `#/runs/${id}`) showRun(id); }, 150);
  const ready = record.status === "done" || (record.status === "running" && record.view_ready);
  if (!ready) { $("#run-results").hidden = true; return; }
  if (S.runView && S.runView.id === id && !$("#run-results").hidden && !S.redraw) return;  // already drawn
  S.redraw = false;
  if (!S.runView || S.runView.id !== id) S.runView = { id, view: await api(`/api/runs/${id}/view`) };
  $("#run-results").hidden = false;
  drawRun(S.runView.view);
}
// How to reproduce the run's numbers: root seed, replicates, scale, each replicate's seed and its command line.
function showReproduction(record) {
  const box = $("#run-repro");
  const seeds = record.seeds_text || [];  // as text: JavaScript numbers would round seeds above 2**53
  box.replaceChildren(
    el("h3", { text: t("repro.heading") }),
    el("p", { text: t("repro.text").replace("{root}", record.root_seed_text).replace("{n}", fmt(seeds.length))
      .replace("{scale}", fmt(record.scale)).replaceAll("{id}", record.id) }),
    el("ul", {}, ...seeds.map((seed, k) => el("li", { "data-seed": String(seed) },
      `${t("repro.replicate").replace("{k}", k).replace("{seed}", seed)}: `,
      el("code", { text: `corredor run ${record.id}.toml --scale ${record.scale} --seed ${seed} --out runs/${record.id}/rep-${k}` })))),
    el("p", { class: "note", text: t("repro.root_note").replace("{root}", record.root_seed_text) }));
}
// One rule for replicates on the whole page: the figure drawn is the mean over replicates (views.AGGREGATE; views
// stored by older versions say "median"), the band the 5-95 % of replicates. `center` reads it from a band.
const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const center = (band, agg = S.agg) => (band[agg] !== undefined ? band[agg] : band.median);
function aggText(v) {
  if (v.replicates === 1) return t("agg.one");
  return t("agg.many").replace("{agg}", t(`agg.${v.aggregate || "median"}`)).replace("{n}", fmt(v.replicates));
}
function drawRun(v) {
  S.agg = v.aggregate || "median";
  document.querySelectorAll("#run-results .agg-note").forEach((n) => { n.textContent = aggText(v); });
  drawTimeseries(v);  // first: the quickest to read
  drawMap(v);
  drawSankey(v);
  drawComar(v);
  drawHarms(v);
  drawLoads(v);
  // whole persons and events; with one replicate there is no 5-95 % range to give ("–", not three equal numbers)
  const one = v.replicates === 1;
  const rows = Object.entries(v.totals).map(([k, q]) => [t("outcome." + k), center(q), one ? null : q.low, one ? null : q.high]);
  const head = one ? t("totals.one") : capital(t("totals.center").replace("{agg}", t(`agg.${S.agg}`)).replace("{n}", fmt(v.replicates)));
  fillTable($("#totals-table"), "totals", [t("totals.outcome"), head, t("totals.low"), t("totals.high")], rows,
    (value) => (typeof value === "number" ? fmt(value, 0) : value ?? "–"));
}
const rgba = (hex, a) => `rgba(${parseInt(hex.slice(1, 3), 16)},${parseInt(hex.slice(3, 5), 16)},${parseInt(hex.slice(5, 7), 16)},${a})`;
// A date axis; a run with a single time point gets a week around it (Plotly would zoom to milliseconds).
function dateAxis(dates) {
  if (dates.length > 1) return { type: "date" };
  const day = new Date(`${dates[0]}T00:00:00Z`).getTime();
  const iso = (ms) => new Date(ms).toISOString().slice(0, 10);
  return { type: "date", range: [iso(day - 3 * 86400000), iso(day + 4 * 86400000)] };
}
// Time points (views.time_bins): a point's date is the last day of its week or month, the day a stock (people
// waiting, on the map) is read; an event count is a mean or a sum over the whole week or month. Events are drawn at
// the middle of their period and every point's hover names its day or its period.
function pointX(part, kind) {
  if (kind !== "event") return part.dates;
  return part.dates.map((end, i) => {
    const a = Date.parse(`${part.starts[i]}T00:00:00Z`), b = Date.parse(`${end}T00:00:00Z`);
    return new Date((a + b) / 2).toISOString().slice(0, 16).replace("T", " ");
  });
}
function pointText(part, kind) {
  return part.dates.map((end, i) => (kind === "event" ? `${fmtDate(part.starts[i])} – ${fmtDate(end)}` : fmtDate(end)));
}
// The median as a line, and the 5-95 % band of the replicates when there is one (not for a single replicate).
function bandTraces(x, band, name, color, fillOpacity = 0.25, text = null, agg = S.agg || "median") {
  const hover = (label) => (text ? { text, hovertemplate: `%{text}<br>${label}: %{y:,.1f}<extra></extra>` } : {});
  const label = `${name}: ${t("ts." + agg)}`;
  const median = { x, y: center(band, agg), mode: "lines+markers", line: { color, width: 2 }, name: label, ...hover(label) };
  if (band.low.every((low, i) => low === band.high[i])) return [{ ...median, name, ...hover(name) }];
  return [
    { x, y: band.high, mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip", name },
    { x, y: band.low, mode: "lines", fill: "tonexty", fillcolor: rgba(color, fillOpacity), line: { width: 0 }, name: `${name}: ${t("ts.band")}`, ...hover(`${name}: 5 %`) },
    median,
  ];
}
function drawTimeseries(v) {
  const select = $("#ts-series");
  const keys = Object.keys(v.timeseries.series);
  const current = select.value && keys.includes(select.value) ? select.value : keys[0];
  select.replaceChildren(...keys.map((k) => el("option", { value: k, text: t("outcome." + k) })));
  select.value = current;
  select.onchange = () => drawTimeseries(v);
  const s = v.timeseries.series[current];
  plot("chart-timeseries", bandTraces(pointX(v.timeseries, s.kind), s, t("outcome." + current), OKABE_ITO[0], 0.25, pointText(v.timeseries, s.kind)),
    { title: { text: t("outcome." + current) }, yaxis: { title: { text: t(s.unit === "per_day" ? "persons_per_day" : "persons") }, rangemode: "tozero" }, xaxis: dateAxis(v.timeseries.dates) });
  const annual = v.timeseries.annual;
  const ps = $("#annual-panel");
  ps.closest(".row").hidden = !annual.length;  // no empty chooser when no year is complete
  if (!annual.length) { ps.replaceChildren(); chartMessage("chart-annual", t("ts.no_annual")); $("#annual-note").textContent = ""; return; }
  const chosen = ps.value && annual.some((p) => p.key === ps.value) ? ps.value : annual[0].key;
  ps.replaceChildren(...annual.map((p) => el("option", { value: p.key, text: t("outcome." + p.key) })));
  ps.value = chosen;
  ps.onchange = () => drawTimeseries(v);
  const p = annual.find((a) => a.key === chosen);
  const seen = (S.observed && S.observed[chosen]) || {};
  p.observed_years = p.years.filter((y) => y in seen);
  p.observed = p.observed_years.map((y) => seen[y]);
  const simulated = t("ts.simulated").replace("{agg}", t(`agg.${S.agg}`)).replace("{n}", fmt(v.replicates));
  const mid = center(p);
  const source = t("observed." + chosen);  // who publishes the official figure, and for which years (calendar or US fiscal)
  plot("chart-annual", [
    { x: p.years, y: mid, type: "bar", name: simulated, marker: { color: OKABE_ITO[0] },
      customdata: p.years.map((_, i) => [p.low[i], p.high[i]]),
      hovertemplate: `${simulated}<br>%{x}: %{y:,.0f}` + (v.replicates > 1 ? " (5–95 %: %{customdata[0]:,.0f} – %{customdata[1]:,.0f})" : "") + "<extra></extra>",
      error_y: { type: "data", symmetric: false, array: p.high.map((h, i) => h - mid[i]), arrayminus: mid.map((m, i) => m - p.low[i]) } },
    { x: p.observed_years, y: p.observed, mode: "markers", name: source, marker: { color: OKABE_ITO[5], size: 12, symbol: "diamond" },
      hovertemplate: `${source}<br>%{x}: %{y:,.0f}<extra></extra>` },
  ], { title: { text: t("outcome." + chosen) }, xaxis: { type: "category" }, yaxis: { rangemode: "tozero", title: { text: t("annual.unit." + chosen) } },
    legend: { orientation: "h", y: -0.2 } });
  $("#annual-note").textContent = t(v.replicates > 1 ? "annual.caption" : "annual.caption_one").replace("{agg}", t(`agg.${S.agg}`))
    .replace("{n}", fmt(v.replicates)).replace("{scale}", fmt(v.scale));
}
let basemap = null;
async function drawMap(v) {
  if (!basemap) basemap = await api("/static/basemap.geojson");
  const slider = $("#map-time");
  const m = v.map;
  slider.max = m.dates.length - 1;
  if (Number(slider.value) > m.dates.length - 1 || slider.dataset.run !== S.runId) slider.value = m.dates.length - 1;
  slider.dataset.run = S.runId;
  const frame = Number(slider.value);
  $("#map-date").textContent = fmtDate(m.dates[frame]);  // people on that day; flow over the week or month it ends
  slider.setAttribute("aria-valuetext", fmtDate(m.dates[frame]));
  slider.oninput = () => drawMap(v);
  const lon = [], lat = [];
  for (const f of basemap.features) for (const poly of f.geometry.coordinates) {
    for (const [x, y] of poly[0]) { lon.push(x); lat.push(y); }
    lon.push(null); lat.push(null);
  }
  const traces = [{ x: lon, y: lat, mode: "lines", fill: "toself", fillcolor: "#eeeeee", line: { color: "#999", width: 0.7 }, hoverinfo: "skip", showlegend: false }];
  const flow = m.flow[frame];
  const maxFlow = Math.max(1, ...m.flow.flat());
  const classes = [0.02, 0.1, 0.3, 1.01];
  classes.forEach((upper, c) => {
    const x = [], y = [], text = [];
    m.edges.forEach(([a, b], e) => {
      const share = flow[e] / maxFlow;
      if (share >= (c ? classes[c - 1] : 0) && share < upper) {
        x.push(m.nodes[a].lon, m.nodes[b].lon, null); y.push(m.nodes[a].lat, m.nodes[b].lat, null);
      }
    });
    if (x.length) traces.push({ x, y, mode: "lines", line: { color: OKABE_ITO[0], width: 1 + c * 2.5 }, hoverinfo: "skip",
      name: `${t("map.flow." + m.period)} ≤ ${fmt(Math.min(upper, 1) * maxFlow)}`, showlegend: true });
  });
  // hover points at edge midpoints with the flow
  traces.push({ x: m.edges.map(([a, b]) => (m.nodes[a].lon + m.nodes[b].lon) / 2), y: m.edges.map(([a, b]) => (m.nodes[a].lat + m.nodes[b].lat) / 2),
    mode: "markers", marker: { size: 6, color: "rgba(0,0,0,0)" }, text: m.edges.map(([a, b], e) => `${placeName(m.nodes[a].id)} – ${placeName(m.nodes[b].id)}: ${fmt(flow[e])}`),
    hoverinfo: "text", showlegend: false });
  const people = m.people[frame];
  const maxPeople = Math.max(1, ...m.people.flat());
  traces.push({ x: m.nodes.map((n) => n.lon), y: m.nodes.map((n) => n.lat), mode: "markers", name: t("map.people"),
    marker: { size: people.map((p) => 5 + 40 * Math.sqrt(p / maxPeople)), color: OKABE_ITO[1], line: { color: "#000", width: 0.5 }, opacity: 0.85 },
    text: m.nodes.map((n, i) => `${placeName(n.id)} (${countryName(n.country)}): ${fmt(people[i])} ${t("persons")}`), hoverinfo: "text" });
  const title = t("map.title").replace("{start}", fmtDate(m.starts[frame])).replaceAll("{end}", fmtDate(m.dates[frame]));
  plot("chart-map", traces, { title: { text: `${t("map.heading")} — ${title}` },
    xaxis: { range: [-118, -82], showgrid: false, zeroline: false, title: { text: t("map.lon") }, constrain: "domain" },
    yaxis: { range: [9, 33.5], scaleanchor: "x", showgrid: false, zeroline: false, title: { text: t("map.lat") } }, hovermode: "closest" });
}
function drawSankey(v) {
  const s = v.sankey;
  const used = s.outcomes.filter((o) => s.links.some((l) => l.target === o));
  const labels = [...s.nationalities.map(countryName), ...used.map((o) => t("end." + o))];
  const index = (name, outcome) => (outcome ? s.nationalities.length + used.indexOf(name) : s.nationalities.indexOf(name));
  plot("chart-sankey", [{ type: "sankey", valueformat: ",.0f",
    node: { label: labels, pad: 14, color: labels.map((_, i) => OKABE_ITO[i % OKABE_ITO.length]) },
    link: { source: s.links.map((l) => index(l.source)), target: s.links.map((l) => index(l.target, true)), value: s.links.map((l) => l.value),
      color: s.links.map((l) => rgba(OKABE_ITO[index(l.source) % OKABE_ITO.length], 0.35)) } }],
  { title: { text: t("sankey.heading") } });
}
function drawComar(v) {
  const c = v.comar;
  const names = Object.fromEntries(v.map.nodes.map((n) => [n.id, n.name]));
  const officeName = (id) => (has(`place.${id}`) ? t(`place.${id}`) : names[id] || placeName(id));
  const rows = c.offices.map((o) => [officeName(o.office), Math.round(center(o.applications).reduce((a, b) => a + b, 0)), o.decided, o.share_within_limit,
    o.median_wait_working_days, o.pending_end, o.arrivals_per_day, o.caseworkers_end, o.caseworkers_needed]);
  fillTable($("#comar-table"), "comar", [t("comar.office"), t("comar.applications"), t("comar.decided"), t("comar.within"), t("comar.median_wait"),
    t("comar.pending"), t("comar.arrivals"), t("comar.caseworkers"), t("comar.needed")], rows,
  (value, i) => (i === 3 ? pct(value) : typeof value === "number" ? fmt(value, i === 6 ? 2 : i === 4 ? 1 : 0) : value ?? "–"));
  const select = $("#comar-office");
  if (!c.offices.length) { select.replaceChildren(); chartMessage("chart-comar-load", t("comar.none")); chartMessage("chart-comar-wait", ""); $("#comar-wait-note").textContent = ""; return; }
  const chosen = select.value && c.offices.some((o) => o.office === select.value) ? select.value : c.offices[0].office;
  select.replaceChildren(...c.offices.map((o) => el("option", { value: o.office, text: officeName(o.office) })));
  select.value = chosen;
  select.onchange = () => drawComar(v);
  const o = c.offices.find((x) => x.office === chosen);
  const perDay = center(o.applications).map((a, i) => a / c.days_in_bin[i]);  // a partial first or last bin is shorter
  plot("chart-comar-load", [
    { x: pointX(c, "event"), y: perDay, type: "bar", name: t("comar.applications_per_day"), marker: { color: OKABE_ITO[0] },
      text: pointText(c, "event"), textposition: "none", hovertemplate: `%{text}<br>${t("comar.applications_per_day")}: %{y:,.1f}<extra></extra>` },
    ...bandTraces(c.dates, o.backlog, t("comar.backlog"), OKABE_ITO[5], 0.25, pointText(c, "state")).map((tr) => ({ ...tr, yaxis: "y2" })),
  ], { title: { text: `${officeName(chosen)}: ${t("comar.applications")} / ${t("comar.backlog")}` }, xaxis: dateAxis(c.dates), margin: { l: 60, r: 70, t: 40, b: 50 },
    yaxis: { title: { text: t("comar.applications_per_day") }, rangemode: "tozero" },
    yaxis2: { title: { text: t("comar.backlog") }, overlaying: "y", side: "right", rangemode: "tozero", tickmode: "auto", showgrid: false } });
  // the last bin is open: every wait at or above its lower edge ("180+"), not a spike at 180 days
  const top = o.wait_bins[o.wait_bins.length - 1];
  const ticks = o.wait_bins.filter((b) => b % 30 === 0 && b < top);
  const binText = o.wait_bins.map((b, i) => (i === o.wait_bins.length - 1 ? `${b}+` : `${b}–${b + 4}`));
  plot("chart-comar-wait", [{ x: o.wait_bins.map((b) => b + 2.5), y: o.wait_counts, type: "bar", width: 4.5, name: t("comar.persons"),
    marker: { color: o.wait_bins.map((b, i) => (i === o.wait_bins.length - 1 ? OKABE_ITO[4] : OKABE_ITO[2])) },
    text: binText, hovertemplate: "%{text}: %{y:,.0f}<extra></extra>", textposition: "none" }],
    { title: { text: `${officeName(chosen)}: ${t("comar.wait")}` }, yaxis: { title: { text: t("comar.persons") } },
      xaxis: { title: { text: t("comar.wait") }, tickvals: [...ticks, top + 2.5], ticktext: [...ticks.map(String), `${top}+`] },
      shapes: [{ type: "line", x0: c.limit_working_days, x1: c.limit_working_days, yref: "paper", y0: 0, y1: 1, line: { color: OKABE_ITO[5], dash: "dash", width: 2 } }],
      annotations: [{ x: c.limit_working_days, yref: "paper", y: 1, text: t("comar.limit"), showarrow: false, xanchor: "left" }] });
  $("#comar-wait-note").textContent = t("comar.wait_top").replace("{top}", top);
}
// Horizontal bars in one small panel per kind (each with its own axis, so 4,000 deaths are read next to 450,000
// extortions), categories listed from the bottom up in the given order (segments: south at the bottom, north at the
// top), labels on the left with room for them.
function facetBars(id, categories, kinds, values, title) {
  const div = document.getElementById(id);
  const cols = div.clientWidth && div.clientWidth < 700 ? 2 : kinds.length;
  const rows = Math.ceil(kinds.length / cols);
  const gapX = 0.05, gapY = 0.2, height = (1 - gapY * (rows - 1)) / rows;
  const layout = { title: { text: title }, showlegend: false, annotations: [], bargap: 0.25, margin: { l: 10, r: 30, t: 70, b: 40 } };
  const traces = kinds.map((kind, i) => {
    const col = i % cols, row = Math.floor(i / cols);
    const x = i ? String(i + 1) : "", y = row ? String(row + 1) : "";
    const x0 = col / cols + (col ? gapX : 0), x1 = (col + 1) / cols - gapX / 2;
    const y1 = 1 - row * (height + gapY), y0 = y1 - height;
    layout[`xaxis${x}`] = { domain: [x0, x1], anchor: `y${y}`, rangemode: "tozero", tickformat: "~s", zeroline: true };
    // panels of a row share its category axis (labels once, on the left)
    if (col === 0) layout[`yaxis${y}`] = { domain: [y0, y1], anchor: `x${x}`, automargin: true, type: "category", categoryorder: "array", categoryarray: categories };
    layout.annotations.push({ text: `<b>${t("outcome." + kind)}</b>`, x: (x0 + x1) / 2, xref: "paper", y: y1, yref: "paper", yanchor: "bottom", showarrow: false });
    return { type: "bar", orientation: "h", x: values[kind], y: categories, xaxis: `x${x}`, yaxis: `y${y}`, name: t("outcome." + kind),
      marker: { color: OKABE_ITO[i % OKABE_ITO.length] }, hovertemplate: `${t("outcome." + kind)}<br>%{y}: %{x:,.0f}<extra></extra>` };
  });
  plot(id, traces, layout);
}
function drawHarms(v) {
  const h = v.harms;
  const harms = Object.keys(h.by_mode);
  // what the figures are: totals over the whole period, and which aggregate of the replicates
  const agg = v.replicates === 1 ? t("compare.one") : t("totals.center").replace("{agg}", t(`agg.${S.agg}`)).replace("{n}", fmt(v.replicates));
  const end = new Date(Date.parse(`${v.start}T00:00:00Z`) + (v.days - 1) * 86400000).toISOString().slice(0, 10);
  const what = t("harms.what").replace("{start}", fmtDate(v.start)).replace("{end}", fmtDate(end)).replace("{agg}", agg);
  facetBars("chart-harms-mode", h.modes.map((m) => t("mode." + m)), harms, h.by_mode, `${t("harms.by_mode")} — ${what}`);
  facetBars("chart-harms-segment", h.segments.map((s) => t("segment." + s)), harms, h.by_segment, `${t("harms.by_segment")} (${t("harms.south_north")}) — ${what}`);
  const rows = [];
  h.modes.forEach((m, i) => rows.push([`${t("harms.by_mode")}: ${t("mode." + m)}`, ...harms.map((k) => h.by_mode[k][i])]));
  h.segments.forEach((s, i) => rows.push([`${t("harms.by_segment")}: ${t("segment." + s)}`, ...harms.map((k) => h.by_segment[k][i])]));
  fillTable($("#harms-table"), "harms", [capital(what), ...harms.map((k) => t("outcome." + k))], rows, (value) => (typeof value === "number" ? fmt(value, 0) : value));
}

// ---------- caravans and their load: COMAR by travel mode, shelters, northern border ----------
// A band of per-bin totals as per-day means (a partial first or last bin is shorter).
const perDayBand = (band, days) => Object.fromEntries(Object.entries(band).map(([k, xs]) => [k, xs.map((x, i) => x / days[i])]));
// A select of nodes by their names; returns the chosen id (kept when the page is redrawn).
function nodeSelect(select, ids, redraw) {
  const chosen = select.value && ids.includes(select.value) ? select.value : ids[0];
  select.replaceChildren(...ids.map((id) => el("option", { value: id, text: placeName(id) })));
  select.value = chosen;
  select.onchange = redraw;
  return chosen;
}
function drawLoads(v) {
  const ok = Boolean(v.caravans && v.shelters && v.border);  // views stored before this version have none
  $("#loads-missing").hidden = ok;
  $("#loads-body").hidden = !ok;
  if (!ok) return;
  drawCaravans(v);
  drawModes(v);
  drawShelters(v);
  drawBorder(v);
}
function drawCaravans(v) {
  const c = v.caravans;
  const rows = c.caravans.map((k) => [k.name, fmtDate(k.date), placeName(k.node), k.persons, k.joiners, k.topped_up ?? null, k.total]);
  for (const e of c.emergent) {
    rows.push([t("caravans.emergent").replace("{office}", placeName(e.node)).replace("{n}", fmt(e.caravans, 2)),
      e.first === e.last ? fmtDate(e.first) : `${fmtDate(e.first)} – ${fmtDate(e.last)}`, placeName(e.node), e.persons, null, null, e.persons]);
  }
  fillTable($("#caravans-table"), "caravans", [t("caravans.name"), t("caravans.date"), t("caravans.origin"), t("caravans.persons"),
    t("caravans.joiners"), t("caravans.topped_up"), t("caravans.total")], rows, (value) => (typeof value === "number" ? fmt(value, 0) : value ?? "–"));
  $("#caravans-note").textContent = rows.length ? t("caravans.note").replace("{days}", fmt(c.join_window_days))
    .replace("{loose}", fmt(c.unattributed_joiners)) : t("caravans.none");
  const keys = ["joined", "left", "arrived_north"];
  plot("chart-caravans", keys.flatMap((k, i) => bandTraces(pointX(c, "event"), perDayBand(c.flows[k], c.days_in_bin), t("caravans." + k),
    OKABE_ITO[i], 0.2, pointText(c, "event"))),
  { title: { text: t("caravans.flows_title") }, xaxis: dateAxis(c.dates), yaxis: { rangemode: "tozero", title: { text: t("persons_per_day") } } });
}
function drawModes(v) {
  const c = v.caravans;
  plot("chart-modes", c.modes.map((m, i) => ({ type: "bar", x: pointX(c, "event"), y: center(c.applications[m]).map((x, j) => x / c.days_in_bin[j]),
    name: t("mode." + m), marker: { color: OKABE_ITO[i] }, text: pointText(c, "event"), textposition: "none",
    hovertemplate: `%{text}<br>${t("mode." + m)}: %{y:,.1f}<extra></extra>` })),
  { title: { text: t("modes.title") }, barmode: "stack", xaxis: dateAxis(c.dates), yaxis: { rangemode: "tozero", title: { text: t("persons_per_day") } } });
  const r = c.reference;
  $("#modes-reference").textContent = r && r.simulated
    ? t("modes.reference").replace("{start}", fmtDate(r.start)).replace("{end}", fmtDate(r.end)).replace("{sim}", fmt(r.simulated.mean))
      .replace("{band}", v.replicates > 1 ? ` (5–95 %: ${fmt(r.simulated.low)} – ${fmt(r.simulated.high)})` : "")
      .replace("{obs}", fmt(r.observed)).replace("{source}", r.source)
    : t("modes.no_reference");
  const rows = c.applications_by_office.map((o) => [placeName(o.office), ...o.by_mode, o.by_mode.reduce((a, b) => a + b, 0)]);
  fillTable($("#modes-table"), "applications_by_mode", [t("modes.office"), ...c.modes.map((m) => t("mode." + m)), t("modes.total")], rows,
    (value) => (typeof value === "number" ? fmt(value, 0) : value ?? "–"));
}
function drawShelters(v) {
  const s = v.shelters;
  const rows = s.nodes.map((n) => [placeName(n.node), n.beds[n.beds.length - 1], n.stays_total, n.turned_away_total]);
  fillTable($("#shelters-table"), "shelters", [t("shelters.node"), t("shelters.beds"), t("shelters.stays"), t("shelters.turned_away")], rows,
    (value) => (typeof value === "number" ? fmt(value, 0) : value ?? "–"));
  if (!s.nodes.length) { $("#shelter-node").replaceChildren(); chartMessage("chart-shelters", t("shelters.none")); return; }
  const chosen = nodeSelect($("#shelter-node"), s.nodes.map((n) => n.node), () => drawShelters(v));
  const n = s.nodes.find((x) => x.node === chosen);
  const bars = [["stays", OKABE_ITO[2]], ["turned_away", OKABE_ITO[5]]].map(([k, color]) => ({ type: "bar", x: pointX(s, "event"),
    y: center(n[k]).map((x, i) => x / s.days_in_bin[i]), name: t("shelters." + k), marker: { color }, text: pointText(s, "event"),
    textposition: "none", hovertemplate: `%{text}<br>${t("shelters." + k)}: %{y:,.1f}<extra></extra>` }));
  plot("chart-shelters", [...bars,  // the beds line first, so that a full shelter's occupancy is drawn over it
    { x: s.dates, y: n.beds, mode: "lines", line: { color: "#000", dash: "dash", width: 2 }, name: t("shelters.beds_line"), yaxis: "y2",
      text: pointText(s, "state"), hovertemplate: `%{text}<br>${t("shelters.beds_line")}: %{y:,.0f}<extra></extra>` },
    ...bandTraces(s.dates, n.occupancy, t("shelters.occupancy"), OKABE_ITO[0], 0.2, pointText(s, "state")).map((tr) => ({ ...tr, yaxis: "y2" }))],
  { title: { text: `${placeName(chosen)}: ${t("shelters.heading")}` }, xaxis: dateAxis(s.dates), margin: { l: 60, r: 70, t: 40, b: 50 },
    yaxis: { rangemode: "tozero", title: { text: t("persons_per_day") } },
    yaxis2: { title: { text: t("persons") }, overlaying: "y", side: "right", rangemode: "tozero", tickmode: "auto", showgrid: false } });
}
function drawBorder(v) {
  const b = v.border;
  if (!b.nodes.length) { $("#border-node").replaceChildren(); chartMessage("chart-border", t("border.none")); return; }
  const chosen = nodeSelect($("#border-node"), b.nodes.map((n) => n.node), () => drawBorder(v));
  const n = b.nodes.find((x) => x.node === chosen);
  const title = `${placeName(chosen)}${n.port ? ` → ${placeName(n.port)}` : ""}`;
  plot("chart-border", [
    { type: "bar", x: pointX(b, "event"), y: center(n.presented).map((x, i) => x / b.days_in_bin[i]), name: t("border.presented"),
      marker: { color: OKABE_ITO[2] }, text: pointText(b, "event"), textposition: "none",
      hovertemplate: `%{text}<br>${t("border.presented")}: %{y:,.1f}<extra></extra>` },
    { x: b.dates, y: n.intake_per_day, mode: "lines", line: { color: "#000", dash: "dash", width: 2 }, name: t("border.intake"),
      text: pointText(b, "state"), hovertemplate: `%{text}<br>${t("border.intake")}: %{y:,.0f}<extra></extra>` },
    ...bandTraces(b.dates, n.at_border, t("border.at_border"), OKABE_ITO[0], 0.2, pointText(b, "state")).map((tr) => ({ ...tr, yaxis: "y2" })),
  ], { title: { text: title }, xaxis: dateAxis(b.dates), margin: { l: 60, r: 70, t: 40, b: 50 },
    yaxis: { rangemode: "tozero", title: { text: t("persons_per_day") } },
    yaxis2: { title: { text: t("persons") }, overlaying: "y", side: "right", rangemode: "tozero", tickmode: "auto", showgrid: false } });
}

// ---------- compare ----------
async function showCompare(ids) {
  $("#compare-results").hidden = true;
  if (ids.length < 2) { $("#compare-help").hidden = false; return; }
  $("#compare-help").hidden = true;
  const query = ids.map((i) => `ids=${encodeURIComponent(i)}`).join("&");
  let c;
  try { c = await api(`/api/compare?${query}`); } catch (e) { setStatus(`${t("error.generic")}: ${e.problems.map((p) => p.message).join("; ")}`); $("#compare-help").hidden = false; return; }
  $("#compare-results").hidden = false;
  S.exportNote = c.runs.map(provenance).join(" | ");  // every compared run, in the CSV's first line and the PNG's title
  S.exportId = c.runs.map((r) => r.id).join("-");
  const names = c.runs.map((r, i) => `${r.scenario_name} (${r.id})${i ? "" : " — " + t("compare.reference")}`);
  // What the figures are, and what the runs do not share: a difference of period, scale or replicates is mixed
  // into every difference below; one replicate gives no interval.
  const level = pct(c.level);
  const notes = [t("compare.rule").replace("{level}", level)];
  for (const w of c.warnings) {
    const values = w.values.map((x, i) => `${names[i].split(" — ")[0]}: ${w.field === "period" ? x.split(" – ").map(fmtDate).join(" – ") : fmt(x)}`);
    notes.push(`${t("compare.differ." + w.field)} ${values.join("; ")}.`);
  }
  if (c.methods.includes("none")) notes.push(t("compare.no_interval"));
  if (c.methods.includes("unpaired")) notes.push(t("compare.unpaired"));
  if (c.methods.includes("stored")) notes.push(t("compare.stored"));
  $("#compare-notes").replaceChildren(...notes.map((n, i) => el("li", { class: i ? "warning" : null, text: n })));
  const others = c.runs.slice(1).map((_, k) => k + 1);
  const valueHead = c.runs.map((r, i) => `${names[i]}: ${t(r.n > 1 ? "compare.mean_of" : "compare.one").replace("{n}", fmt(r.n))}`);
  const header = [t("totals.outcome"), ...valueHead];
  const kinds = ["name", ...c.runs.map(() => "value")];
  for (const k of others) {
    header.push(`${t("compare.difference")}: ${names[k]}`, `${t("compare.low").replace("{level}", level)}: ${names[k]}`,
      `${t("compare.high").replace("{level}", level)}: ${names[k]}`, `${t("compare.relative")}: ${names[k]}`, `${t("compare.verdict")}: ${names[k]}`);
    kinds.push("diff", "diff", "diff", "rel", "text");
  }
  const verdict = (row, k) => (row.clear[k] === null ? t(c.methods[k] === "stored" ? "compare.verdict.stored" : "compare.verdict.none")
    : t(row.clear[k] ? "compare.verdict.clear" : "compare.verdict.unclear"));
  const rows = c.rows.map((r) => [t("outcome." + r.outcome), ...r.values,
    ...others.flatMap((k) => [r.differences[k], r.intervals[k] ? r.intervals[k][0] : null, r.intervals[k] ? r.intervals[k][1] : null, r.relative[k], verdict(r, k)])]);
  const signed = (x) => (x === null || x === undefined ? "–" : (x > 0 && fmt(x) !== "0" ? "+" : "") + fmt(x));
  fillTable($("#compare-table"), "compare", header, rows,
    (value, i) => (kinds[i] === "rel" ? signedPct(value) : kinds[i] === "diff" ? signed(value) : typeof value === "number" ? fmt(value) : value ?? "–"), S.exportNote);
  // relative differences with their interval as error bars (none where there is no interval)
  plot("chart-compare", others.map((k) => {
    const base = c.rows.map((row) => row.values[0]);
    const rel = (x, i) => (x === null || !base[i] ? null : x / base[i]);
    return { type: "bar", orientation: "h", name: names[k],
      y: c.rows.map((row) => t("outcome." + row.outcome)), x: c.rows.map((row) => row.relative[k]),
      text: c.rows.map((row, i) => `${signedPct(row.relative[k])}${row.intervals[k] ? ` (${level}: ${signedPct(rel(row.intervals[k][0], i))} – ${signedPct(rel(row.intervals[k][1], i))})` : ""} · ${verdict(row, k)}`),
      error_x: { type: "data", symmetric: false, visible: c.rows.some((row) => row.intervals[k]),
        array: c.rows.map((row, i) => (row.intervals[k] && base[i] ? rel(row.intervals[k][1], i) - row.relative[k] : 0)),
        arrayminus: c.rows.map((row, i) => (row.intervals[k] && base[i] ? row.relative[k] - rel(row.intervals[k][0], i) : 0)) },
      textposition: "none", hovertemplate: "%{y}: %{text}<extra></extra>" };
  }),
  { title: { text: t("compare.chart").replace("{level}", level) }, xaxis: { tickformat: ".0%" }, yaxis: { automargin: true }, margin: { l: 10, r: 20, t: 40, b: 50 }, barmode: "group" });
  const select = $("#compare-series");
  const keys = Object.keys(c.series[0].series);
  const chosen = select.value && keys.includes(select.value) ? select.value : keys[0];
  select.replaceChildren(...keys.map((k) => el("option", { value: k, text: t("outcome." + k) })));
  select.value = chosen;
  select.onchange = () => showCompare(ids);
  const kind = c.series[0].series[chosen].kind;
  plot("chart-compare-series", c.series.flatMap((s, i) => bandTraces(pointX(s, kind), s.series[chosen], names[i], OKABE_ITO[i % OKABE_ITO.length], 0.15, pointText(s, kind),
    s.series[chosen].mean ? "mean" : "median")),
    { title: { text: `${t("compare.series")}: ${t("outcome." + chosen)}` }, xaxis: dateAxis(c.series[0].dates),
      yaxis: { rangemode: "tozero", title: { text: t(c.series[0].series[chosen].unit === "per_day" ? "persons_per_day" : "persons") } } });
}

// ---------- routing ----------
async function route() {
  clearTimeout(S.poll);
  S.runRecord = null; S.exportNote = ""; S.exportId = "";  // the provenance of downloads belongs to one page
  setStatus(S.flash || "");  // a message belongs to the page it was shown on (or was meant for)
  S.flash = "";
  const hash = location.hash || "#/builder";
  for (const v of ["builder", "runs", "run", "compare"]) $(`#view-${v}`).hidden = true;
  applyLanguage();
  const run = /^#\/runs\/([0-9a-f]{16})$/.exec(hash);
  if (run) { $("#view-run").hidden = false; await showRun(run[1]); return; }
  if (hash.startsWith("#/runs")) { $("#view-runs").hidden = false; await showRuns(); return; }
  if (hash.startsWith("#/compare")) {
    $("#view-compare").hidden = false;
    const ids = (new URLSearchParams(hash.split("?")[1] || "").get("ids") || "").split(",").filter(Boolean);
    await showCompare(ids); return;
  }
  $("#view-builder").hidden = false;
  await showBuilder();
}
async function start() {
  registerPlotlyLocale();
  [S.strings, S.meta, S.observed] = await Promise.all([api("/api/i18n"), api("/api/meta"), api("/api/observed")]);
  $("#lang").addEventListener("change", (e) => setLanguage(e.target.value));
  $("#load-base").addEventListener("click", () => loadBase().catch(report));
  $("#base").addEventListener("change", () => loadBase().catch(report));  // choosing a scenario loads it
  $("#builder").addEventListener("submit", submitRun);
  // Enter in a field validates; only the Run button starts a run
  $("#builder").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && e.target.matches("input:not([type=file]), select")) { e.preventDefault(); validateBuilder().catch(report); }
  });
  $("#validate").addEventListener("click", validateBuilder);
  $("#save-toml").addEventListener("click", saveToml);
  $("#open-toml").addEventListener("change", openToml);
  $("#add-drought").addEventListener("click", () => itemRow($("#droughts"), droughtFields(), { start: $("#f-start").value, end: $("#f-end").value, food_insecurity_pp: 3 }, "droughts"));
  $("#add-caravan").addEventListener("click", () => itemRow($("#caravans"), caravanFields(), { date: $("#f-start").value, size: 1000 }, "caravans"));
  $("#add-outside").addEventListener("click", () => itemRow($("#outside_applicants"), outsideFields(),
    { nationality: "VEN", office: "mexico_city", start: $("#f-start").value, end: $("#f-end").value, persons: 1000 }, "outside_applicants"));
  $("#compare-selected").addEventListener("click", () => {
    // in the order they were ticked: the first is the reference
    const checked = new Set([...document.querySelectorAll("[data-compare]:checked")].map((n) => n.dataset.compare));
    const ids = [...S.selected].filter((id) => checked.has(id));
    location.hash = `#/compare?ids=${ids.join(",")}`;
  });
  // The skip link moves the focus to the content without changing the hash, which is the router's.
  document.querySelector("a.skip").addEventListener("click", (e) => { e.preventDefault(); $("#main").focus(); });
  window.addEventListener("hashchange", () => route().catch(report));
  await route();
}
function report(error) { console.error(error); setStatus(`${t("error.generic")}: ${error.message}`); }
document.addEventListener("DOMContentLoaded", () => start().catch(report));
