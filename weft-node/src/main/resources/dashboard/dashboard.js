// The Weft dashboard: polls the head's JSON API every 2 s and redraws. No framework; the chart is
// uPlot (bundled from its npm package's webjar at build time, never from a CDN).
"use strict";
const params = new URLSearchParams(location.search);
const token = params.get("token");
let wantedJob = params.get("job"); // ?job=J shows that job's output first
const headers = token ? { Authorization: "Bearer " + token } : {};
const el = (id) => document.getElementById(id);

async function api(path) {
  const r = await fetch("api/" + path, { headers });
  if (!r.ok) {
    let msg = r.status + " " + r.statusText;
    try { msg = (await r.json()).error || msg; } catch (e) { /* not JSON */ }
    throw new Error(path + ": " + msg);
  }
  return r.json();
}

function text(v) { return v === null || v === undefined ? "" : String(v); }

function fill(tableId, rows, cells) {
  const body = el(tableId).tBodies[0];
  body.replaceChildren();
  if (rows.length === 0) {
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = el(tableId).tHead.rows[0].cells.length;
    td.className = "empty";
    td.textContent = "none";
    return;
  }
  for (const row of rows) {
    const tr = body.insertRow();
    for (const c of cells(row)) {
      const td = tr.insertCell();
      if (c instanceof Node) td.appendChild(c);
      else if (typeof c === "object" && c !== null) { td.textContent = text(c.text); if (c.cls) td.className = c.cls; }
      else td.textContent = text(c);
    }
  }
}

function bytes(b) {
  const u = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (b >= 1024 && i < u.length - 1) { b /= 1024; i++; }
  return (i === 0 ? b : b.toFixed(1)) + " " + u[i];
}

function bar(frac, label) {
  const wrap = document.createElement("span");
  const b = document.createElement("span");
  b.className = "bar";
  const inner = document.createElement("span");
  inner.style.width = Math.round(Math.max(0, Math.min(1, frac)) * 100) + "%";
  b.appendChild(inner);
  wrap.appendChild(b);
  wrap.appendChild(document.createTextNode(label));
  return wrap;
}

function resources(n) {
  return Object.keys(n.info.total).filter((k) => k !== "memory" && k !== "object_store_memory").sort()
    .map((k) => k + " " + (n.info.available[k] ?? 0) + "/" + n.info.total[k]).join(", ");
}

// tasks finished and failed per second, from the totals' differences between polls
const series = [[], [], []];
let last = null;
let chart = null;
function chartTick(summary) {
  const now = Date.now() / 1000;
  const fin = summary.reduce((s, f) => s + f.finished, 0);
  const fail = summary.reduce((s, f) => s + f.failed, 0);
  if (last) {
    const dt = Math.max(0.001, now - last.t);
    series[0].push(now);
    series[1].push(Math.max(0, (fin - last.fin) / dt));
    series[2].push(Math.max(0, (fail - last.fail) / dt));
    if (series[0].length > 150) series.forEach((s) => s.shift());
  }
  last = { t: now, fin, fail };
  const width = Math.max(300, el("chart").clientWidth || 500);
  if (!chart && window.uPlot) {
    chart = new uPlot({
      width, height: 160,
      series: [{}, { label: "finished/s", stroke: "#3b6fd8" }, { label: "failed/s", stroke: "#b42318" }],
      axes: [{}, { size: 50 }],
    }, series, el("chart"));
  } else if (chart) {
    chart.setData(series);
  }
}

let logJob = null;
let logNext = 0;

