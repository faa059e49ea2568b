// The queue page: running, queued, failed and recent operation runs, kept current by the live event
// stream (with a slow poll as a fallback in case the stream is down or an event is missed).
"use strict";

(() => {
  const { el, api, attempt, when, follow } = Jobsmith;
  const LISTS = ["running", "queued", "failed", "recent"];
  const EVENT_DEBOUNCE_MS = 600;
  const POLL_INTERVAL_MS = 15000;

  let refreshTimer = null;
  let loading = false;
  let reloadAgain = false;

  function duration(startIso, endIso) {
    if (!startIso) return null;
    const start = new Date(startIso);
    const end = endIso ? new Date(endIso) : new Date();
    const seconds = Math.max(0, Math.round((end - start) / 1000));
    if (isNaN(seconds)) return null;
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    return minutes < 60 ? `${minutes} min ${seconds % 60} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function actionButton(action, label, run, describedTitle) {
    return el("button", {
      type: "button", class: `button${action === "cancel" ? " danger" : ""}`,
      "data-action": action,
      "aria-label": `${label} ${run.operation} for ${describedTitle}`,
      onclick: (event) => act(action, run, event.currentTarget),
    }, label);
  }

  function actionsFor(run, title) {
    const buttons = [];
    if (run.status === "queued" || run.status === "running") {
      if (!run.cancel_requested) buttons.push(actionButton("cancel", "Cancel", run, title));
    }
    if (run.status === "failed" || run.status === "cancelled") buttons.push(actionButton("retry", "Retry", run, title));
    // Dismissing hides a run from the failed list only (recent runs list dismissed ones too).
    if (run.status === "failed" && !run.dismissed) buttons.push(actionButton("dismiss", "Dismiss", run, title));
    return buttons.length ? el("div", { class: "row run-actions" }, buttons) : null;
  }

  function renderRun(run) {
    const title = run.job_title || `Job ${run.job_id}`;
    const took = duration(run.started_at, run.finished_at);
    return el("li", { class: "run", "data-run-id": run.id },
      el("div", { class: "row" },
        el("a", { class: "run-title", href: `/jobs/${encodeURIComponent(run.job_id)}` }, title),
        run.company ? el("span", { class: "muted" }, run.company) : null),
      el("div", { class: "run-meta" },
        el("span", {}, el("strong", {}, run.operation)),
        el("span", { class: `badge run-status ${run.status}` }, run.status),
        run.cancel_requested && run.status === "running" ? el("span", { class: "badge waiting" }, "cancelling") : null,
        el("span", {}, `attempt ${run.attempt}`),
        el("span", {}, "queued ", el("time", { datetime: run.created_at }, when(run.created_at))),
        run.started_at ? el("span", {}, "started ", el("time", { datetime: run.started_at }, when(run.started_at))) : null,
        run.finished_at ? el("span", {}, "finished ", el("time", { datetime: run.finished_at }, when(run.finished_at))) : null,
        took ? el("span", {}, `${run.finished_at ? "took" : "for"} ${took}`) : null),
      (run.steps && run.steps.length)
        ? el("ul", { class: "run-steps", "aria-label": "Steps" }, run.steps.map((step) =>
          el("li", { class: `badge ${step.status}`, title: step.error || null },
            `${step.operation}: ${step.status}${step.attempt > 1 ? ` (attempt ${step.attempt})` : ""}`)))
        : null,
      run.error ? el("p", { class: "run-error" }, run.error) : null,
      actionsFor(run, title));
  }

  function renderList(name, runs) {
    const list = document.getElementById(`queue-${name}`);
    // Keep keyboard focus on the same run's button across a refresh, so live updates do not lose it.
    const focused = document.activeElement;
    const focusedRun = focused && list.contains(focused) ? focused.closest("[data-run-id]") : null;
    const focusedKey = focusedRun ? [focusedRun.dataset.runId, focused.dataset.action || ""] : null;
    list.replaceChildren(...runs.map(renderRun));
    document.getElementById(`queue-${name}-count`).textContent = String(runs.length);
    if (focusedKey) {
      const run = [...list.querySelectorAll("[data-run-id]")].find((item) => item.dataset.runId === focusedKey[0]);
      const target = run && (run.querySelector(`button[data-action="${focusedKey[1]}"]`) || run.querySelector("a"));
      if (target) target.focus();
    }
  }

  async function load() {
    // One request at a time; a refresh asked for meanwhile runs once the current one ends.
    if (loading) { reloadAgain = true; return; }
    loading = true;
    try {
      const queue = await api("GET", "/api/operations?limit=50");
      for (const name of LISTS) renderList(name, queue[name] || []);
      document.getElementById("queue-updated").textContent = `Updated ${new Date().toLocaleTimeString()}`;
    } catch (error) {
      document.getElementById("queue-updated").textContent = `Could not load the queue: ${error.message}`;
    } finally {
      loading = false;
      if (reloadAgain) { reloadAgain = false; scheduleRefresh(); }
    }
  }

  function scheduleRefresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(load, EVENT_DEBOUNCE_MS);
  }

  const SUCCESS_MESSAGES = { cancel: "Cancellation requested", retry: "Run queued again", dismiss: "Run dismissed" };

  async function act(action, run, button) {
    button.disabled = true;
    const done = await attempt(() => api("POST", `/api/operations/${encodeURIComponent(run.id)}/${action}`),
      SUCCESS_MESSAGES[action]);
    if (done === undefined) button.disabled = false;
    load();
  }

  document.getElementById("queue-refresh").addEventListener("click", load);
  load();
  // Any event may change a run (a step starting or finishing), so every event schedules one refresh.
  follow("/api/events", () => scheduleRefresh());
  setInterval(() => { if (!document.hidden) load(); }, POLL_INTERVAL_MS);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
})();
