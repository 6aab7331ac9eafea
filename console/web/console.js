// The console page: polls the console's JSON every refresh and redraws, without a reload. Every
// value from the pipeline is put in the page as text (textContent), never as markup.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

const $ = (selector, root = document) => root.querySelector(selector);

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("data-")) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function duration(ms) {
  if (ms === null || ms === undefined) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) {
    const s = Math.round((ms % 60_000) / 1000);
    return `${Math.floor(ms / 60_000)} min${s ? ` ${s} s` : ""}`;
  }
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const rate = (v, digits = 1) => (v === null || v === undefined ? "–" : v.toFixed(digits));
const time = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "–");
const hash = (h) => (h.length > 12 ? `${h.slice(0, 6)}…${h.slice(-4)}` : h);

function replaceRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

function consumerCard(c) {
  const over = c.valueMillis !== null && c.valueMillis > c.thresholdMillis;
  const card = el(
    "div",
    { class: "card consumer", "data-consumer": c.name, "data-healthy": String(c.problems.length === 0) },
    el(
      "h2",
      {},
      `${c.name} `,
      el("span", { class: "muted" }, c.application),
      el("span", { class: `badge ${c.problems.length === 0 ? "ok" : "bad"}` }, c.problems.length === 0 ? "OK" : "attention"),
    ),
    el(
      "p",
      { class: "headline" },
      `${c.measure} `,
      el("strong", { class: over ? "bad" : "", "data-value": c.valueMillis ?? "" }, duration(c.valueMillis)),
      ` of ${duration(c.thresholdMillis)} threshold · workers: `,
      ...c.workers.flatMap((w, i) => [
        i ? ", " : "",
        el("span", { class: w.reachable ? "" : "bad", title: w.error ?? "" }, `${w.url}${w.reachable ? "" : " unreachable"}`),
      ]),
    ),
    el("ul", { class: "problems" }, ...c.problems.map((p) => el("li", {}, p))),
  );
  const rows = c.shards.map((s) => {
    const lagOver = s.checkpointAgeMillis !== null && s.checkpointAgeMillis > c.thresholdMillis;
    return el(
      "tr",
      { "data-shard": s.shardId, class: lagOver ? "over" : "" },
      el("td", {}, s.shardId),
      el("td", { class: `owner ${s.owner ? "" : "bad"}` }, s.owner ?? "none"),
      el("td", { class: `lease ${s.expired ? "bad" : ""}` }, s.owner ? (s.expired ? "expired" : "renewed") : "–"),
      el("td", { class: "num lag", "data-millis": s.checkpointAgeMillis ?? "" }, duration(s.checkpointAgeMillis)),
      el("td", { class: "num" }, duration(s.millisBehindLatest)),
      el("td", { class: "num" }, duration(s.iteratorAgeMillis)),
      el("td", { class: "num moves", title: `${s.ownerSwitches} owner switches since the last checkpoint` }, String(s.moves)),
    );
  });
  card.append(
    el(
      "table",
      {},
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ...["shard", "owner", "lease", "checkpoint age", "behind latest", "iterator age", "moves"].map((h) => el("th", {}, h)),
        ),
      ),
      el("tbody", {}, ...rows),
    ),
  );
  if (c.leaseError) card.append(el("p", { class: "error" }, c.leaseError));
  return card;
}

function renderStream(s) {
  const card = $("#stream");
  $(".name", card).textContent = s.name;
  const error = $(".error", card);
  error.hidden = !s.error;
  error.textContent = s.error ?? "";
  const open = s.shards.filter((x) => x.open).length;
  $(".figures", card).textContent = `${open} open shards · ${rate(s.eventsPerSecond)} events/s · ${rate(
    s.bytesPerSecond === null ? null : s.bytesPerSecond / 1024,
  )} KB/s in`;
  replaceRows(
    $("tbody", card),
    s.shards.map((x) =>
      el(
        "tr",
        { "data-shard": x.shardId },
        el("td", {}, x.shardId),
        el("td", { title: `${x.startingHashKey} – ${x.endingHashKey}` }, `${hash(x.startingHashKey)} – ${hash(x.endingHashKey)}`),
        el("td", {}, x.open ? "open" : "closed"),
      ),
    ),
  );
}

