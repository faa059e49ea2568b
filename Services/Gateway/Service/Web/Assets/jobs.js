// The jobs list: search, filters, sorting and paging kept in the URL query (so reload and Back
// restore them), per-row stage badges, multi-select with bulk actions, and keyboard shortcuts.
// Everything a job board wrote reaches the page as text through Jobsmith.el, never as HTML.
"use strict";

(() => {
  const { el, api, attempt, toast, when } = Jobsmith;

  const DEFAULT_SORT = "-created_at";
  const DEFAULT_PER_PAGE = "50";
  /** Filter query parameters, each bound to the form control of the same name. */
  const FILTER_PARAMETERS = [
    "q", "status", "since", "remote", "source", "tier", "score_min", "score_max", "location",
    "created_from", "created_to", "posted_from", "posted_to",
  ];
  /** Filters that live inside "More filters": the panel opens by itself when one is in use. */
  const ADVANCED_PARAMETERS = FILTER_PARAMETERS.slice(4);
  const STAGES = [
    { key: "jd", label: "JD", done: "extracted" },
    { key: "research", label: "Research", done: "researched" },
    { key: "cv", label: "CV", done: "cv" },
  ];
  /** Which stage each step operation works on; steps of all-ops carry their own operation. */
  const STAGE_OF_OPERATION = {
    "full-extraction": "jd", "structure-jd": "jd",
    "research-company": "research", "discover-contacts": "research",
    "generate-cv": "cv",
  };
  const STATUS_LABELS = {
    not_processed: "Not processed", marked_for_applying: "Marked for applying",
    under_processing: "Under processing", ready_for_applying: "Ready for applying", applied: "Applied",
    interview_scheduled: "Interview scheduled", offer_received: "Offer received", rejected: "Rejected",
    discarded: "Discarded", to_be_deleted: "To be deleted",
  };
  const OPERATION_LABELS = {
    "all-ops": "all operations", "full-extraction": "full extraction",
    "research-company": "company research", "generate-cv": "CV generation",
  };
  /** How often to look again while operations run on jobs in view. */
  const REFRESH_WHILE_RUNNING_MS = 5000;

  const form = document.getElementById("job-filters");
  const searchInput = document.getElementById("job-search");
  const pageSizeSelect = document.getElementById("page-size");
  const moreFilters = document.getElementById("more-filters");
  const tableBody = document.getElementById("jobs-body");
  const selectAll = document.getElementById("select-all");
  const selectionCount = document.getElementById("selection-count");
  const bulkAction = document.getElementById("bulk-action");
  const bulkApply = document.getElementById("bulk-apply");
  const previousButton = document.getElementById("prev-page");
  const nextButton = document.getElementById("next-page");
  const pageInfo = document.getElementById("page-info");

  /** Ids of the selected jobs; kept across refreshes of the same page. */
  const selected = new Set();
  let jobs = [];
  let focusedIndex = -1;
  let refreshTimer = null;
  let loadSequence = 0;

  // ---- URL state -------------------------------------------------------------------------------

  function currentQuery() {
    return new URLSearchParams(location.search);
  }

  function currentSort() {
    return currentQuery().get("sort") || DEFAULT_SORT;
  }

  function currentPage() {
    const page = parseInt(currentQuery().get("page"), 10);
    return Number.isFinite(page) && page > 0 ? page : 1;
  }

  /** Puts the URL's filters into the form, so what is shown always matches what was asked for. */
  function fillFormFromQuery() {
    const query = currentQuery();
    for (const name of FILTER_PARAMETERS) {
      const control = form.elements.namedItem(name);
      if (control) control.value = query.get(name) || "";
    }
    pageSizeSelect.value = query.get("per_page") || DEFAULT_PER_PAGE;
    if (!pageSizeSelect.value) pageSizeSelect.value = DEFAULT_PER_PAGE;
    if (ADVANCED_PARAMETERS.some((name) => query.get(name))) moreFilters.open = true;
  }

  /** The query the form describes; empty values and defaults are left out to keep URLs short. */
  function queryFromForm() {
    const query = new URLSearchParams();
    for (const name of FILTER_PARAMETERS) {
      const control = form.elements.namedItem(name);
      const value = control ? control.value.trim() : "";
      if (value) query.set(name, value);
    }
    if (pageSizeSelect.value !== DEFAULT_PER_PAGE) query.set("per_page", pageSizeSelect.value);
    const sort = currentSort();
    if (sort !== DEFAULT_SORT) query.set("sort", sort);
    return query;
  }

  function navigate(query) {
    const search = query.toString();
    const url = search ? `/?${search}` : "/";
    if (url !== location.pathname + location.search) history.pushState(null, "", url);
    selected.clear();
    focusedIndex = -1;
    load();
  }

  // ---- Loading ---------------------------------------------------------------------------------

  function apiQuery() {
    const query = currentQuery();
    const request = new URLSearchParams();
    for (const name of FILTER_PARAMETERS) {
      const value = query.get(name);
      if (value) request.set(name, value);
    }
    request.set("sort", currentSort());
    request.set("per_page", query.get("per_page") || DEFAULT_PER_PAGE);
    request.set("page", String(currentPage()));
    return request;
  }

  /**
   * Loads the page of jobs and the queue view together; the queue says which stages are running
   * or failed right now, which the job list alone cannot.
   */
  async function load({ quiet = false } = {}) {
    const sequence = ++loadSequence;
    clearTimeout(refreshTimer);
    if (!quiet) tableBody.setAttribute("aria-busy", "true");
    try {
      const [page, queue] = await Promise.all([
        api("GET", `/api/jobs?${apiQuery()}`),
        api("GET", "/api/operations?limit=500").catch(() => null),
      ]);
      if (sequence !== loadSequence) return; // A newer request already answered.
      jobs = page.items;
      const activity = stageActivity(queue);
      render(page, activity);
      scheduleRefresh(activity);
    } catch (error) {
      if (sequence !== loadSequence) return;
      jobs = [];
      tableBody.replaceChildren(emptyRow(`Could not load jobs: ${error.message}`));
      pageInfo.textContent = "";
      toast(error.message, "error");
    } finally {
      if (sequence === loadSequence) tableBody.removeAttribute("aria-busy");
    }
  }

  /** Map of job id → {jd|research|cv: "running"|"failed"} from the queue view's lists. */
  function stageActivity(queue) {
    const activity = new Map();
    if (!queue) return activity;
    const mark = (run, state) => {
      const stages = activity.get(run.job_id) || {};
      const steps = run.steps && run.steps.length ? run.steps : [{ operation: run.operation, status: state }];
      for (const step of steps) {
        const stage = STAGE_OF_OPERATION[step.operation];
        if (!stage) continue;
        const stepState = state === "failed"
          ? (step.status === "failed" ? "failed" : null)
          : (["queued", "running", "waiting"].includes(step.status) ? "running" : null);
        // A running stage says more than an older failure of the same stage.
        if (stepState && stages[stage] !== "running") stages[stage] = stepState;
      }
      activity.set(run.job_id, stages);
    };
    // Failed first, so running and queued runs (newer attempts) win over them.
    for (const run of queue.failed || []) mark(run, "failed");
    for (const run of [...(queue.running || []), ...(queue.queued || [])]) mark(run, "running");
    return activity;
  }

  function scheduleRefresh(activity) {
    const shown = new Set(jobs.map((job) => job.id));
    const anyRunning = [...activity].some(([jobID, stages]) =>
      shown.has(jobID) && Object.values(stages).includes("running"));
    if (anyRunning) refreshTimer = setTimeout(() => {
      if (document.visibilityState === "visible") load({ quiet: true });
      else scheduleRefresh(activity);
    }, REFRESH_WHILE_RUNNING_MS);
  }

  // ---- Rendering -------------------------------------------------------------------------------

  function emptyRow(message) {
    return el("tr", { class: "empty" }, el("td", { colspan: 10, class: "muted" }, message));
  }

  function render(page, activity) {
    // Keep keyboard focus on the same row (or its checkbox) when a quiet refresh redraws the table.
    const active = document.activeElement;
    const activeRow = active && active.closest ? active.closest("tr[data-job-id]") : null;
    const activeJobID = activeRow ? activeRow.dataset.jobId : null;
    const activeWasCheckbox = active && active.classList && active.classList.contains("select-job");

    const shown = new Set(jobs.map((job) => job.id));
    for (const id of [...selected]) if (!shown.has(id)) selected.delete(id);

    if (jobs.length === 0) {
      tableBody.replaceChildren(emptyRow(hasFilters() ? "No jobs match these filters." : "No jobs yet."));
    } else {
      tableBody.replaceChildren(...jobs.map((job) => jobRow(job, activity.get(job.id) || {})));
    }
    if (focusedIndex >= jobs.length) focusedIndex = jobs.length - 1;
    markFocusedRow();
    if (activeJobID) {
      const row = tableBody.querySelector(`tr[data-job-id="${CSS.escape(activeJobID)}"]`);
      if (row) (activeWasCheckbox ? row.querySelector(".select-job") : row).focus();
    }
    renderSortHeaders();
    renderPager(page);
    updateSelectionState();
  }

  function hasFilters() {
    const query = currentQuery();
    return FILTER_PARAMETERS.some((name) => query.get(name));
  }

  function jobRow(job, activity) {
    const title = job.title || "(untitled)";
    const checkbox = el("input", {
      type: "checkbox", class: "select-job", "aria-label": `Select ${title} at ${job.company}`,
    });
    checkbox.checked = selected.has(job.id);
    checkbox.addEventListener("change", () => {
      if (checkbox.checked) selected.add(job.id); else selected.delete(job.id);
      updateSelectionState();
    });

    const location = [...(job.locations || [])];
    if (job.is_remote) location.push("Remote");
    else if (job.workplace_type === "hybrid") location.push("Hybrid");

    const row = el("tr", { "data-job-id": job.id, tabindex: -1 },
      el("td", { class: "cell-select" }, checkbox),
      el("td", { class: "cell-title", "data-label": "Title" },
        el("div", {},
          el("a", { class: "job-link", href: `/jobs/${job.id}` }, title),
          location.length ? el("div", { class: "muted small" }, location.join(" · ")) : null)),
      el("td", { "data-label": "Company" }, job.company || "—"),
      el("td", { "data-label": "Source" }, job.source || "—"),
      el("td", { class: "job-status", "data-label": "Status", "data-status": job.status }, STATUS_LABELS[job.status] || job.status),
      el("td", { class: "cell-score", "data-label": "Score" },
        job.fit_score === null || job.fit_score === undefined ? "—" : String(job.fit_score)),
      el("td", { class: "cell-tier", "data-label": "Tier" },
        job.tier ? el("span", { class: `tier tier-${job.tier.toLowerCase()}`, title: job.fit_category || null }, job.tier) : "—"),
      el("td", { class: "cell-stages", "data-label": "Stages" },
        el("span", { class: "stages" }, STAGES.map((stage) => stageBadge(stage, job, activity)))),
      el("td", { "data-label": "Posted" }, el("time", { datetime: job.posted_at }, shortDate(job.posted_at))),
      el("td", { "data-label": "Found" }, el("time", { datetime: job.created_at, title: when(job.created_at) }, shortDate(job.created_at))),
    );
    row.classList.toggle("is-selected", checkbox.checked);
    return row;
  }

  function stageBadge(stage, job, activity) {
    const state = activity[stage.key] || (job.stages && job.stages[stage.done] ? "done" : "none");
    // The visible text is the state, as the contract asks; the stage name comes before it.
    return el("span", { class: "stage" },
      el("span", { class: "stage-name", "aria-hidden": "true" }, stage.label),
      el("span", { class: `badge ${state}`, "data-stage": stage.key, title: `${stage.label}: ${state}`,
        "aria-label": `${stage.label}: ${state}` }, state));
  }

  function shortDate(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
  }

  function renderSortHeaders() {
    const sort = currentSort();
    const column = sort.replace(/^-/, "");
    const descending = sort.startsWith("-");
    for (const button of document.querySelectorAll("#jobs-table th button[data-sort]")) {
      const th = button.closest("th");
      const isCurrent = button.dataset.sort === column;
      if (isCurrent) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
      button.dataset.direction = isCurrent ? (descending ? "desc" : "asc") : "";
    }
  }

  function renderPager(page) {
    const perPage = page.per_page || Number(DEFAULT_PER_PAGE);
    const number = page.page || currentPage();
    const total = typeof page.total === "number" ? page.total : null;
    const pages = total === null ? null : Math.max(1, Math.ceil(total / perPage));
    previousButton.disabled = number <= 1;
    nextButton.disabled = pages !== null ? number >= pages : !page.next_cursor;
    if (total === null) pageInfo.textContent = `Page ${number}`;
    else if (total === 0) pageInfo.textContent = "No jobs";
    else {
      const first = (number - 1) * perPage + 1;
      const last = Math.min(total, first + jobs.length - 1);
      pageInfo.textContent = `Page ${number} of ${pages} · jobs ${first}–${last} of ${total}`;
    }
  }

  // ---- Selection and bulk actions --------------------------------------------------------------

  function updateSelectionState() {
    const count = selected.size;
    selectionCount.textContent = count === 0 ? "None selected" : `${count} selected`;
    bulkApply.disabled = count === 0;
    selectAll.checked = jobs.length > 0 && count === jobs.length;
    selectAll.indeterminate = count > 0 && count < jobs.length;
    for (const row of tableBody.querySelectorAll("tr[data-job-id]")) {
      row.classList.toggle("is-selected", selected.has(Number(row.dataset.jobId)));
    }
  }

  function setSelected(jobID, isSelected) {
    if (isSelected) selected.add(jobID); else selected.delete(jobID);
    const row = tableBody.querySelector(`tr[data-job-id="${jobID}"]`);
    if (row) row.querySelector(".select-job").checked = isSelected;
    updateSelectionState();
  }

  selectAll.addEventListener("change", () => {
    for (const job of jobs) setSelected(job.id, selectAll.checked);
  });

  function plural(count, word) {
    return `${count} ${word}${count === 1 ? "" : "s"}`;
  }

  async function applyBulkAction() {
    const ids = jobs.map((job) => job.id).filter((id) => selected.has(id));
    if (ids.length === 0) return;
    const action = bulkAction.value;
    let request;
    let describe;
    if (action.startsWith("op:")) {
      const operation = action.slice(3);
      request = () => api("POST", "/api/operations/batch", { operation, job_ids: ids });
      describe = (batch) => `Started ${OPERATION_LABELS[operation] || operation} for ${plural(batch.runs.length, "job")}`
        + (batch.missing.length ? ` (${batch.missing.length} no longer exist)` : "");
    } else if (action === "applied" || action === "discard") {
      const status = action === "applied" ? "applied" : "discarded";
      request = () => api("POST", "/api/jobs/bulk", { job_ids: ids, action: "set_status", status });
      describe = (result) => `Marked ${plural((result.updated || ids).length, "job")} ${STATUS_LABELS[status].toLowerCase()}`;
    } else if (action === "delete") {
      // Deleting cannot be undone, so it alone asks first.
      if (!confirm(`Delete ${plural(ids.length, "job")}? This cannot be undone.`)) return;
      request = () => api("POST", "/api/jobs/bulk", { job_ids: ids, action: "delete" });
      describe = (result) => `Deleted ${plural((result.deleted || ids).length, "job")}`;
    } else {
      return;
    }
    bulkApply.disabled = true;
    // The button is disabled while nothing is selected; keep keyboard users on the action picker.
    if (document.activeElement === bulkApply) bulkAction.focus();
    const result = await attempt(request, describe);
    if (result !== undefined) selected.clear();
    await load({ quiet: true });
  }

  bulkApply.addEventListener("click", applyBulkAction);

  // ---- Filters, sorting, paging ----------------------------------------------------------------

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const query = queryFromForm();
    navigate(query); // A new search starts on page 1: no page in the query.
  });

  // Page size changes what "page 1" holds, so it applies at once.
  pageSizeSelect.addEventListener("change", () => navigate(queryFromForm()));

  document.getElementById("reset-filters").addEventListener("click", () => {
    form.reset();
    pageSizeSelect.value = DEFAULT_PER_PAGE;
    const query = new URLSearchParams();
    const sort = currentSort();
    if (sort !== DEFAULT_SORT) query.set("sort", sort);
    navigate(query);
  });

  for (const button of document.querySelectorAll("#jobs-table th button[data-sort]")) {
    button.setAttribute("aria-label", `Sort by ${button.textContent}`);
    button.addEventListener("click", () => {
      const column = button.dataset.sort;
      const sort = currentSort();
      // First click on a new column: scores and dates read best highest/newest first, text A–Z.
      const startsDescending = ["fit_score", "posted_at", "created_at", "updated_at", "priority"].includes(column);
      let next;
      if (sort === column) next = `-${column}`;
      else if (sort === `-${column}`) next = column;
      else next = startsDescending ? `-${column}` : column;
      const query = currentQuery();
      query.delete("page");
      if (next === DEFAULT_SORT) query.delete("sort"); else query.set("sort", next);
      navigate(query);
    });
  }

  function goToPage(number) {
    const query = currentQuery();
    if (number <= 1) query.delete("page"); else query.set("page", String(number));
    navigate(query);
    document.getElementById("jobs-table").scrollIntoView({ block: "start" });
  }

  previousButton.addEventListener("click", () => goToPage(currentPage() - 1));
  nextButton.addEventListener("click", () => goToPage(currentPage() + 1));

  window.addEventListener("popstate", () => {
    fillFormFromQuery();
    selected.clear();
    focusedIndex = -1;
    load();
  });

  async function loadSources() {
    const select = document.getElementById("filter-source");
    const wanted = currentQuery().get("source") || "";
    try {
      const data = await api("GET", "/api/sources");
      const names = (data.items || []).map((source) => source.name).sort();
      if (wanted && !names.includes(wanted)) names.push(wanted);
      select.append(...names.map((name) => el("option", { value: name }, name)));
      select.value = wanted;
    } catch (error) {
      // Without the list the filter still works for a source named in the URL.
      if (wanted) { select.append(el("option", { value: wanted }, wanted)); select.value = wanted; }
    }
  }

  // ---- Keyboard --------------------------------------------------------------------------------

  function rows() {
    return [...tableBody.querySelectorAll("tr[data-job-id]")];
  }

  function markFocusedRow() {
    rows().forEach((row, index) => row.classList.toggle("is-focused", index === focusedIndex));
  }

  function focusRow(index) {
    const all = rows();
    if (all.length === 0) return;
    focusedIndex = Math.max(0, Math.min(all.length - 1, index));
    markFocusedRow();
    all[focusedIndex].focus();
  }

  function isTyping(target) {
    return target instanceof HTMLElement
      && (target.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(target.tagName)
        && !(target.tagName === "INPUT" && target.type === "checkbox"));
  }

  // A click or Tab into a row makes it the row the shortcuts act on.
  tableBody.addEventListener("focusin", (event) => {
    const row = event.target.closest("tr[data-job-id]");
    if (!row) return;
    focusedIndex = rows().indexOf(row);
    markFocusedRow();
  });

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector("dialog[open]")) return;
    if (isTyping(event.target)) {
      if (event.key === "Escape" && event.target === searchInput) searchInput.blur();
      return;
    }
    const all = rows();
    const current = all[focusedIndex];
    switch (event.key) {
      case "/":
        event.preventDefault();
        searchInput.focus();
        searchInput.select();
        break;
      case "j":
        event.preventDefault();
        focusRow(focusedIndex + 1);
        break;
      case "k":
        event.preventDefault();
        focusRow(focusedIndex < 0 ? 0 : focusedIndex - 1);
        break;
      case "x":
        if (!current) return;
        event.preventDefault();
        setSelected(Number(current.dataset.jobId), !selected.has(Number(current.dataset.jobId)));
        break;
      case "o":
      case "Enter": {
        // Enter on a button, link or checkbox keeps its own meaning.
        if (event.key === "Enter" && event.target !== current && event.target !== document.body) return;
        if (!current) return;
        event.preventDefault();
        location.href = current.querySelector("a.job-link").href;
        break;
      }
      default:
        break;
    }
  });

  // ---- Start -----------------------------------------------------------------------------------

  fillFormFromQuery();
  loadSources();
  load();
})();