async function refresh() {
  try {
    const [nodes, stores, jobs, actors, summary, tasks] = await Promise.all([
      api("nodes"), api("stores"), api("jobs"), api("actors"), api("summary"), api("tasks?limit=500"),
    ]);
    const storeOf = Object.fromEntries(stores.map((s) => [s.nodeId, s]));
    const alive = nodes.filter((n) => n.info.alive);
    el("cluster-totals").innerHTML = "";
    for (const [label, value] of [
      ["nodes alive", alive.length + " / " + nodes.length],
      ["CPUs free", alive.reduce((s, n) => s + (n.info.available.CPU || 0), 0) + " / " + alive.reduce((s, n) => s + (n.info.total.CPU || 0), 0)],
      ["jobs running", jobs.filter((j) => j.state === "RUNNING").length],
      ["actors alive", actors.filter((a) => a.state === "ALIVE").length],
    ]) {
      const d = document.createElement("div");
      const b = document.createElement("b");
      b.textContent = value;
      d.appendChild(b);
      d.appendChild(document.createTextNode(label));
      el("cluster-totals").appendChild(d);
    }
    fill("nodes", nodes, (n) => {
      const s = storeOf[n.info.nodeId];
      const link = document.createElement("a");
      if (n.metricsUrl) { link.href = n.metricsUrl; link.textContent = "metrics"; }
      return [n.info.nodeId, n.info.address, { text: n.info.alive ? "ALIVE" : "DEAD", cls: "state-" + (n.info.alive ? "ALIVE" : "DEAD") },
        resources(n), s ? bar(s.usedBytes / Math.max(1, s.capacityBytes), bytes(s.usedBytes) + " / " + bytes(s.capacityBytes)) : "", link];
    });
    fill("summary", summary, (f) => [f.function, { text: f.submitted, cls: "num" }, { text: f.running, cls: "num" },
      { text: f.finished, cls: "num" }, { text: f.failed, cls: f.failed ? "num state-FAILED" : "num" }]);
    fill("failures", tasks.filter((t) => t.state === "FAILED").slice(0, 50),
      (t) => [t.function, t.jobId, t.nodeId, { text: t.error, cls: "state-FAILED" }]);
    fill("jobs-table", jobs.slice().reverse(), (j) => [j.jobId, j.name, { text: j.state, cls: "state-" + j.state }, j.driverAddress]);
    fill("actors-table", actors, (a) => [a.name || "-", a.className, { text: a.state, cls: "state-" + a.state }, a.nodeId || "-", a.incarnation, a.actorId]);
    fill("stores-table", stores, (s) => [s.nodeId, bar(s.usedBytes / Math.max(1, s.capacityBytes), bytes(s.usedBytes) + " / " + bytes(s.capacityBytes)),
      { text: s.objects, cls: "num" }, { text: s.pinned, cls: "num" }, s.spilledObjects + " (" + bytes(s.spilledBytes) + ")"]);
    chartTick(summary);
    await refreshLogs(jobs);
    el("status").textContent = "updated " + new Date().toLocaleTimeString();
    el("status").dataset.state = "ok";
    document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
  } catch (e) {
    el("status").textContent = "cannot read the cluster: " + e.message;
    el("status").dataset.state = "error";
  }
}

async function refreshLogs(jobs) {
  const select = el("log-job");
  const ids = jobs.map((j) => String(j.jobId));
  if (select.options.length !== ids.length) {
    const chosen = wantedJob || select.value;
    select.replaceChildren(...jobs.slice().reverse().map((j) => new Option("job " + j.jobId + " (" + j.name + ", " + j.state + ")", j.jobId)));
    if (chosen && ids.includes(chosen)) select.value = chosen;
    wantedJob = null;
  }
  if (!select.value) return;
  if (select.value !== logJob) { logJob = select.value; logNext = 0; el("log-lines").textContent = ""; }
  const out = await api("logs?job=" + encodeURIComponent(logJob) + "&from=" + logNext);
  if (out.lines.length) {
    const pre = el("log-lines");
    const atEnd = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.textContent += out.lines.join("\n") + "\n";
    if (atEnd) pre.scrollTop = pre.scrollHeight;
  }
  logNext = out.nextSeq;
}

el("log-job").addEventListener("change", () => refresh());
refresh();
setInterval(refresh, 2000);
