"""Interface strings of the dashboard in Spanish (es) and English (en); the page fetches them from ``/api/i18n``.

Both languages have exactly the same keys (a test checks it). Numbers and dates are formatted in the browser with
``Intl.NumberFormat`` / ``Intl.DateTimeFormat`` for the chosen locale (es-MX or en-US).
"""

from __future__ import annotations

_PAIRS: dict[str, tuple[str, str]] = {
    # (Spanish, English)
    "title": ("corredor: tablero", "corredor: dashboard"),
    "subtitle": (
        "Migración por Centroamérica, México y Estados Unidos: escenarios, corridas y resultados",
        "Migration through Central America, Mexico and the US: scenarios, runs and results",
    ),
    "skip": ("Saltar al contenido", "Skip to content"),
    "language": ("Idioma", "Language"),
    "nav.builder": ("Escenario", "Scenario"),
    "nav.runs": ("Corridas", "Runs"),
    "nav.compare": ("Comparar", "Compare"),
    "nav.api": ("API (OpenAPI)", "API (OpenAPI)"),
    "builder.heading": ("Construir un escenario", "Build a scenario"),
    "builder.base": ("Escenario de partida", "Start from scenario"),
    "builder.load": ("Volver a cargar", "Reload"),
    "builder.modified": (" (modificado)", " (modified)"),
    "builder.general": ("Periodo y escala", "Period and scale"),
    "builder.name": ("Nombre", "Name"),
    "builder.start": ("Inicio", "Start"),
    "builder.end": ("Fin", "End"),
    "builder.scale": ("Escala (personas por agente)", "Scale (persons per agent)"),
    "builder.seed": ("Semilla", "Seed"),
    "builder.replicates": ("Réplicas", "Replicates"),
    "builder.levers": ("Palancas de política", "Policy levers"),
    "builder.levers_help": (
        "Deje vacío para conservar el valor del escenario. Un valor se aplica desde el inicio del periodo.",
        "Leave empty to keep the scenario's value. A value applies from the start of the period.",
    ),
    "builder.kept_policy": (
        "cambios de política fechados del escenario de partida se conservan",
        "dated policy changes of the base scenario are kept",
    ),
    "builder.target": ("Destino", "Target"),
    "builder.value": ("Valor", "Value"),
    "builder.offices_open": ("Oficinas COMAR", "COMAR offices"),
    "builder.offices_other": ("Otros lugares (abrir oficina)", "Other places (open an office)"),
    "builder.add_target": ("Otro destino", "Another target"),
    "builder.range": ("Rango", "Range"),
    "builder.droughts": ("Sequías", "Droughts"),
    "builder.caravans": ("Caravanas", "Caravans"),
    "builder.add_drought": ("Añadir sequía", "Add drought"),
    "builder.add_caravan": ("Añadir caravana", "Add caravan"),
    "builder.outside_applicants": (
        "Solicitantes de asilo de fuera del corredor",
        "Asylum applicants from outside the corridor",
    ),
    "builder.outside_help": (
        "Personas de una nacionalidad que el modelo no simula (p. ej. venezolanos que llegan en avión) que piden"
        " asilo en una oficina de la COMAR, repartidas por igual entre las dos fechas; cuentan entre los"
        " solicitantes de la COMAR y esperan en la misma fila.",
        "People of a nationality the model does not simulate (e.g. Venezuelans arriving by air) who ask for asylum"
        " at one COMAR office, spread evenly between the two dates; they count among COMAR's applicants and wait in"
        " the same queue.",
    ),
    "builder.add_outside": ("Añadir solicitantes", "Add applicants"),
    "builder.office": ("Oficina de la COMAR", "COMAR office"),
    "builder.persons": ("Personas", "Persons"),
    "builder.remove": ("Quitar", "Remove"),
    "builder.recorded_sizes": (
        "Conteos registrados en el camino; el modelo completa la caravana hasta ellos:",
        "Counts recorded on the way; the model tops the caravan up to them:",
    ),
    "builder.remove_counts": ("Quitar los conteos", "Remove the counts"),
    "builder.nationality": ("Nacionalidad", "Nationality"),
    "builder.food_insecurity_pp": ("Inseguridad alimentaria extra (p. p.)", "Extra food insecurity (pp)"),
    "builder.date": ("Fecha", "Date"),
    "builder.origin": ("Origen", "Origin"),
    "builder.size": ("Tamaño (personas)", "Size (persons)"),
    "builder.validate": ("Validar", "Validate"),
    "builder.run": ("Ejecutar", "Run"),
    "builder.save": ("Guardar TOML", "Save TOML"),
    "builder.open": ("Abrir TOML", "Open TOML"),
    "builder.valid": ("Escenario válido", "Valid scenario"),
    "builder.invalid": (
        "El escenario tiene errores; vea los campos marcados",
        "The scenario has errors; see the marked fields",
    ),
    "builder.days": ("días", "days"),
    "builder.agents": ("agentes estimados", "estimated agents"),
    "builder.idle": (
        "entradas fuera del periodo, sin efecto en esta corrida",
        "inputs outside the period, without effect in this run",
    ),
    # fields named in error messages (the others by their input's label)
    "field.server": ("Servidor", "Server"),
    "field.file": ("Archivo", "File"),
    "field.scenario": ("Escenario", "Scenario"),
    "field.extends": ("extends (escenario base)", "extends (base scenario)"),
    "field.network": ("Red", "Network"),
    "field.policy": ("Cambio de política", "Policy change"),
    "builder.submitted": ("Corrida enviada", "Run submitted"),
    "runs.heading": ("Corridas", "Runs"),
    "runs.empty": ("Aún no hay corridas.", "No runs yet."),
    "runs.delete": ("Borrar", "Delete"),
    "runs.delete_confirm": ("¿Borrar esta corrida y sus resultados?", "Delete this run and its results?"),
    "runs.name": ("Escenario", "Scenario"),
    "runs.created": ("Creada", "Created"),
    "runs.status": ("Estado", "Status"),
    "runs.progress": ("Progreso", "Progress"),
    "runs.period": ("Periodo", "Period"),
    "runs.scale": ("Escala", "Scale"),
    "runs.replicates": ("Réplicas", "Replicates"),
    "runs.actions": ("Acciones", "Actions"),
    "runs.open": ("Abrir", "Open"),
    "runs.resubmit": ("Reenviar", "Resubmit"),
    "runs.select": ("Elegir para comparar", "Select to compare"),
    "runs.compare_selected": (
        "Comparar las elegidas (la primera es la referencia)",
        "Compare selected (the first is the reference)",
    ),
    "runs.share": ("Enlace para compartir", "Shareable link"),
    "status.queued": ("en cola", "queued"),
    "status.running": ("en curso", "running"),
    "status.done": ("terminada", "done"),
    "status.failed": ("falló", "failed"),
    "status.interrupted": ("interrumpida", "interrupted"),
    "run.heading": ("Corrida", "Run"),
    "run.download_toml": ("Descargar escenario (TOML)", "Download scenario (TOML)"),
    "repro.heading": ("Cómo reproducir estas cifras", "How to reproduce these numbers"),
    "repro.text": (
        "Semilla raíz {root} · réplicas: {n} · 1 agente = {scale} personas. Cada réplica corre con su propia semilla, "
        "derivada de la raíz (corredor.experiments.replicate_seeds(raíz, n): numpy SeedSequence(raíz).spawn(n)). "
        "Para repetir una réplica, descargue el escenario (TOML, archivo {id}.toml) y ejecute su línea:",
        "Root seed {root} · replicates: {n} · 1 agent = {scale} persons. Each replicate runs with its own seed, "
        "derived from the root (corredor.experiments.replicate_seeds(root, n): numpy SeedSequence(root).spawn(n)). "
        "To repeat a replicate, download the scenario (TOML, file {id}.toml) and run its line:",
    ),
    "repro.replicate": ("Réplica {k}: semilla {seed}", "Replicate {k}: seed {seed}"),
    "repro.root_note": (
        "«corredor run» sin --seed usa la semilla del archivo ({root}, la raíz), que ninguna réplica usó: da otras "
        "cifras.",
        "`corredor run` without --seed uses the file's seed ({root}, the root), which no replicate used: it gives "
        "other numbers.",
    ),
    "provenance": (
        "Simulación corredor {version} · corrida {id} · {name} · {start} a {end} · 1 agente = {scale} personas · "
        "réplicas: {n} · semilla raíz {root}",
        "corredor {version} simulation · run {id} · {name} · {start} to {end} · 1 agent = {scale} persons · "
        "replicates: {n} · root seed {root}",
    ),
    "download.png_chart": ("Descargar la gráfica como PNG", "Download plot as a PNG"),
    "run.waiting": ("Esperando resultados…", "Waiting for results…"),
    "map.heading": ("Mapa de la ruta", "Route map"),
    "map.date": ("Fecha", "Date"),
    "map.people": ("Personas en el nodo", "People at the node"),
    "map.lon": ("longitud", "longitude"),
    "map.lat": ("latitud", "latitude"),
    # the map's flow is summed over each time point's week or month (views.time_bins), people are counted on its
    # last day
    "map.flow.month": (
        "Flujo por tramo (estimado, personas en el mes)",
        "Flow per edge (estimated, persons in the month)",
    ),
    "map.flow.week": (
        "Flujo por tramo (estimado, personas en la semana)",
        "Flow per edge (estimated, persons in the week)",
    ),
    "map.title": ("personas al {end}; flujo del {start} al {end}", "people on {end}; flow {start} to {end}"),
    "map.note": (
        "Base cartográfica: Natural Earth (dominio público). Tamaño del círculo: personas en tránsito o retenidas en "
        "el nodo; grosor del tramo: flujo estimado.",
        "Base map: Natural Earth (public domain). Circle size: people on the move or held at the node; edge width: "
        "estimated flow.",
    ),
    "ts.heading": ("Series de tiempo", "Time series"),
    "ts.series": ("Serie", "Series"),
    "ts.band": ("Banda 5–95 % de réplicas", "5–95 % band over replicates"),
    "ts.median": ("Mediana", "Median"),
    "ts.mean": ("Media", "Mean"),
    # one rule for replicates on the run page (views.AGGREGATE): the mean, so that the parts add up to the totals
    "agg.mean": ("media", "mean"),
    "agg.median": ("mediana", "median"),
    "agg.many": (
        "Cifras: {agg} de {n} réplicas (personas y eventos en números enteros); bandas y columnas 5 % / 95 %: "
        "réplicas del 5 % y del 95 %.",
        "Figures: {agg} of {n} replicates (persons and events as whole numbers); bands and 5 % / 95 % columns: the "
        "5 % and 95 % replicates.",
    ),
    "agg.one": (
        "Cifras de una sola réplica (personas y eventos en números enteros); sin estimación de incertidumbre: hacen "
        "falta varias réplicas.",
        "Figures of a single replicate (persons and events as whole numbers); no uncertainty estimate: that needs "
        "several replicates.",
    ),
    "ts.annual": ("Totales anuales frente a estadísticas oficiales", "Annual totals against official statistics"),
    "ts.panel": ("Estadística", "Statistic"),
    "ts.simulated": (
        "Simulado (corredor): {agg} de {n} réplicas",
        "Simulated (corredor): {agg} of {n} replicates",
    ),
    # the source of each observed series of /api/observed (corredor.data: comar.csv, upm.csv, cbp.csv)
    "observed.comar_applicants": (
        "Observado: COMAR (solicitantes de la condición de refugiado, año calendario)",
        "Observed: COMAR (applicants for refugee status, calendar year)",
    ),
    "observed.upm_presentados": (
        "Observado: INM/UPM (eventos de centroamericanos presentados, año calendario)",
        "Observed: INM/UPM (events of Central Americans presented, calendar year)",
    ),
    "observed.upm_devueltos": (
        "Observado: INM/UPM (eventos de centroamericanos devueltos, año calendario)",
        "Observed: INM/UPM (events of Central Americans returned, calendar year)",
    ),
    "observed.cbp_gtm_hnd_slv": (
        "Observado: Patrulla Fronteriza de EE. UU., frontera suroeste (año fiscal de EE. UU., oct–sep)",
        "Observed: US Border Patrol, southwest border (US fiscal year, Oct–Sep)",
    ),
    "annual.unit.comar_applicants": ("personas por año", "persons per year"),
    "annual.unit.upm_presentados": (
        "eventos por año (una persona puede contar más de una vez)",
        "events per year (a person may count more than once)",
    ),
    "annual.unit.upm_devueltos": (
        "eventos por año (una persona puede contar más de una vez)",
        "events per year (a person may count more than once)",
    ),
    "annual.unit.cbp_gtm_hnd_slv": ("detenciones (eventos) por año fiscal", "apprehensions (events) per fiscal year"),
    "annual.caption": (
        "Barras: simulación corredor, {agg} de {n} réplicas con 1 agente = {scale} personas; barras de error: del "
        "5 % al 95 % de las réplicas. Rombos: cifra oficial, con su fuente en la leyenda.",
        "Bars: corredor simulation, {agg} of {n} replicates at 1 agent = {scale} persons; error bars: 5 % to 95 % of "
        "the replicates. Diamonds: official figure, with its source in the legend.",
    ),
    "annual.caption_one": (
        "Barras: simulación corredor, una sola réplica con 1 agente = {scale} personas (sin barras de error: hacen "
        "falta varias réplicas). Rombos: cifra oficial, con su fuente en la leyenda.",
        "Bars: corredor simulation, a single replicate at 1 agent = {scale} persons (no error bars: they need several "
        "replicates). Diamonds: official figure, with its source in the legend.",
    ),
    "ts.no_annual": (
        "El periodo no incluye un año completo; no hay comparación anual.",
        "The period holds no complete year; no annual comparison.",
    ),
    "sankey.heading": ("Desenlaces por nacionalidad (al final del periodo)", "Outcomes by nationality (end of period)"),
    "comar.heading": ("COMAR por oficina", "COMAR by office"),
    "comar.office": ("Oficina", "Office"),
    "comar.applications": ("Solicitudes", "Applications"),
    "comar.applications_per_day": ("Solicitudes por día", "Applications per day"),
    # pending figures count persons (one row of asylum_cases per person), not COMAR's files (about 1.6 persons each)
    "comar.backlog": ("Personas en espera de resolución", "Persons waiting for a decision"),
    "comar.wait": (
        "Espera hasta la resolución de las solicitudes resueltas (días hábiles)",
        "Wait until decision of decided applications (working days)",
    ),
    "comar.wait_top": (
        "La última barra reúne todas las esperas de {top} días hábiles o más.",
        "The last bar holds every wait of {top} working days or more.",
    ),
    "comar.limit": ("Límite legal de 45 días hábiles", "45-working-day legal limit"),
    "comar.decided": ("Resueltas", "Decided"),
    "comar.within": (
        "Resueltas dentro del límite (de las vencidas)",
        "Decided within the limit (of applications due)",
    ),
    "comar.median_wait": (
        "Espera mediana de las resueltas (días hábiles; sin contar las pendientes)",
        "Median wait of decided applications (working days; pending ones not counted)",
    ),
    "comar.pending": ("Personas en espera de resolución al final", "Persons waiting for a decision at the end"),
    "comar.arrivals": ("Solicitudes por día (últimos 90 días)", "Applications per day (last 90 days)"),
    "comar.caseworkers": ("Dictaminadores al final", "Caseworkers at the end"),
    "comar.needed": (
        "Dictaminadores necesarios (90 % en 45 días hábiles, rezago resuelto en un año)",
        "Caseworkers needed (90 % within 45 working days, backlog cleared in a year)",
    ),
    "comar.method": (
        "Necesarios: el menor número c con el que una cola M/M/c resuelve el 90 % de las solicitudes en 45 días "
        "hábiles, con la tasa de solicitudes de los últimos 90 días más la que resuelve en un año las solicitudes "
        "pendientes, y la productividad del modelo; ignora el abandono. Resueltas dentro del límite: entre las "
        "solicitudes presentadas al menos 45 días hábiles antes del final (las pendientes cuentan como tardías). "
        "Solicitudes y pendientes cuentan personas, no expedientes de la COMAR (un expediente agrupa en promedio a "
        "unas 1.6 personas). La espera mediana solo cuenta las solicitudes ya resueltas; las que siguen pendientes "
        "esperarán más. El reparto entre oficinas es del modelo y no está calibrado (no hay datos por oficina hasta "
        "2018): cada persona solicita en la primera oficina abierta de su ruta, y Acayucan está en dos rutas, así que "
        "recibe más solicitudes que Tapachula. El total nacional sí está calibrado.",
        "Needed: the smallest c with which an M/M/c queue decides 90 % of applications within 45 working days, at "
        "the application rate of the last 90 days plus the rate that clears the pending applications within a year, "
        "and the model's productivity; ignores abandonment. Decided within the limit: among the applications made at "
        "least 45 working days before the end (pending ones count as late). Applications and pending figures count "
        "persons, not COMAR's files (a file holds about 1.6 persons on average). The median wait counts decided "
        "applications only; those still pending will wait longer. The split between offices is the model's and is "
        "not calibrated (there are no office data up to 2018): people apply at the first open office on their route, "
        "and Acayucan lies on two routes, so it receives more applications than Tapachula. The national total is "
        "calibrated.",
    ),
    "comar.persons": ("Personas", "Persons"),
    "comar.none": ("Sin solicitudes en esta corrida.", "No applications in this run."),
    "harms.heading": ("Daños en la ruta", "Harms on the route"),
    "harms.by_mode": ("Por modo de viaje", "By travel mode"),
    "harms.by_segment": ("Por tramo", "By segment"),
    "harms.south_north": ("de sur a norte", "south to north"),
    "harms.what": (
        "eventos en todo el periodo ({start} a {end}), {agg}",
        "events over the whole period ({start} to {end}), {agg}",
    ),
    "totals.heading": ("Totales del periodo", "Totals over the period"),
    "totals.outcome": ("Resultado", "Outcome"),
    "totals.center": ("{agg} de {n} réplicas", "{agg} of {n} replicates"),
    "totals.one": ("Una sola réplica", "A single replicate"),
    "totals.low": ("5 %", "5 %"),
    "totals.high": ("95 %", "95 %"),
    "compare.heading": ("Comparar corridas", "Compare runs"),
    "compare.help": (
        "Elija dos o más corridas terminadas en la lista de corridas; la primera que elija es la referencia.",
        "Choose two or more finished runs in the list of runs; the first you choose is the reference.",
    ),
    "compare.reference": ("referencia", "reference"),
    "compare.difference": ("Diferencia", "Difference"),
    "compare.relative": ("Diferencia relativa", "Relative difference"),
    "compare.chart": (
        "Diferencia relativa frente a la referencia (barras de error: intervalo de {level})",
        "Relative difference from the reference (error bars: {level} interval)",
    ),
    "compare.rule": (
        "Cada cifra es la media de las réplicas de su corrida. Junto a cada diferencia, su intervalo de {level}: "
        "emparejado réplica a réplica cuando las corridas comparten semillas, periodo y escala (como «corredor "
        "compare»). Si el intervalo incluye el cero, no hay una diferencia clara.",
        "Every figure is the mean of its run's replicates. Next to each difference, its {level} interval: paired "
        "replicate by replicate when the runs share seeds, period and scale (as `corredor compare`). If the interval "
        "includes zero, there is no clear difference.",
    ),
    "compare.differ.period": (
        "Atención: las corridas cubren periodos distintos (sus diferencias no se deben solo a las palancas):",
        "Warning: the runs cover different periods (their differences are not due to the levers alone):",
    ),
    "compare.differ.scale": (
        "Atención: las corridas tienen escalas distintas (personas por agente):",
        "Warning: the runs have different scales (persons per agent):",
    ),
    "compare.differ.replicates": (
        "Atención: las corridas tienen distinto número de réplicas:",
        "Warning: the runs have different numbers of replicates:",
    ),
    "compare.no_interval": (
        "Una corrida con una sola réplica no da estimación de incertidumbre: sus diferencias no tienen intervalo "
        "(hacen falta 2 réplicas o más en cada corrida).",
        "A run with a single replicate gives no uncertainty estimate: its differences have no interval (each run "
        "needs 2 replicates or more).",
    ),
    "compare.unpaired": (
        "Corridas con semillas, periodo o escala distintos: intervalo sin emparejar (t de Welch), más ancho.",
        "Runs with different seeds, period or scale: unpaired interval (Welch's t), wider.",
    ),
    "compare.stored": (
        "Una corrida se guardó con una versión anterior del tablero, sin el valor de cada réplica: sus diferencias no "
        "tienen intervalo (reenvíe el escenario para obtenerlo).",
        "A run was stored by an earlier version of the dashboard, without each replicate's value: its differences have "
        "no interval (submit the scenario again to get one).",
    ),
    "compare.verdict.stored": ("sin estimación (corrida antigua)", "no estimate (older run)"),
    "compare.mean_of": ("media de {n} réplicas", "mean of {n} replicates"),
    "compare.one": ("una sola réplica", "a single replicate"),
    "compare.low": ("Intervalo {level}, desde", "{level} interval, from"),
    "compare.high": ("Intervalo {level}, hasta", "{level} interval, to"),
    "compare.verdict": ("¿Diferencia clara?", "Clear difference?"),
    "compare.verdict.clear": ("diferencia clara", "clear difference"),
    "compare.verdict.unclear": ("sin diferencia clara", "no clear difference"),
    "compare.verdict.none": ("sin estimación (1 réplica)", "no estimate (1 replicate)"),
    "compare.series": (
        "Series por corrida (media y banda 5–95 % de las réplicas)",
        "Series by run (mean and 5–95 % band of the replicates)",
    ),
    # the load of caravans on COMAR, the shelters and the northern border (views.caravans_view, shelters_view,
    # border_view)
    "loads.heading": (
        "Caravanas y su carga: COMAR, albergues y frontera norte",
        "Caravans and their load: COMAR, shelters and the northern border",
    ),
    "loads.missing": (
        "No disponible para corridas hechas antes de esta versión del tablero: vuelva a ejecutar el escenario.",
        "Not available for runs made before this version of the dashboard: run the scenario again.",
    ),
    "caravans.heading": ("Caravanas", "Caravans"),
    "caravans.name": ("Caravana", "Caravan"),
    "caravans.date": ("Fecha de salida", "Departure date"),
    "caravans.origin": ("Origen", "Origin"),
    "caravans.persons": ("Personas al salir", "Persons at departure"),
    "caravans.joiners": ("Se unieron al formarse", "Joined as it formed"),
    "caravans.topped_up": ("Se sumaron hasta el conteo registrado", "Joined to reach its recorded counts"),
    "caravans.total": ("Total (al salir + se unieron + se sumaron)", "Total (at departure + joined)"),
    "caravans.emergent": ("Emergentes desde {office} ({n} por réplica)", "Emergent from {office} ({n} per replicate)"),
    "caravans.none": ("Ninguna caravana salió en esta corrida.", "No caravan left in this run."),
    "caravans.note": (
        "Se unieron al formarse: personas que salieron de casa en caravana durante los {days} días siguientes a la "
        "salida, asignadas a la caravana de su nacionalidad (eventos caravan_join; regla del modelo). Se sumaron: "
        "en los días en que el escenario da un conteo registrado de la caravana (p. ej. 7.200 en Chiapas el 22 de "
        "octubre de 2018), las personas que faltaban para llegar a él, que salieron por la caravana (el modelo las "
        "cuenta por caravana). Caravanas emergentes: "
        "solicitantes que salen juntos de una oficina de la COMAR; sus personas son las que se unieron al formarse. "
        "Sin caravana asignable: {loose} personas.",
        "Joined as it formed: people who left home in a caravan in the {days} days after its departure, assigned to "
        "the caravan of their nationality (caravan_join events; the model's rule). Joined to reach its recorded "
        "counts: on days when the scenario gives a recorded count of the caravan (e.g. 7,200 in Chiapas on 22 "
        "October 2018), the people missing to reach it, who set out because of it (counted per caravan by the "
        "model). Emergent caravans: applicants leaving a COMAR "
        "office together; their persons are those who joined when it formed. Not assignable to a caravan: {loose} "
        "persons.",
    ),
    "caravans.joined": ("Se unen a caravanas", "Join caravans"),
    "caravans.left": ("Dejan la caravana (dispersión o bloqueo)", "Leave the caravan (dispersal or blocking)"),
    "caravans.arrived_north": ("Llegan en caravana a la frontera norte", "Reach the northern border in a caravan"),
    "caravans.flows_title": ("Personas que entran y salen de las caravanas", "Persons joining and leaving caravans"),
    "caravans.caption": (
        "Personas por día (media de la semana o del mes): salidas de caravanas y quienes se unen (caravan_departure "
        "+ caravan_join), quienes las dejan (caravan_dispersal + caravan_blocked) y quienes llegan a la ciudad "
        "fronteriza del norte en caravana (arrival_border). El modelo no guarda cuántas personas viajan en caravana "
        "cada día.",
        "Persons per day (mean over the week or month): caravan departures and people joining (caravan_departure + "
        "caravan_join), people leaving them (caravan_dispersal + caravan_blocked) and people reaching the northern "
        "border city in a caravan (arrival_border). The model does not store how many people travel in caravans on "
        "each day.",
    ),
    "modes.heading": ("Solicitudes a la COMAR por modo de viaje", "COMAR applications by travel mode"),
    "modes.title": ("Solicitudes de asilo por modo de viaje", "Asylum applications by travel mode"),
    "modes.caption": (
        "Personas que solicitan asilo a la COMAR por día (media de la semana o del mes), por su modo de viaje al "
        "solicitar (eventos asylum_application); las barras apiladas suman todas las solicitudes.",
        "Persons applying for asylum to COMAR per day (mean over the week or month), by their travel mode when "
        "applying (asylum_application events); the stacked bars add up to all applications.",
    ),
    "modes.reference": (
        "Solicitudes de personas en caravana del {start} al {end}: simulado {sim}{band}; observado {obs} (COMAR, "
        "todas las caravanas de oct–dic 2018; fuente: {source}).",
        "Applications by people in caravans from {start} to {end}: simulated {sim}{band}; observed {obs} (COMAR, all "
        "caravans of Oct–Dec 2018; source: {source}).",
    ),
    "modes.no_reference": (
        "La cifra observada (4,721 solicitudes de caravanas, oct–dic 2018, COMAR) solo se compara cuando el periodo "
        "de la corrida cubre del 1 oct al 31 dic 2018.",
        "The observed figure (4,721 caravan applications, Oct–Dec 2018, COMAR) is compared only when the run's period "
        "covers 1 Oct to 31 Dec 2018.",
    ),
    "modes.office": ("Oficina COMAR (solicitudes en todo el periodo)", "COMAR office (applications over the period)"),
    "modes.total": ("Total", "Total"),
    "shelters.heading": ("Albergues", "Shelters"),
    "shelters.node": ("Albergue", "Shelter"),
    "shelters.beds": ("Camas al final", "Beds at the end"),
    "shelters.stays": ("Reciben cama", "Given a bed"),
    "shelters.turned_away": ("Rechazados por falta de cama", "Turned away (no bed)"),
    "shelters.occupancy": ("Personas alojadas (último día)", "Persons staying (last day)"),
    "shelters.beds_line": ("Camas", "Beds"),
    "shelters.none": (
        "Ningún albergue recibió o rechazó personas en esta corrida.",
        "No shelter took in or turned away anyone in this run.",
    ),
    "shelters.caption": (
        "Barras: personas por día (media de la semana o del mes) que reciben cama (shelter_stay) o son rechazadas "
        "por falta de cama (shelter_turned_away; quien llega a varios albergues llenos cuenta en cada uno). Líneas: "
        "personas alojadas el último día de la semana o del mes y camas del escenario (palanca shelter_capacity; 100 "
        "por albergue si no se fija). Los albergues con más personas, hasta 8.",
        "Bars: persons per day (mean over the week or month) given a bed (shelter_stay) or turned away for lack of a "
        "bed (shelter_turned_away; someone reaching several full shelters counts at each). Lines: persons staying on "
        "the last day of the week or month and the scenario's beds (lever shelter_capacity; 100 per shelter unless "
        "set). The busiest shelters, up to 8.",
    ),
    "border.heading": ("Frontera norte y lista de espera (metering)", "Northern border and metering"),
    "border.node": ("Ciudad fronteriza", "Border city"),
    "border.at_border": ("Personas en la ciudad fronteriza (último día)", "Persons in the border city (last day)"),
    "border.presented": ("Se presentan en la garita", "Present at the port"),
    "border.intake": ("Admisión diaria de la garita (metering)", "Port's daily intake (metering)"),
    "border.none": (
        "Nadie llegó a la frontera norte en esta corrida.",
        "Nobody reached the northern border in this run.",
    ),
    "border.caption": (
        "Barras: personas por día (media de la semana o del mes) que piden asilo en la garita (port_presentation_us; "
        "con metering, las que la garita admite de su lista de espera). Línea: personas en la ciudad fronteriza el "
        "último día (en la lista de espera o decidiendo cómo cruzar: el modelo no guarda la lista por separado). "
        "Guiones: admisión diaria de la garita (palanca us_metering_intake_per_day), donde hay metering.",
        "Bars: persons per day (mean over the week or month) asking for asylum at the port (port_presentation_us; "
        "under metering, those the port takes in from its list). Line: persons in the border city on the last day "
        "(on the metering list or deciding how to cross: the model does not keep the list apart). Dashes: the port's "
        "daily intake (lever us_metering_intake_per_day), where it meters.",
    ),
    "download.png": ("Descargar PNG", "Download PNG"),
    "download.csv": ("Descargar CSV", "Download CSV"),
    "error.generic": ("Error", "Error"),
    "persons": ("personas", "persons"),
    "persons_per_day": (
        "personas por día (media de la semana o del mes)",
        "persons per day (mean over the week or month)",
    ),
    # outcomes and series
    "outcome.departure": ("Salidas", "Departures"),
    "outcome.apprehension_mx": ("Detenciones en México (presentados)", "Apprehensions in Mexico (presentados)"),
    "outcome.deportation_mx": ("Deportaciones desde México (devueltos)", "Deportations from Mexico (devueltos)"),
    "outcome.asylum_application": ("Solicitudes de asilo (COMAR)", "Asylum applications (COMAR)"),
    "outcome.asylum_recognised": ("Reconocidos en México", "Recognised in Mexico"),
    "outcome.asylum_abandoned": ("Solicitudes abandonadas", "Applications abandoned"),
    "outcome.apprehension_us": ("Detenciones de la Patrulla Fronteriza", "US Border Patrol apprehensions"),
    "outcome.evasion_us": ("Entradas a EE. UU. sin detección", "Entered the US undetected"),
    "outcome.release_us": ("Liberados en EE. UU.", "Released into the US"),
    "outcome.extortion": ("Extorsiones", "Extortions"),
    "outcome.kidnapping": ("Secuestros", "Kidnappings"),
    "outcome.assault": ("Agresiones", "Assaults"),
    "outcome.death": ("Muertes", "Deaths"),
    "outcome.fee_usd": ("Pagos a traficantes (USD)", "Smuggling fees (USD)"),
    "outcome.in_us_end": ("En EE. UU. al final", "In the US at the end"),
    "outcome.asylum_queue_end": ("En espera de asilo al final", "Waiting for asylum at the end"),
    "outcome.en_route": ("En camino", "On the way"),
    "outcome.shelter": ("En albergues", "In shelters"),
    "outcome.asylum_queue": ("En espera de asilo", "Waiting for asylum"),
    "outcome.at_border": ("En la frontera norte", "At the northern border"),
    "outcome.in_us": ("En EE. UU.", "In the US"),
    "outcome.comar_applicants": ("Solicitantes COMAR (año calendario)", "COMAR applicants (calendar year)"),
    "outcome.upm_presentados": ("Presentados ante el INM (año calendario)", "Presented to INM (calendar year)"),
    "outcome.upm_devueltos": ("Devueltos por México (año calendario)", "Returned by Mexico (calendar year)"),
    "outcome.cbp_gtm_hnd_slv": (
        "Detenciones de la Patrulla Fronteriza en la frontera suroeste de EE. UU.: personas de Guatemala, Honduras y "
        "El Salvador (año fiscal de EE. UU., oct–sep)",
        "US Border Patrol apprehensions at the southwest border: people from Guatemala, Honduras and El Salvador (US "
        "fiscal year, Oct–Sep)",
    ),
    "end.at_home_may_retry": ("Deportado o devuelto a casa, puede reintentar", "Deported or sent home, may retry"),
    "end.returned_home": ("Regresó y se quedó en casa", "Returned home for good"),
    "end.died": ("Murió", "Died"),
    "end.reached_us": ("Llegó a EE. UU.", "Reached the US"),
    "end.us_work_visa": ("Visa de trabajo en EE. UU.", "US work visa"),
    "end.recognised_mx": ("Reconocido en México", "Recognised in Mexico"),
    "end.legal_stay_mx": ("Estancia legal en México", "Legal stay in Mexico"),
    "end.waiting_asylum": ("Esperando asilo", "Waiting for asylum"),
    "end.at_northern_border": ("En la frontera norte", "At the northern border"),
    "end.detained": ("Detenido", "Detained"),
    "end.on_the_way": ("En camino", "On the way"),
    "end.papers_pending_mx": (
        "En México con trámite pendiente (tarjeta o alternativa a la detención)",
        "In Mexico with papers pending (card or alternative to detention)",
    ),
    "mode.alone": ("Por su cuenta", "Alone"),
    "mode.smuggled": ("Con traficante", "Smuggled"),
    "mode.caravan": ("En caravana", "In a caravan"),
    "mode.legal": ("Vía legal", "Legal pathway"),
    "mode.outside": (
        "De fuera del corredor (p. ej. venezolanos)",
        "From outside the corridor (e.g. Venezuelans)",
    ),
    "segment.GTM": ("Guatemala", "Guatemala"),
    "segment.HND": ("Honduras", "Honduras"),
    "segment.SLV": ("El Salvador", "El Salvador"),
    "segment.NIC": ("Nicaragua", "Nicaragua"),
    "segment.BLZ": ("Belice", "Belize"),
    "segment.USA": ("EE. UU.", "US"),
    "segment.MEX_south": ("México sur (< 19° N)", "Southern Mexico (< 19° N)"),
    "segment.MEX_centre": ("México centro (19–23° N)", "Central Mexico (19–23° N)"),
    "segment.MEX_north": ("México norte (> 23° N)", "Northern Mexico (> 23° N)"),
    # place names that differ between the languages (nodes.csv has one name per node, in English; the others are
    # shown as written there), by node id
    "place.guatemala_city": ("Ciudad de Guatemala", "Guatemala City"),
    "place.mexico_city": ("Ciudad de México", "Mexico City"),
    "place.san_diego": ("San Diego (garita de San Ysidro)", "San Diego (San Ysidro port)"),
    "place.del_rio": ("Del Río", "Del Rio"),
    # countries and nationalities, by ISO code (nodes' countries, scenarios' nationalities)
    "country.GTM": ("Guatemala", "Guatemala"),
    "country.HND": ("Honduras", "Honduras"),
    "country.SLV": ("El Salvador", "El Salvador"),
    "country.NIC": ("Nicaragua", "Nicaragua"),
    "country.BLZ": ("Belice", "Belize"),
    "country.VEN": ("Venezuela", "Venezuela"),
    "country.CUB": ("Cuba", "Cuba"),
    "country.HTI": ("Haití", "Haiti"),
    "country.MEX": ("México", "Mexico"),
    "country.USA": ("Estados Unidos", "United States"),
    # levers
    "lever.mx_enforcement_intensity": ("Intensidad de control migratorio en México", "Enforcement intensity in Mexico"),
    "lever.mx_risk_targeting": ("Control basado en riesgo", "Risk-managed enforcement"),
    "lever.train_use": ("Uso del tren de carga", "Freight train use"),
    "lever.comar_caseworkers": ("Dictaminadores COMAR por oficina", "COMAR caseworkers per office"),
    "lever.comar_office_open": ("Oficina COMAR abierta", "COMAR office open"),
    "lever.asylum_propensity_multiplier": (
        "Propensión a pedir asilo (multiplicador)",
        "Asylum propensity (multiplier)",
    ),
    "lever.shelter_capacity": ("Capacidad de albergue", "Shelter capacity"),
    "lever.mx_work_visa_quota": ("Cupo de visas de trabajo en México", "Mexican work visa quota"),
    "lever.mx_humanitarian_card_quota": ("Cupo de tarjetas humanitarias (TVRH)", "Humanitarian card quota (TVRH)"),
    "lever.us_work_visa_quota": ("Cupo de visas de trabajo en EE. UU. (H-2A/H-2B)", "US work visa quota (H-2A/H-2B)"),
    "lever.development_aid_usd_million": ("Ayuda al desarrollo", "Development aid"),
    "lever.us_deterrence": ("Clima de disuasión de EE. UU.", "US deterrence climate"),
    "lever.us_apprehension_probability": ("Probabilidad de detención en EE. UU.", "US apprehension probability"),
    "lever.us_metering_intake_per_day": ("Admisión diaria por lista de espera (metering)", "Daily metering intake"),
    "lever.us_release_share": ("Proporción liberada en EE. UU.", "Share released into the US"),
    "lever.us_mpp_share": ("Proporción devuelta a México (MPP)", "Share returned to Mexico (MPP)"),
    "lever.us_title42_share": ("Proporción expulsada (Título 42)", "Share expelled (Title 42)"),
    "lever.caravan_blocking": ("Bloqueo de caravanas en la frontera sur", "Caravan blocking at the southern border"),
    "lever.mx_work_visa_eligibility": ("Elegibilidad para visas de trabajo en México", "Mexican work visa eligibility"),
    "lever.mx_humanitarian_card_eligibility": (
        "Elegibilidad para tarjetas humanitarias",
        "Humanitarian card eligibility",
    ),
    "lever.mx_regional_card_eligibility": ("Elegibilidad para tarjetas regionales", "Regional card eligibility"),
    "lever.mx_regional_card_quota": (
        "Cupo de tarjetas de visitante regional (TVR)",
        "Regional visitor card quota (TVR)",
    ),
    "lever.mx_card_processing_days": ("Días de trámite de tarjetas", "Card processing time"),
    "lever.mx_atd_share": ("Alternativas a la detención", "Alternatives to detention"),
    "lever.us_port_release_share": ("Proporción liberada en puertos de EE. UU.", "Share released at US ports"),
    "lever.drought_probability": ("Probabilidad anual de sequía", "Annual drought probability"),
    "lever.drought_severity_pp": ("Severidad de las sequías", "Drought severity"),
    # lever descriptions (the English ones are those of corredor.scenario.LEVERS)
    "leverhelp.mx_enforcement_intensity": (
        "Esfuerzo de detención generalizada en México (retenes, operativos)",
        "Blanket apprehension effort in Mexico (checkpoints, raids)",
    ),
    "leverhelp.mx_risk_targeting": (
        "Enfoque de riesgo: esfuerzo sobre traficantes, vías legales para los demás",
        "Risk-managed posture: effort on smugglers, legal channels for everyone else",
    ),
    "leverhelp.train_use": (
        "Proporción de quienes viajan por su cuenta que suben al tren de carga donde hay vía",
        "Share of people alone who ride freight trains where rail runs",
    ),
    "leverhelp.comar_caseworkers": (
        "Dictaminadores en una oficina de la COMAR",
        "Deciding caseworkers at a COMAR office",
    ),
    "leverhelp.comar_office_open": (
        "Si una oficina de la COMAR recibe solicitudes",
        "Whether a COMAR office takes applications",
    ),
    "leverhelp.asylum_propensity_multiplier": (
        "Multiplica la propensión a pedir asilo en México",
        "Scales the propensity to apply for asylum in Mexico",
    ),
    "leverhelp.shelter_capacity": ("Camas de albergue en un nodo", "Shelter beds at a node"),
    "leverhelp.mx_work_visa_quota": ("Visas y tarjetas de trabajo mexicanas", "Mexican work visas and cards"),
    "leverhelp.mx_humanitarian_card_quota": (
        "Tarjetas de visitante por razones humanitarias (TVRH) en la frontera sur",
        "Humanitarian visitor cards (TVRH) at the southern border",
    ),
    "leverhelp.us_work_visa_quota": (
        "Visas temporales de trabajo de EE. UU. (H-2A/H-2B)",
        "US temporary work visas (H-2A/H-2B)",
    ),
    "leverhelp.development_aid_usd_million": (
        "Ayuda al desarrollo al país de origen",
        "Development aid to the origin country",
    ),
    "leverhelp.us_deterrence": (
        "Clima de control en EE. UU.: multiplica las salidas",
        "US enforcement climate: multiplies departures",
    ),
    "leverhelp.us_apprehension_probability": (
        "Probabilidad de detención por la Patrulla Fronteriza por cada cruce entre puertos",
        "Border Patrol apprehension probability per crossing between ports",
    ),
    "leverhelp.us_metering_intake_per_day": (
        "Solicitantes de asilo admitidos por día desde la lista de espera de un puerto",
        "Asylum seekers taken in per day from a port's metering list",
    ),
    "leverhelp.us_release_share": (
        "Personas detenidas liberadas en EE. UU.",
        "Apprehended people released into the US",
    ),
    "leverhelp.us_mpp_share": (
        "Personas detenidas devueltas a México bajo MPP",
        "Apprehended people returned to Mexico under MPP",
    ),
    "leverhelp.us_title42_share": (
        "Personas detenidas expulsadas bajo el Título 42",
        "Apprehended people expelled under Title 42",
    ),
    "leverhelp.caravan_blocking": (
        "Probabilidad de que una caravana sea disuelta en la frontera sur",
        "Probability that a caravan is broken up at the southern border",
    ),
    "leverhelp.mx_work_visa_eligibility": (
        "Proporción de quienes piensan salir de una nacionalidad que puede obtener visas de trabajo mexicanas",
        "Share of a nationality's would-be departers eligible for Mexican work visas",
    ),
    "leverhelp.mx_humanitarian_card_eligibility": (
        "Proporción de quienes llegan de una nacionalidad que puede obtener tarjetas humanitarias (TVRH)",
        "Share of a nationality's arrivals eligible for humanitarian cards (TVRH)",
    ),
    "leverhelp.mx_regional_card_eligibility": (
        "Proporción de quienes llegan de una nacionalidad que puede obtener tarjetas de visitante regional (TVR)",
        "Share of a nationality's arrivals eligible for regional visitor cards (TVR)",
    ),
    "leverhelp.mx_regional_card_quota": (
        "Tarjetas de visitante regional (TVR) en la frontera sur: entrada y estancia en los estados fronterizos",
        "Regional visitor cards (TVR) at the southern border: entry and stay in the border states",
    ),
    "leverhelp.mx_card_processing_days": (
        "Días entre la solicitud de una TVRH o TVR en la frontera sur y su entrega (quienes la piden esperan allí)",
        "Days between applying for a TVRH or TVR card at the southern border and getting it (applicants wait there)",
    ),
    "leverhelp.mx_atd_share": (
        "Proporción de personas detenidas en México que entran a un programa de seguimiento en vez de la detención",
        "Share of people apprehended in Mexico placed in a case-management programme instead of detention",
    ),
    "leverhelp.us_port_release_share": (
        "Solicitantes de asilo en un puerto liberados en EE. UU. para seguir su caso (antes de MPP)",
        "Asylum seekers presenting at a port who are released into the US to pursue their case (before MPP)",
    ),
    "leverhelp.drought_probability": (
        "Probabilidad de que empiece una sequía en el país de origen este año",
        "Chance that a drought starts in the origin country this year",
    ),
    "leverhelp.drought_severity_pp": (
        "Inseguridad alimentaria adicional media de una sequía aleatoria",
        "Mean extra food insecurity of a stochastic drought",
    ),
    # units
    "unit.days": ("días", "days"),
    "unit.probability/year": ("probabilidad/año", "probability/year"),
    "unit.percentage points": ("puntos porcentuales", "percentage points"),
    "unit.0/1": ("0/1", "0/1"),
    "unit.USD million/year": ("millones de USD/año", "USD million/year"),
    "unit.beds": ("camas", "beds"),
    "unit.caseworkers": ("dictaminadores", "caseworkers"),
    "unit.multiplier": ("multiplicador", "multiplier"),
    "unit.persons/day": ("personas/día", "persons/day"),
    "unit.persons/year": ("personas/año", "persons/year"),
    "unit.probability": ("probabilidad", "probability"),
    "unit.share": ("proporción", "share"),
}

STRINGS: dict[str, dict[str, str]] = {
    "es": {key: pair[0] for key, pair in _PAIRS.items()},
    "en": {key: pair[1] for key, pair in _PAIRS.items()},
}
