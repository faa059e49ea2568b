// The ingestion page: the sources (add, edit, enable or disable, run now), the last result of each,
// and the history of the selected source's last 50 runs.
"use strict";

(() => {
  const { el, api, attempt, when } = Jobsmith;
  const form = document.getElementById("source-form");
  const formCard = document.getElementById("source-form-card");
  const historySelect = document.getElementById("history-source");
  let sources = [];
  let editing = null; // the name of the source being edited, or null when adding
  let selected = null; // the source whose history is shown
  const lastRuns = new Map();

  const field = (name) => form.elements.namedItem(name);
  const list = (text) => text.split(",").map((item) => item.trim()).filter(Boolean);

  function milliseconds(value) {
    if (value === null || value === undefined) return "—";
    if (value < 1000) return `${value} ms`;
    const seconds = value / 1000;
    return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  }

  function countsText(counts) {
    const entries = Object.entries(counts || {}).filter(([, value]) => value);
    return entries.length ? entries.map(([name, value]) => `${name.replace(/_/g, " ")} ${value}`).join(", ") : "nothing";
  }

  const statusClass = (status) => ({ succeeded: "succeeded", partial: "waiting", failed: "failed", skipped: "cancelled",
    running: "running", queued: "queued" }[status] || "");

  function lastResult(name) {
    const run = lastRuns.get(name);
    if (run === undefined) return el("p", { class: "source-last muted" }, "Last run: loading…");
    if (run === null) return el("p", { class: "source-last muted" }, "Never run.");
    return el("p", { class: "source-last" }, "Last run: ",
      el("span", { class: `badge ${statusClass(run.status)}` }, run.status), " ",
      when(run.started_at || run.queued_at), ` · ${milliseconds(run.duration_ms)} · ${countsText(run.counts)}`,
      run.errors && run.errors.length ? el("span", { class: "history-errors" }, ` · ${run.errors.length} error(s)`) : null);
  }

  function renderSources() {
    const items = sources.map((source) => {
      const filters = [
        source.title_keywords && source.title_keywords.length ? `titles: ${source.title_keywords.join(", ")}` : null,
        source.description_keywords && source.description_keywords.length ? `descriptions: ${source.description_keywords.join(", ")}` : null,
        source.locations && source.locations.length ? `locations: ${source.locations.join(", ")}` : null,
        source.remote_only ? "remote only" : null,
        source.max_results ? `newest ${source.max_results}` : null,
        source.score_threshold ? `score ≥ ${source.score_threshold}` : null,
        source.incremental ? "incremental" : null,
      ].filter(Boolean);
      return el("li", { class: "source", "data-source": source.name, "aria-current": source.name === selected ? "true" : null },
        el("div", { class: "row" },
          el("span", { class: "source-name" }, source.name),
          el("span", { class: `badge ${source.enabled ? "ok" : "cancelled"}` }, source.enabled ? "enabled" : "disabled"),
          el("span", { class: "muted" }, source.kind)),
        el("div", { class: "source-meta" },
          el("span", {}, el("code", {}, source.location)),
          el("span", {}, source.schedule_interval_seconds
            ? `every ${Math.round(source.schedule_interval_seconds / 60)} min, next ${when(source.next_run_at)}` : "on demand"),
          source.last_success_started_at ? el("span", {}, `last success ${when(source.last_success_started_at)}`) : null,
          filters.length ? el("span", {}, `filters: ${filters.join("; ")}`) : null),
        lastResult(source.name),
        el("div", { class: "row" },
          el("button", {
            type: "button", class: "button primary", "data-action": "run", disabled: !source.enabled,
            "aria-label": `Run ${source.name} now`, title: source.enabled ? null : "Enable the source to run it",
            onclick: (event) => run(source.name, event.currentTarget),
          }, "Run now"),
          el("button", { type: "button", class: "button", "data-action": "edit", "aria-label": `Edit ${source.name} (filters, then save and run)`,
            onclick: () => openForm(source) }, "Edit"),
          el("button", { type: "button", class: "button", "data-action": "toggle", "aria-pressed": String(source.enabled),
            "aria-label": `${source.enabled ? "Disable" : "Enable"} ${source.name}`,
            onclick: (event) => toggle(source, event.currentTarget) }, source.enabled ? "Disable" : "Enable"),
          el("button", { type: "button", class: "button ghost", "data-action": "history", "aria-label": `Show the history of ${source.name}`,
            onclick: () => select(source.name, true) }, "History"),
          el("button", { type: "button", class: "button danger", "data-action": "delete", "aria-label": `Delete ${source.name}`,
            onclick: () => remove(source) }, "Delete")));
    });
    // Keep the focus on the same button when a redraw replaces it.
    const focused = document.activeElement;
    const focusedItem = focused && focused.closest ? focused.closest("#sources [data-source]") : null;
    const focusKey = focusedItem ? [focusedItem.dataset.source, focused.dataset.action] : null;
    document.getElementById("sources").replaceChildren(...items);
    if (focusKey) {
      const item = [...document.querySelectorAll("#sources [data-source]")].find((node) => node.dataset.source === focusKey[0]);
      const target = item && item.querySelector(`button[data-action="${focusKey[1]}"]`);
      if (target) target.focus();
    }
    historySelect.replaceChildren(...sources.map((source) =>
      el("option", { value: source.name, selected: source.name === selected }, source.name)));
  }

  async function loadLastRuns() {
    await Promise.all(sources.map(async (source) => {
      try {
        const history = await api("GET", `/api/ingest/history/${encodeURIComponent(source.name)}`);
        lastRuns.set(source.name, (history.items || [])[0] || null);
        if (source.name === selected) renderHistory(history.items || []);
      } catch (error) {
        lastRuns.set(source.name, null);
      }
    }));
    renderSources();
  }

  async function loadSources() {
    try {
      const answer = await api("GET", "/api/sources");
      sources = answer.items || [];
    } catch (error) {
      document.getElementById("sources").replaceChildren(el("li", { class: "muted" }, `Could not load the sources: ${error.message}`));
      return;
    }
    if (!sources.some((source) => source.name === selected)) selected = sources.length ? sources[0].name : null;
    renderSources();
    if (!selected) renderHistory([]);
    await loadLastRuns();
  }

  function renderHistory(runs) {
    document.getElementById("history-title").textContent = selected ? `History of ${selected}` : "History";
    const rows = runs.map((run) => el("tr", { "data-run-id": run.id },
      el("td", { "data-label": "Started" }, when(run.started_at || run.queued_at)),
      el("td", { "data-label": "Status" }, el("span", { class: `badge ${statusClass(run.status)}` }, run.status)),
      el("td", { "data-label": "Trigger" }, run.trigger),
      el("td", { "data-label": "Duration" }, milliseconds(run.duration_ms)),
      el("td", { "data-label": "Counts", class: "counts" }, countsText(run.counts),
        run.rejections && run.rejections.length ? ` (${run.rejections.length} rejected posting(s))` : ""),
      el("td", { "data-label": "Errors" }, run.errors && run.errors.length
        ? el("ul", { class: "history-errors" }, run.errors.map((error) => el("li", {}, error))) : "—")));
    const body = document.querySelector("#history tbody");
    body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", { colspan: "6", class: "muted" }, selected ? "No runs yet." : "No source selected."))]));
  }

  async function loadHistory() {
    if (!selected) { renderHistory([]); return; }
    try {
      const history = await api("GET", `/api/ingest/history/${encodeURIComponent(selected)}`);
      const runs = history.items || [];
      lastRuns.set(selected, runs[0] || null);
      renderHistory(runs);
    } catch (error) {
      document.querySelector("#history tbody").replaceChildren(
        el("tr", {}, el("td", { colspan: "6" }, `Could not load the history: ${error.message}`)));
    }
  }

  function select(name, focusHistory) {
    selected = name;
    renderSources();
    loadHistory();
    if (focusHistory) historySelect.focus();
  }

  // A run is queued and done by the ingestion service later; look again a few times so the result shows.
  function followRun(name) {
    for (const delay of [1500, 4000, 10000, 25000]) {
      setTimeout(async () => {
        if (name === selected) await loadHistory();
        else {
          try {
            const history = await api("GET", `/api/ingest/history/${encodeURIComponent(name)}`);
            lastRuns.set(name, (history.items || [])[0] || null);
          } catch (error) { /* the next look will tell */ }
        }
        renderSources();
      }, delay);
    }
  }

  async function run(name, button) {
    if (button) button.disabled = true;
    const answer = await attempt(() => api("POST", `/api/ingest/${encodeURIComponent(name)}/run`), `Run of ${name} queued`);
    if (button) button.disabled = false;
    if (answer !== undefined) {
      select(name, false);
      followRun(name);
    }
  }

  async function toggle(source, button) {
    button.disabled = true;
    const changed = await attempt(() => api("PATCH", `/api/sources/${encodeURIComponent(source.name)}`, { enabled: !source.enabled }),
      `${source.name} ${source.enabled ? "disabled" : "enabled"}`);
    button.disabled = false;
    if (changed !== undefined) await loadSources();
  }

  async function remove(source) {
    if (!confirm(`Delete the source ${source.name}? Its jobs stay; its schedule and settings are lost.`)) return;
    const done = await attempt(() => api("DELETE", `/api/sources/${encodeURIComponent(source.name)}`), `${source.name} deleted`);
    if (done !== undefined) {
      if (editing === source.name) closeForm();
      await loadSources();
    }
  }

  function openForm(source) {
    editing = source ? source.name : null;
    document.getElementById("source-form-title").textContent = source ? `Edit ${source.name}` : "Add a source";
    form.reset();
    field("name").value = source ? source.name : "";
    field("name").readOnly = Boolean(source);
    field("kind").value = source ? source.kind : "greenhouse";
    field("location").value = source ? source.location : "";
    field("schedule").value = source && source.schedule_interval_seconds ? Math.round(source.schedule_interval_seconds / 60) : "";
    field("max_results").value = source && source.max_results ? source.max_results : "";
    field("score_threshold").value = source ? source.score_threshold || 0 : 0;
    field("title_keywords").value = source ? (source.title_keywords || []).join(", ") : "";
    field("description_keywords").value = source ? (source.description_keywords || []).join(", ") : "";
    field("locations").value = source ? (source.locations || []).join(", ") : "";
    field("enabled").checked = source ? source.enabled : true;
    field("remote_only").checked = Boolean(source && source.remote_only);
    field("incremental").checked = Boolean(source && source.incremental);
    formCard.hidden = false;
    formCard.scrollIntoView({ block: "nearest" });
    (source ? field("location") : field("name")).focus();
  }

  function closeForm() {
    formCard.hidden = true;
    editing = null;
    document.getElementById("add-source").focus();
  }

  function formBody() {
    const number = (name) => (field(name).value === "" ? null : Number(field(name).value));
    const minutes = number("schedule");
    return {
      kind: field("kind").value,
      location: field("location").value.trim(),
      enabled: field("enabled").checked,
      schedule_interval_seconds: minutes === null ? null : Math.round(minutes * 60),
      max_results: number("max_results"),
      score_threshold: number("score_threshold") ?? 0,
      title_keywords: list(field("title_keywords").value),
      description_keywords: list(field("description_keywords").value),
      locations: list(field("locations").value),
      remote_only: field("remote_only").checked,
      incremental: field("incremental").checked,
    };
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!form.reportValidity()) return;
    const runAfter = event.submitter && event.submitter.value === "run";
    const body = formBody();
    const name = editing || field("name").value.trim();
    const saved = editing
      ? await attempt(() => api("PATCH", `/api/sources/${encodeURIComponent(editing)}`, body), `${name} saved`)
      : await attempt(() => api("POST", "/api/sources", { name, ...body }), `${name} added`);
    if (saved === undefined) return;
    closeForm();
    selected = name;
    await loadSources();
    if (runAfter) await run(name, null);
  });

  document.getElementById("add-source").addEventListener("click", () => openForm(null));
  document.getElementById("source-cancel").addEventListener("click", closeForm);
  formCard.addEventListener("keydown", (event) => { if (event.key === "Escape") closeForm(); });
  historySelect.addEventListener("change", () => select(historySelect.value, false));
  document.getElementById("history-refresh").addEventListener("click", loadHistory);

  loadSources();
})();
