// The pipeline page: GET /api/status drawn as services, streams, stores and a throughput chart, plus
// the dead letters with retry and discard. Everything is redrawn from the API every few seconds.
"use strict";

(() => {
  const { el, api, attempt, toast, when } = Jobsmith;
  const REFRESH_INTERVAL_MS = 5000;
  const SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function seconds(value) {
    if (value === null || value === undefined) return "—";
    const total = Math.round(value);
    if (total < 60) return `${total} s`;
    if (total < 3600) return `${Math.floor(total / 60)} min ${total % 60} s`;
    if (total < 86400) return `${Math.floor(total / 3600)} h ${Math.floor((total % 3600) / 60)} min`;
    return `${Math.floor(total / 86400)} d ${Math.floor((total % 86400) / 3600)} h`;
  }

  function renderOverall(status) {
    const badge = document.getElementById("pipeline-status");
    badge.className = `badge ${status.status}`;
    badge.textContent = status.status;
    document.getElementById("pipeline-reasons").replaceChildren(
      ...(status.reasons || []).map((reason) => el("li", {}, reason)));
    document.getElementById("pipeline-updated").textContent = `As of ${when(status.generated_at)}`;
  }

  function renderStores(status) {
    const rows = [["PostgreSQL", status.database], ["Redis", status.redis]].flatMap(([name, store]) => {
      const reachable = store && store.reachable;
      return [
        el("dt", {}, name),
        el("dd", {},
          el("span", { class: `badge ${reachable ? "ok" : "failed"}` }, reachable ? "reachable" : "unreachable"),
          " ",
          store && store.latency_ms !== undefined && store.latency_ms !== null ? `${store.latency_ms} ms` : "",
          store && store.error ? el("span", { class: "store-error" }, store.error) : null),
      ];
    });
    document.getElementById("stores").replaceChildren(...rows);
  }

  function renderReplica(replica) {
    const health = replica.stale ? ["failed", "stale"] : replica.healthy ? ["ok", "healthy"] : ["degraded", "unhealthy"];
    const counters = (replica.consumers || []).map((consumer) =>
      el("li", {}, `${consumer.stream}: ${consumer.processed} processed, ${consumer.failed} failed, `
        + `${consumer.in_flight} in flight, ${consumer.dead_lettered} dead-lettered`));
    return el("li", { class: "replica", "data-instance": replica.instance },
      el("div", { class: "row" },
        el("strong", {}, replica.instance),
        el("span", { class: `badge ${health[0]}` }, health[1]),
        replica.state && replica.state !== "running" ? el("span", { class: "badge waiting" }, replica.state) : null),
      el("div", { class: "replica-meta muted" },
        el("span", {}, `version ${replica.version || "—"}`),
        el("span", {}, `up ${seconds(replica.uptime_seconds)}`),
        el("span", {}, `heartbeat ${seconds(replica.heartbeat_age_seconds)} ago`),
        el("span", {}, `${replica.host || "?"} · pid ${replica.pid ?? "—"}`)),
      counters.length ? el("ul", { class: "consumers muted" }, counters) : null);
  }

  function renderServices(status) {
    const cards = (status.services || []).map((service) =>
      el("article", { class: "service", "data-service": service.name },
        el("div", { class: "row" },
          el("h3", {}, service.name),
          el("span", { class: `badge ${service.healthy ? "ok" : "degraded"}` }, service.healthy ? "healthy" : "no healthy replica"),
          el("span", { class: "muted" }, `${(service.replicas || []).length} replica(s)`)),
        (service.replicas || []).length
          ? el("ul", { class: "replicas" }, service.replicas.map(renderReplica))
          : el("p", { class: "muted" }, "No replica has reported.")));
    document.getElementById("services").replaceChildren(...cards);
  }

  function renderStreams(status) {
    const cell = (label, value, attention) =>
      el("td", { "data-label": label, class: attention ? "attention" : null }, String(value ?? "—"));
    const rows = (status.streams || []).map((stream) =>
      el("tr", { "data-stream": stream.stream },
        el("td", { "data-label": "Stream" }, el("code", {}, stream.stream)),
        cell("Group", stream.group),
        cell("Length", stream.length),
        cell("Lag", stream.lag, stream.lag > 0),
        cell("Pending", stream.pending, stream.pending > 0),
        cell("Consumers", stream.consumers, stream.consumers === 0),
        cell("Dead letters", stream.dead_letters, stream.dead_letters > 0)));
    document.querySelector("#streams tbody").replaceChildren(...rows);
  }

  // Grouped bars, one group per minute and one bar per stage: lines would hide each other whenever
  // the stages move the same jobs in the same minute, which is the normal case.
  function renderThroughput(status) {
    const stages = (status.throughput && status.throughput.stages) || [];
    const minutes = Math.max(0, ...stages.map((stage) => (stage.minutes || []).length));
    // Drawn at the container's own width, so labels keep their size on phones instead of shrinking.
    const container = document.getElementById("throughput");
    const width = Math.max(240, Math.round(container.clientWidth || 600)), height = 200;
    const left = 34, bottom = 22, top = 10, right = 6;
    const plotWidth = width - left - right, plotHeight = height - top - bottom;
    const peak = Math.max(1, ...stages.flatMap((stage) => stage.minutes || []));
    const chart = svg("svg", {
      viewBox: `0 0 ${width} ${height}`, role: "img", "aria-labelledby": "throughput-title throughput-summary",
      class: "throughput-chart",
    });
    const summary = stages.map((stage) => `${stage.stream}: ${stage.messages} messages, ${stage.per_minute} per minute`).join("; ");
    chart.append(svg("desc", { id: "throughput-summary" }, summary || "No throughput yet."));
    for (const fraction of [0, 0.5, 1]) {
      const y = top + plotHeight * (1 - fraction);
      chart.append(svg("line", { x1: left, x2: width - right, y1: y, y2: y, class: "grid-line" }));
      chart.append(svg("text", { x: left - 4, y: y + 4, "text-anchor": "end", class: "axis" }, String(Math.round(peak * fraction))));
    }
    const groupWidth = minutes ? plotWidth / minutes : plotWidth;
    const barWidth = stages.length ? (groupWidth * 0.8) / stages.length : 0;
    for (let minute = 0; minute < minutes; minute += 1) {
      const groupX = left + minute * groupWidth + groupWidth * 0.1;
      stages.forEach((stage, index) => {
        const count = (stage.minutes || [])[minute] || 0;
        const barHeight = (count / peak) * plotHeight;
        const bar = svg("rect", {
          x: groupX + index * barWidth, y: top + plotHeight - barHeight,
          width: Math.max(barWidth - 0.5, 0.5), height: barHeight, class: `series-${index % 4}`,
        });
        bar.append(svg("title", {}, `${stage.stream}, ${minutes - minute - 1} min ago: ${count}`));
        chart.append(bar);
      });
    }
    chart.append(svg("text", { x: left, y: height - 6, class: "axis" }, `${minutes} min ago`));
    chart.append(svg("text", { x: width - right, y: height - 6, "text-anchor": "end", class: "axis" }, "now"));
    container.replaceChildren(chart);
    document.getElementById("throughput-legend").replaceChildren(...stages.map((stage, index) =>
      el("li", {}, el("span", { class: `swatch series-${index % 4}`, "aria-hidden": "true" }),
        `${stage.stream}: ${stage.messages} (${stage.per_minute}/min)${stage.complete === false ? ", still counting" : ""}`)));
  }

  function deadLetterPath(stream, entryId) {
    return `/api/dead-letters/${encodeURIComponent(stream)}/${encodeURIComponent(entryId)}`;
  }

  function renderDeadLetters(report) {
    document.getElementById("dead-letters-total").textContent = String(report.total || 0);
    const withLetters = (report.streams || []).filter((stream) => stream.count > 0);
    if (!withLetters.length) {
      document.getElementById("dead-letters").replaceChildren(el("p", { class: "muted" }, "No dead letters."));
      return;
    }
    const groups = withLetters.map((stream) =>
      el("div", { class: "dead-letter-stream", "data-stream": stream.stream },
        el("div", { class: "row" },
          el("h3", {}, el("code", {}, stream.stream)),
          el("span", { class: "muted" }, `${stream.count} dead letter(s), group ${stream.group}`),
          el("button", {
            type: "button", class: "button", "data-action": "retry-all",
            onclick: (event) => retryAll(stream, event.currentTarget),
          }, `Retry all in ${stream.stream}`)),
        el("div", { class: "table-wrap" },
          el("table", { class: "responsive" },
            el("thead", {}, el("tr", {}, ["Entry", "Type", "Job", "Error", "Deliveries", "Consumer", "Dead since", "Actions"]
              .map((heading) => el("th", { scope: "col" }, heading)))),
            el("tbody", {}, (stream.entries || []).map((entry) => el("tr", { "data-entry-id": entry.entry_id },
              el("td", { "data-label": "Entry" }, el("code", {}, entry.entry_id)),
              el("td", { "data-label": "Type" }, entry.type || "—"),
              el("td", { "data-label": "Job" }, entry.job_id ? el("a", { href: `/jobs/${encodeURIComponent(entry.job_id)}` }, `#${entry.job_id}`) : "—"),
              el("td", { "data-label": "Error", class: "dead-error" }, entry.error || "—"),
              el("td", { "data-label": "Deliveries" }, String(entry.deliveries ?? "—")),
              el("td", { "data-label": "Consumer" }, entry.consumer || "—"),
              el("td", { "data-label": "Dead since" }, when(entry.dead_at)),
              el("td", { "data-label": "Actions" }, el("div", { class: "row" },
                el("button", {
                  type: "button", class: "button", "data-action": "retry",
                  "aria-label": `Retry dead letter ${entry.entry_id}`,
                  onclick: (event) => retry(stream.stream, entry, event.currentTarget),
                }, "Retry"),
                el("button", {
                  type: "button", class: "button danger", "data-action": "discard",
                  "aria-label": `Discard dead letter ${entry.entry_id}`,
                  onclick: (event) => discard(stream.stream, entry, event.currentTarget),
                }, "Discard"))))))))));
    document.getElementById("dead-letters").replaceChildren(...groups);
  }

  async function retry(stream, entry, button) {
    button.disabled = true;
    const done = await attempt(() => api("POST", `${deadLetterPath(stream, entry.entry_id)}/retry`), "Dead letter put back on its stream");
    if (done === undefined) button.disabled = false;
    refresh(true);
  }

  async function discard(stream, entry, button) {
    if (!confirm(`Discard dead letter ${entry.entry_id} of ${stream}? Its message is lost.`)) return;
    button.disabled = true;
    const done = await attempt(() => api("DELETE", deadLetterPath(stream, entry.entry_id)), "Dead letter discarded");
    if (done === undefined) button.disabled = false;
    refresh(true);
  }

  async function retryAll(stream, button) {
    button.disabled = true;
    const result = await attempt(() => api("POST", `/api/dead-letters/${encodeURIComponent(stream.stream)}/retry-all`),
      (answer) => `${answer && answer.retried !== undefined ? answer.retried : "The"} dead letter(s) of ${stream.stream} put back`);
    if (result === undefined) button.disabled = false;
    refresh(true);
  }

  // While the user is on a dead letter's button, a redraw would take the focus away; skip that part.
  function focusInside(id) {
    const container = document.getElementById(id);
    return container.contains(document.activeElement) && document.activeElement !== container;
  }

  let failedBefore = false;
  async function refresh(afterAction = false) {
    try {
      const [status, deadLetters] = await Promise.all([api("GET", "/api/status"), api("GET", "/api/dead-letters?limit=50")]);
      renderOverall(status);
      renderStores(status);
      renderServices(status);
      renderStreams(status);
      renderThroughput(status);
      if (afterAction || !focusInside("dead-letters")) renderDeadLetters(deadLetters);
      failedBefore = false;
    } catch (error) {
      // Say it once, not every five seconds; the timestamp shows the data is old.
      if (!failedBefore) toast(`Could not load the status: ${error.message}`, "error");
      failedBefore = true;
    }
  }

  refresh();
  setInterval(() => { if (!document.hidden) refresh(); }, REFRESH_INTERVAL_MS);
})();