function renderIngest(i) {
  const card = $("#ingest");
  const use = i.bufferBytes === null ? null : (100 * i.bufferBytes) / i.bufferLimitBytes;
  const figures = [
    ["accepted", `${rate(i.acceptedPerSecond)} events/s`],
    ["rejected (4xx)", `${rate(i.invalidPerSecond)} events/s`],
    ["503 (stream unavailable)", `${rate(i.unavailablePerSecond)} events/s`],
    ["latency p50 / p99", `${duration(i.p50Millis)} / ${duration(i.p99Millis)}`],
    ["buffer", use === null ? "–" : `${use.toFixed(1)} % of ${(i.bufferLimitBytes / 1048576).toFixed(0)} MB`],
  ];
  $(".figures", card).replaceChildren(...figures.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
  $(".workers", card).replaceChildren(
    ...i.instances.map((w) =>
      el("li", { class: w.reachable ? "" : "bad", "data-reachable": String(w.reachable) }, `${w.url} ${w.reachable ? "answers" : `unreachable: ${w.error ?? ""}`}`),
    ),
  );
}

function renderListing(id, listing, row) {
  const card = $(id);
  const error = $(".error", card);
  error.hidden = !listing.error;
  error.textContent = listing.error ?? "";
  replaceRows($("tbody", card), listing.items.map(row));
}

// --- Plots -------------------------------------------------------------------------------------

const SERIES = {
  age: [
    ["processorLagMillis", "processor lag", "#0969da"],
    ["processorCheckpointAgeMillis", "processor checkpoint", "#54aeff"],
    ["archiverIteratorAgeMillis", "archiver iterator age", "#8250df"],
    ["archiverCheckpointAgeMillis", "archiver checkpoint", "#c297ff"],
  ],
  freshness: [["archiverFreshnessMillis", "freshness", "#1a7f37"]],
  throughput: [
    ["streamEventsPerSecond", "stream events/s", "#bf3989"],
    ["ingestAcceptedPerSecond", "ingest accepted/s", "#9a6700"],
  ],
};

const charts = {};
let history = null;

function makeChart(name, target, millis) {
  const width = Math.max(300, target.clientWidth || 360);
  const opts = {
    width,
    height: 180,
    series: [{}, ...SERIES[name].map(([, label, stroke]) => ({ label, stroke, width: 1.5, spanGaps: false }))],
    axes: [{}, { values: (u, ticks) => ticks.map((v) => (millis ? duration(v) : v)), size: 70 }],
    scales: { x: { time: true } },
    legend: { live: false },
  };
  charts[name] = new uPlot(opts, data(name), target);
}

function data(name) {
  return [history.time, ...SERIES[name].map(([key]) => history[key])];
}

function plot() {
  for (const name of Object.keys(SERIES)) charts[name]?.setData(data(name));
  document.body.dataset.points = String(history.time.length);
}

function append(point) {
  const keep = 900;
  history.time.push(point.time);
  for (const series of Object.values(SERIES)) for (const [key] of series) history[key].push(point[key] ?? null);
  if (history.time.length > keep) for (const k of Object.keys(history)) history[k].shift();
}

async function loadHistory() {
  history = await (await fetch("api/history", { cache: "no-store" })).json();
  if (!charts.age) {
    makeChart("age", $("#chart-age"), true);
    makeChart("freshness", $("#chart-freshness"), true);
    makeChart("throughput", $("#chart-throughput"), false);
    document.body.dataset.points = String(history.time.length);
  } else {
    plot();
  }
}

// --- Polling -----------------------------------------------------------------------------------

let lastPoint = null;
let refreshMillis = 2000;
let failing = false;

function render(s) {
  refreshMillis = s.refreshMillis;
  const overall = $("#overall");
  overall.textContent = s.healthy ? "all consumers OK" : "attention needed";
  overall.className = `badge ${s.healthy ? "ok" : "bad"}`;
  overall.dataset.healthy = String(s.healthy);
  $("#updated").textContent = `updated ${time(s.takenAt)}`;
  const dashboard = $("#dashboard");
  dashboard.hidden = !s.dashboardUrl;
  if (s.dashboardUrl) dashboard.href = s.dashboardUrl;
  $("#consumers").replaceChildren(...s.consumers.map(consumerCard));
  renderStream(s.stream);
  renderIngest(s.ingest);
  renderListing("#dead-letters", s.deadLetters, (d) =>
    el("tr", { "data-reason": d.reason }, el("td", {}, time(d.arrivedAt)), el("td", {}, d.shardId), el("td", { class: "reason" }, d.reason), el("td", { title: d.message }, d.message)),
  );
  renderListing("#error-objects", s.errorObjects, (o) =>
    el("tr", { "data-reason": o.reason }, el("td", {}, time(o.lastModified)), el("td", { class: "reason" }, o.reason), el("td", { class: "num" }, String(o.bytes)), el("td", { title: o.key }, o.key)),
  );
  if (history && s.point.time !== lastPoint) {
    lastPoint = s.point.time;
    append(s.point);
    plot();
  }
}

async function refreshTail() {
  const user = $("#tail-user").value.trim();
  const events = await (await fetch(`api/tail${user ? `?user=${encodeURIComponent(user)}` : ""}`, { cache: "no-store" })).json();
  replaceRows(
    $("#tail tbody"),
    events.map((e) =>
      el(
        "tr",
        { "data-user": e.userId },
        el("td", {}, time(e.arrivedAt)),
        el("td", {}, e.shardId),
        el("td", {}, e.userId),
        el("td", {}, e.bot ? `${e.eventType} (robot)` : e.eventType),
        el("td", {}, e.page ?? ""),
        el("td", {}, e.eventId ?? ""),
      ),
    ),
  );
}

async function tick() {
  try {
    const response = await fetch("api/snapshot", { cache: "no-store" });
    if (response.status === 503) throw new Error("the console is still reading its sources");
    if (!response.ok) throw new Error(`the console answered ${response.status}`);
    const snapshot = await response.json();
    if (failing || !history) await loadHistory();
    render(snapshot);
    await refreshTail();
    failing = false;
    $("#connection").hidden = true;
  } catch (e) {
    failing = true;
    const banner = $("#connection");
    banner.hidden = false;
    banner.textContent = `The console cannot be reached (${e.message}); trying again every ${refreshMillis / 1000} s. What is shown is from ${$("#updated").textContent.replace("updated ", "") || "never"}.`;
    $("#overall").textContent = "console unreachable";
    $("#overall").className = "badge";
  } finally {
    setTimeout(tick, refreshMillis);
  }
}

$("#tail-user").addEventListener("input", () => refreshTail().catch(() => {}));
tick();
