// The master CV page: edit its Markdown form and save it as a new version, roll back to an older
// version, or import a JSON Resume file. Every save, rollback and import adds a version; none erases one.
"use strict";

(() => {
  const { el, api, attempt, toast, when } = Jobsmith;
  const editor = document.getElementById("master-cv-editor");
  const saveButton = document.getElementById("master-cv-save");
  const revertButton = document.getElementById("master-cv-revert");
  const dirtyBadge = document.getElementById("master-cv-dirty");
  const fileInput = document.getElementById("json-resume-file");
  const importButton = document.getElementById("json-resume-import");
  let savedText = "";
  let saving = false;

  const isDirty = () => editor.value !== savedText;

  function updateDirty() {
    const dirty = isDirty();
    dirtyBadge.hidden = !dirty;
    // Save stays usable without changes (it then says so), so a value set by a script still saves.
    saveButton.disabled = saving;
    revertButton.disabled = saving || !dirty;
  }

  async function loadMarkdown() {
    const response = await fetch("/api/master-cv/export?format=markdown", {
      credentials: "same-origin", headers: { Accept: "text/markdown" },
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    savedText = await response.text();
    editor.value = savedText;
    editor.disabled = false;
    updateDirty();
  }

  async function errorMessage(response) {
    const data = await response.json().catch(() => null);
    return data && data.error ? data.error.message : `${response.status} ${response.statusText}`;
  }

  function putMarkdown(text) {
    return Jobsmith.apiText("PUT", "/api/master-cv", text, "text/markdown; charset=utf-8");
  }

  function renderHistory(versions) {
    const current = versions.length ? versions[0].version : null;
    document.getElementById("master-cv-version").textContent = current === null ? "" : `Current version: ${current}`;
    const items = versions.map((version) => el("li", { class: "version", "data-version": version.version },
      el("div", { class: "version-text" },
        el("strong", {}, `Version ${version.version}`), " ",
        version.version === current ? el("span", { class: "badge ok" }, "current") : null,
        el("div", { class: "version-meta" },
          `${when(version.created_at)} · ${version.source}`, version.note ? ` · ${version.note}` : "",
          " · ", el("code", { title: "Fingerprint" }, version.fingerprint))),
      version.version === current ? null : el("button", {
        type: "button", class: "button", "data-action": "rollback", "data-version": version.version,
        "aria-label": `Roll back to version ${version.version}`,
        onclick: (event) => rollback(version.version, event.currentTarget),
      }, "Roll back")));
    document.getElementById("master-cv-history").replaceChildren(...items);
  }

  async function loadHistory() {
    try {
      const history = await api("GET", "/api/master-cv/history");
      renderHistory(history.items || []);
    } catch (error) {
      document.getElementById("master-cv-history").replaceChildren(el("li", { class: "muted" }, `Could not load the versions: ${error.message}`));
    }
  }

  // Anything that replaces the editor's text asks first when there are unsaved edits.
  const mayReplaceEdits = () => !isDirty() || confirm("Your unsaved changes in the editor will be lost. Continue?");

  async function save() {
    if (saving) return;
    if (!isDirty()) { toast("No changes to save", "info"); return; }
    saving = true;
    updateDirty();
    const text = editor.value;
    const saved = await attempt(() => putMarkdown(text), (version) => `Saved as version ${version.version}`);
    saving = false;
    if (saved !== undefined) {
      savedText = text;
      // The server's Markdown may differ from what was typed (normalised); show the stored form.
      await attempt(loadMarkdown);
      await loadHistory();
    }
    updateDirty();
  }

  async function rollback(version, button) {
    if (!mayReplaceEdits()) return;
    button.disabled = true;
    const saved = await attempt(() => api("POST", `/api/master-cv/rollback/${encodeURIComponent(version)}`),
      (result) => `Version ${version} restored as version ${result.version}`);
    if (saved === undefined) { button.disabled = false; return; }
    await attempt(loadMarkdown);
    await loadHistory();
  }

  async function importFile() {
    const file = fileInput.files[0];
    if (!file) { toast("Choose a JSON Resume file first", "error"); return; }
    let resume;
    try {
      resume = JSON.parse(await file.text());
    } catch (error) {
      toast(`${file.name} is not valid JSON: ${error.message}`, "error");
      return;
    }
    if (!resume || typeof resume !== "object" || Array.isArray(resume)) {
      toast(`${file.name} does not hold a JSON Resume object`, "error");
      return;
    }
    if (!mayReplaceEdits()) return;
    importButton.disabled = true;
    const saved = await attempt(() => api("POST", "/api/master-cv/import", resume),
      (result) => `${file.name} imported as version ${result.version}`);
    importButton.disabled = !fileInput.files.length;
    if (saved === undefined) return;
    fileInput.value = "";
    importButton.disabled = true;
    await attempt(loadMarkdown);
    await loadHistory();
  }

  editor.addEventListener("input", updateDirty);
  editor.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  saveButton.addEventListener("click", save);
  revertButton.addEventListener("click", () => {
    if (!confirm("Discard your unsaved changes?")) return;
    editor.value = savedText;
    updateDirty();
    editor.focus();
  });
  fileInput.addEventListener("change", () => { importButton.disabled = !fileInput.files.length; });
  importButton.addEventListener("click", importFile);
  window.addEventListener("beforeunload", (event) => {
    if (isDirty()) { event.preventDefault(); event.returnValue = ""; }
  });

  loadMarkdown().catch((error) => {
    editor.value = "";
    editor.placeholder = `Could not load the master CV: ${error.message}`;
    toast(`Could not load the master CV: ${error.message}`, "error");
  });
  loadHistory();
})();
