// The job detail page: header and status, the description by section with annotations and coverage,
// requirements, fit, company research, contacts with outreach drafts, the CV editor with its versions,
// the cover letter, notes, and operations with a live log. Everything a job board or a service wrote
// is shown as text through `Jobsmith.el` / textContent, never as HTML.
"use strict";

(() => {
  const { el, api, attempt, toast, when, follow } = Jobsmith;
  const root = document.getElementById("job");
  if (!root) return;
  const jobID = root.dataset.jobId;
  const jobPath = `/api/jobs/${encodeURIComponent(jobID)}`;

  /** What the page last loaded; the renderers read from here. */
  const state = {
    detail: null,        // GET /api/jobs/{id}
    sections: [],        // [{index, type, title, text}]
    annotations: [],     // GET /api/jobs/{id}/annotations items
    coverage: null,
    cvVersions: [],      // documents of kind cv, newest first
    cvSavedMarkdown: "", // what the editor holds when it has no unsaved edit
    coverLetters: [],
    outreach: [],
    followedRun: null,   // {id, source}
  };

  // ───────────────────────────── small helpers ─────────────────────────────

  const humanize = (value) => String(value || "").replace(/[_-]+/g, " ").replace(/^\w/, (c) => c.toUpperCase());
  const list = (value) => (Array.isArray(value) ? value : []);
  const characterCount = (text) => [...text].length; // code points, as people count characters

  /** Only web links become anchors: a javascript: URL from a job board must never be clickable. */
  function safeURL(url) {
    try {
      const parsed = new URL(url, location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" || parsed.protocol === "mailto:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function externalLink(url, text) {
    const href = safeURL(url);
    if (!href) return null;
    return el("a", { href, target: "_blank", rel: "noopener noreferrer" }, text);
  }

  function emptyNote(text) {
    return el("p", { class: "muted" }, text);
  }

  function fill(container, ...children) {
    container.replaceChildren(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  }

  function copyButton(getText, label) {
    return el("button", {
      type: "button", class: "button ghost copy", "aria-label": label,
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(getText());
          toast("Copied to the clipboard", "success");
        } catch (error) {
          toast("Could not copy: the browser refused access to the clipboard", "error");
        }
      },
    }, "Copy");
  }

  // ───────────────────────────── Markdown preview ─────────────────────────────
  // A deliberately tiny renderer: headings, paragraphs, lists, bold, italic, code and links. It builds
  // DOM nodes, so whatever the Markdown contains can only ever become text.

  function renderInline(text) {
    const nodes = [];
    const pattern = /(\*\*|__)(.+?)\1|(\*|_)(?!\s)(.+?)\3|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
    let last = 0;
    for (const match of text.matchAll(pattern)) {
      if (match.index > last) nodes.push(text.slice(last, match.index));
      if (match[2] !== undefined) nodes.push(el("strong", {}, renderInline(match[2])));
      else if (match[4] !== undefined) nodes.push(el("em", {}, renderInline(match[4])));
      else if (match[5] !== undefined) nodes.push(el("code", {}, match[5]));
      else {
        const link = externalLink(match[7], renderInline(match[6]));
        nodes.push(link || match[0]);
      }
      last = match.index + match[0].length;
    }
    if (last < text.length) nodes.push(text.slice(last));
    return nodes;
  }

  function renderMarkdown(markdown) {
    const fragment = document.createDocumentFragment();
    let paragraph = [];
    let listNode = null;
    const flushParagraph = () => {
      if (paragraph.length) fragment.append(el("p", {}, renderInline(paragraph.join(" "))));
      paragraph = [];
    };
    for (const line of String(markdown || "").split(/\r?\n/)) {
      const heading = line.match(/^(#{1,6})\s+(.*)$/);
      const bullet = line.match(/^\s*[-*+]\s+(.*)$/);
      const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
      if (heading) {
        flushParagraph(); listNode = null;
        // Headings inside the page start below the section's own h2.
        fragment.append(el(`h${Math.min(6, heading[1].length + 2)}`, {}, renderInline(heading[2])));
      } else if (bullet || numbered) {
        flushParagraph();
        const tag = bullet ? "ul" : "ol";
        if (!listNode || listNode.tagName.toLowerCase() !== tag) {
          listNode = el(tag, {});
          fragment.append(listNode);
        }
        listNode.append(el("li", {}, renderInline((bullet || numbered)[1])));
      } else if (!line.trim()) {
        flushParagraph(); listNode = null;
      } else {
        listNode = null;
        paragraph.push(line.trim());
      }
    }
    flushParagraph();
    return fragment;
  }

  // ───────────────────────────── header, status, notes ─────────────────────────────

  function renderHeader() {
    const job = state.detail.job;
    document.getElementById("job-title").textContent = job.title || "Untitled job";
    document.title = `${job.title || "Job"} · Jobsmith`;
    const facts = [job.company, list(job.locations).join(", "), job.is_remote ? "Remote" : null,
      job.employment_type, job.posted_at ? `posted ${when(job.posted_at)}` : null].filter(Boolean);
    document.getElementById("job-company").textContent = facts.join(" · ");
    fill(document.getElementById("job-links"),
      externalLink(job.job_url, "Job posting"),
      externalLink(job.apply_url, "Apply"),
      job.tier ? el("span", { class: "badge" }, `Tier ${job.tier}`) : null,
      Number.isFinite(job.fit_score) ? el("span", { class: "badge" }, `Fit ${job.fit_score}`) : null);
    document.getElementById("job-status").value = job.status;
  }

  function setUpStatusAndNotes() {
    const select = document.getElementById("job-status");
    select.addEventListener("change", async () => {
      const previous = state.detail ? state.detail.job.status : select.value;
      const saved = await attempt(() => api("PATCH", jobPath, { status: select.value }),
        () => `Status set to ${select.options[select.selectedIndex].text}`);
      if (saved) state.detail.job.status = select.value;
      else select.value = previous;
    });
    const notes = document.getElementById("job-notes");
    document.getElementById("notes-save").addEventListener("click", async () => {
      const saved = await attempt(() => api("PATCH", jobPath, { notes: notes.value }), "Notes saved");
      if (saved && state.detail) state.detail.job.notes = notes.value;
    });
  }

  function renderNotes(keepEdits) {
    const notes = document.getElementById("job-notes");
    const stored = state.detail.job.notes || "";
    // A reload after an operation must not throw away notes the user is typing.
    if (!keepEdits || notes.value === "" ) notes.value = stored;
  }

  // ───────────────────────────── description and annotations ─────────────────────────────

  const sectionTargets = { responsibilities: 5, qualifications: 5, technical_skills: 4, nice_to_have: 2 };

  function readSections() {
    const extraction = state.detail.extraction || {};
    const text = extraction.clean_text || "";
    // Section offsets are UTF-16 code units, exactly what JavaScript string indices are.
    state.sections = list(extraction.sections).map((section, index) => ({
      index, type: section.type || "other", title: section.title,
      text: text.slice(section.start, section.end),
    }));
  }

  /** Splits a section's text at every annotation boundary and wraps annotated pieces in <mark>. */
  function annotatedText(section) {
    const container = el("div", { class: "section-text" });
    const annotations = state.annotations.filter((a) => a.section_index === section.index && a.end <= section.text.length);
    const cuts = new Set([0, section.text.length]);
    for (const a of annotations) { cuts.add(a.start); cuts.add(a.end); }
    const points = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i < points.length - 1; i += 1) {
      const from = points[i];
      const to = points[i + 1];
      const piece = section.text.slice(from, to);
      const covering = annotations.filter((a) => a.start <= from && a.end >= to);
      if (!covering.length) { container.append(piece); continue; }
      // Overlaps open the narrowest annotation: it is the most specific one there.
      const narrowest = covering.reduce((best, a) => (a.end - a.start < best.end - best.start ? a : best));
      container.append(el("mark", {
        class: `annotation ${narrowest.relevance ? `relevance-${narrowest.relevance}` : ""}${covering.length > 1 ? " overlap" : ""}`,
        tabindex: "0", role: "button",
        "aria-label": `Annotation: ${annotationSummary(narrowest)}. Press Enter to edit.`,
        title: annotationSummary(narrowest),
        dataset: { annotationId: String(narrowest.id) },
      }, piece));
    }
    return container;
  }

  function annotationSummary(annotation) {
    const labels = [annotation.relevance, annotation.requirement_type, annotation.passion, annotation.identity]
      .filter(Boolean).map(humanize);
    if (annotation.note) labels.push(`“${annotation.note}”`);
    return labels.join(", ") || "annotation";
  }

  function sectionCoverage(section) {
    const entry = state.coverage && list(state.coverage.by_section).find((s) => s.section_index === section.index);
    const count = entry ? entry.annotations
      : state.annotations.filter((a) => a.section_index === section.index).length;
    const target = sectionTargets[section.type];
    const met = target && count >= target;
    return el("span", {
      class: `coverage badge${met ? " done" : ""}`,
      "aria-label": target ? `${count} of ${target} annotations` : `${count} annotations`,
    }, target ? `${count} / ${target}` : `${count}`);
  }

  function renderDescription() {
    const container = document.getElementById("description");
    if (!state.sections.length) {
      // Until extraction structures it, the board's plain text is shown (never its HTML); it cannot be annotated.
      const plain = state.detail.job.description_text || "";
      fill(container,
        emptyNote("The description has not been structured yet, so it cannot be annotated: run “Structure description” or “Full extraction”."),
        plain ? el("div", { class: "section-text unstructured" }, plain) : null);
      return;
    }
    fill(container, state.sections.map((section) => el("section", {
      class: "jd-section",
      "aria-label": section.title || humanize(section.type),
      dataset: { sectionIndex: String(section.index), sectionType: section.type },
    },
    el("div", { class: "jd-section-head" },
      el("span", { class: "section-type muted" }, humanize(section.type)),
      sectionCoverage(section)),
    annotatedText(section))));
  }

  function renderCoverageSummary() {
    const container = document.getElementById("coverage-summary");
    const coverage = state.coverage;
    if (!coverage || !list(coverage.by_type).length) { fill(container); return; }
    const overall = coverage.overall === null || coverage.overall === undefined ? null : Math.round(coverage.overall * 100);
    fill(container,
      el("p", { class: "coverage-overall" }, overall === null ? "No targeted sections" : `Coverage ${overall}%`),
      el("ul", { class: "coverage-types" }, list(coverage.by_type).map((entry) => el("li", {},
        el("span", {}, humanize(entry.section_type)),
        entry.target
          ? el("progress", { max: String(entry.target), value: String(Math.min(entry.annotations, entry.target)),
            "aria-label": `${humanize(entry.section_type)} coverage` })
          : null,
        el("span", { class: "muted" }, entry.target ? `${entry.annotations} / ${entry.target}` : `${entry.annotations}`)))));
  }

  async function reloadAnnotations() {
    const data = await api("GET", `${jobPath}/annotations`);
    state.annotations = list(data.items);
    state.coverage = data.coverage || null;
  }

  function applyAnnotationChange(result) {
    if (result && result.coverage) state.coverage = result.coverage;
    renderDescription();
    renderCoverageSummary();
  }

  // The dialog serves both a new span (pendingSpan) and an existing annotation (editingAnnotation).
  const dialog = document.getElementById("annotation-dialog");
  const labelFields = {
    relevance: document.getElementById("annotation-relevance"),
    requirement_type: document.getElementById("annotation-requirement"),
    passion: document.getElementById("annotation-passion"),
    identity: document.getElementById("annotation-identity"),
  };
  const noteField = document.getElementById("annotation-note");
  let pendingSpan = null;
  let editingAnnotation = null;
  let focusAfterDialog = null;

  function openAnnotationDialog(span, annotation) {
    pendingSpan = span;
    editingAnnotation = annotation;
    focusAfterDialog = document.activeElement;
    document.getElementById("annotation-dialog-title").textContent = annotation ? "Edit annotation" : "Annotate";
    document.getElementById("annotation-quote").textContent = annotation ? annotation.quote : span.quote;
    for (const [field, select] of Object.entries(labelFields)) select.value = (annotation && annotation[field]) || "";
    noteField.value = (annotation && annotation.note) || "";
    document.getElementById("annotation-delete").hidden = !annotation;
    dialog.showModal();
    labelFields.relevance.focus();
  }

  /** The selection's offsets inside one `.section-text`, or null when it is empty or spans sections. */
  function selectedSpan() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) return null;
    const range = selection.getRangeAt(0);
    const startText = closestSectionText(range.startContainer);
    if (!startText || startText !== closestSectionText(range.endContainer)) return null;
    const offsetOf = (node, offset) => {
      const before = document.createRange();
      before.setStart(startText, 0);
      before.setEnd(node, offset);
      return before.toString().length;
    };
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    const index = Number(startText.closest(".jd-section").dataset.sectionIndex);
    const text = state.sections[index].text;
    // Trim the whitespace a double click or a drag picks up at the edges.
    while (start < end && /\s/.test(text[start])) start += 1;
    while (end > start && /\s/.test(text[end - 1])) end -= 1;
    if (start >= end) return null;
    return { section_index: index, start, end, quote: text.slice(start, end) };
  }

  function closestSectionText(node) {
    const element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    return element ? element.closest(".jd-section .section-text") : null;
  }

  function annotationById(id) {
    return state.annotations.find((a) => String(a.id) === String(id));
  }

  function setUpAnnotations() {
    const description = document.getElementById("description");
    const offerSelection = () => {
      const span = selectedSpan();
      if (span) openAnnotationDialog(span, null);
    };
    description.addEventListener("mouseup", () => setTimeout(offerSelection, 0));
    // For keyboard users (caret browsing) and anyone whose selection did not open the dialog by itself.
    document.getElementById("annotate-selection").addEventListener("click", () => {
      const span = selectedSpan();
      if (span) openAnnotationDialog(span, null);
      else toast("Select some text inside one section of the description first", "info");
    });
    // Keyboard selection (Shift + arrows with caret browsing) is offered on release of Shift.
    description.addEventListener("keyup", (event) => { if (event.key === "Shift") offerSelection(); });
    description.addEventListener("click", (event) => {
      const mark = event.target.closest("mark.annotation");
      if (!mark || !window.getSelection().isCollapsed) return;
      const annotation = annotationById(mark.dataset.annotationId);
      if (annotation) openAnnotationDialog(null, annotation);
    });
    description.addEventListener("keydown", (event) => {
      const mark = event.target.closest && event.target.closest("mark.annotation");
      if (!mark || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      const annotation = annotationById(mark.dataset.annotationId);
      if (annotation) openAnnotationDialog(null, annotation);
    });

    document.getElementById("annotation-cancel").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      window.getSelection().removeAllRanges();
      // Re-rendering replaces the marks, so find the edited one again; a deleted one leaves focus nearby.
      const annotationId = focusAfterDialog && focusAfterDialog.dataset ? focusAfterDialog.dataset.annotationId : null;
      const replacement = annotationId ? document.querySelector(`mark.annotation[data-annotation-id="${CSS.escape(annotationId)}"]`) : null;
      if (replacement) replacement.focus();
      else if (focusAfterDialog && document.contains(focusAfterDialog)) focusAfterDialog.focus();
      else document.getElementById("annotate-selection").focus();
    });

    document.getElementById("annotation-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const fields = { note: noteField.value.trim() };
      for (const [field, select] of Object.entries(labelFields)) fields[field] = select.value || null;
      const hasLabel = Object.keys(labelFields).some((field) => fields[field]);
      if (!hasLabel && !fields.note) {
        toast("Choose at least one label or write a note", "error");
        return;
      }
      let result;
      if (editingAnnotation) {
        result = await attempt(() => api("PATCH", `${jobPath}/annotations/${editingAnnotation.id}`, fields), "Annotation updated");
        if (result) state.annotations = state.annotations.map((a) => (a.id === result.annotation.id ? result.annotation : a));
      } else {
        const body = { ...pendingSpan };
        for (const [field, value] of Object.entries(fields)) if (value) body[field] = value;
        result = await attempt(() => api("POST", `${jobPath}/annotations`, body), "Annotation saved");
        if (result) state.annotations = [...state.annotations, result.annotation];
      }
      if (!result) return;
      applyAnnotationChange(result);
      dialog.close();
    });

    document.getElementById("annotation-delete").addEventListener("click", async () => {
      if (!editingAnnotation) return;
      const id = editingAnnotation.id;
      const result = await attempt(() => api("DELETE", `${jobPath}/annotations/${id}`), "Annotation deleted");
      if (!result) return;
      state.annotations = state.annotations.filter((a) => a.id !== id);
      applyAnnotationChange(result);
      dialog.close();
    });
  }

  // ───────────────────────────── requirements and fit ─────────────────────────────

  function bulletList(title, items) {
    if (!items.length) return null;
    return el("div", { class: "requirement-group" }, el("h3", {}, title), el("ul", {}, items.map((item) => el("li", {}, item))));
  }

  function skillList(title, names, kind) {
    if (!names.length) return null;
    return el("div", { class: "requirement-group" }, el("h3", {}, title),
      el("ul", { class: "skills" }, names.map((name) => el("li", { class: `skill${kind ? ` ${kind}` : ""}` }, name))));
  }

  function renderRequirements() {
    const container = document.getElementById("requirements");
    const analysis = (state.detail.extraction || {}).analysis;
    if (!analysis) { fill(container, emptyNote("No extraction yet.")); return; }
    const skills = list(analysis.technical_skills);
    const skillName = (skill) => (typeof skill === "string" ? skill : skill.name);
    const facts = [
      analysis.seniority ? `Seniority: ${humanize(analysis.seniority)}` : null,
      analysis.years_experience ? `Experience: ${analysis.years_experience}+ years` : null,
      analysis.remote_policy ? `Work: ${humanize(analysis.remote_policy)}` : null,
      analysis.location ? `Location: ${analysis.location}` : null,
    ].filter(Boolean);
    fill(container,
      facts.length ? el("p", { class: "muted" }, facts.join(" · ")) : null,
      bulletList("Responsibilities", list(analysis.responsibilities)),
      bulletList("Qualifications", list(analysis.qualifications)),
      skillList("Required skills", skills.filter((s) => s.requirement !== "preferred").map(skillName)),
      skillList("Preferred skills", skills.filter((s) => s.requirement === "preferred").map(skillName)),
      bulletList("Nice to have", list(analysis.nice_to_haves)),
      skillList("Soft skills", list(analysis.soft_skills).map(skillName)));
  }

  function renderFit() {
    const container = document.getElementById("fit");
    const fit = (state.detail.extraction || {}).fit;
    if (!fit) { fill(container, emptyNote("No fit analysis yet.")); return; }
    const matched = [...list(fit.matched_required_skills), ...list(fit.matched_preferred_skills)];
    const missingRequired = list(fit.missing_required_skills);
    const missingPreferred = list(fit.missing_preferred_skills);
    const breakdown = Object.entries(fit.breakdown || {});
    fill(container,
      el("p", { class: "fit-score" },
        el("strong", {}, `${fit.score ?? "—"} / 100`), " ",
        el("span", { class: `badge ${fit.category === "strong" || fit.category === "good" ? "ok" : ""}` }, humanize(fit.category))),
      fit.rationale ? el("p", {}, fit.rationale) : null,
      fit.location_note ? el("p", { class: "muted" }, fit.location_note) : null,
      skillList("Matched skills", matched, "matched"),
      skillList("Missing required skills", missingRequired, "missing"),
      skillList("Missing preferred skills", missingPreferred, "missing"),
      breakdown.length ? el("div", { class: "requirement-group" }, el("h3", {}, "Score breakdown"),
        el("dl", { class: "breakdown" }, breakdown.flatMap(([name, points]) => [el("dt", {}, humanize(name)), el("dd", {}, String(points))])))
        : null);
  }

  // ───────────────────────────── company and contacts ─────────────────────────────

  function renderCompany() {
    const container = document.getElementById("company");
    const research = state.detail.research;
    const profile = research && research.profile;
    if (!profile) { fill(container, emptyNote("No company research yet.")); return; }
    const facts = [profile.industry, profile.company_type ? humanize(profile.company_type) : null,
      Number.isFinite(profile.quality_score) ? `research quality ${profile.quality_score}/100` : null].filter(Boolean);
    fill(container,
      el("p", {}, el("strong", {}, profile.name || research.company || "")),
      facts.length ? el("p", { class: "muted" }, facts.join(" · ")) : null,
      profile.summary ? el("p", {}, profile.summary) : null,
      list(profile.signals).length ? el("div", { class: "requirement-group" }, el("h3", {}, "Signals"),
        el("ul", {}, list(profile.signals).map((signal) => el("li", {},
          el("span", { class: "badge" }, humanize(signal.kind)), " ", signal.summary || "",
          signal.source_url ? [" ", externalLink(signal.source_url, "source")] : null))))
        : null,
      list(profile.providers).length ? el("p", { class: "muted small" }, "Sources: ",
        list(profile.providers).map((p) => `${p.provider} (${p.outcome}${p.detail ? `: ${p.detail}` : ""})`).join("; "))
        : null,
      research.researched_at ? el("p", { class: "muted small" }, `Researched ${when(research.researched_at)}`) : null);
  }

  /**
   * Splits the outreach document into drafts: "## <contact>" blocks, each with "**<channel>** ..." parts.
   * Returns [{heading, drafts: [{channel, subject, limit, text}]}].
   */
  function parseOutreach(markdown) {
    const blocks = [];
    for (const chunk of String(markdown || "").split(/^## /m).slice(1)) {
      const [heading, ...rest] = chunk.split("\n");
      const drafts = [];
      let current = null;
      for (const line of rest) {
        const channel = line.match(/^\*\*(.+?)\*\*\s*(?:\((\d+)\/(\d+) characters\))?\s*(?:—\s*(.*))?$/);
        if (channel) {
          current = { channel: channel[1], limit: channel[3] ? Number(channel[3]) : null, subject: channel[4] || "", lines: [] };
          drafts.push(current);
        } else if (current) current.lines.push(line);
      }
      for (const draft of drafts) draft.text = draft.lines.join("\n").trim();
      blocks.push({ heading: heading.trim(), drafts });
    }
    return blocks;
  }

  function draftView(draft) {
    const count = characterCount(draft.text);
    const over = draft.limit && count > draft.limit;
    return el("div", { class: "draft" },
      el("div", { class: "row draft-head" },
        el("strong", {}, draft.channel),
        draft.subject ? el("span", { class: "muted" }, draft.subject) : null,
        el("span", { class: `char-count badge${over ? " failed" : ""}` },
          draft.limit ? `${count} / ${draft.limit} characters` : `${count} characters`),
        copyButton(() => (draft.subject && draft.channel === "Email" ? `Subject: ${draft.subject}\n\n${draft.text}` : draft.text),
          `Copy the ${draft.channel} draft`)),
      el("pre", { class: "draft-text" }, draft.text));
  }

  function renderContacts() {
    const container = document.getElementById("contacts");
    const contacts = list(state.detail.research && state.detail.research.contacts);
    const latestOutreach = state.outreach[0];
    const blocks = latestOutreach ? parseOutreach(latestOutreach.markdown) : [];
    const used = new Set();
    let firstDrafts = true; // the first contact's drafts start open, so copying is one click away
    const items = contacts.map((contact) => {
      const block = blocks.find((b) => !used.has(b) && contact.name && b.heading.startsWith(contact.name));
      if (block) used.add(block);
      const openDrafts = Boolean(block) && firstDrafts;
      if (block) firstDrafts = false;
      return el("li", { class: "contact" },
        el("div", { class: "row" },
          el("strong", {}, contact.name || "Unknown contact"),
          contact.priority ? el("span", { class: "badge" }, humanize(contact.priority)) : null,
          contact.is_synthetic ? el("span", { class: "badge waiting" }, "to look up") : null),
        el("p", { class: "muted" }, [contact.role, contact.why_relevant].filter(Boolean).join(" — ")),
        contact.linkedin_url ? externalLink(contact.linkedin_url, "LinkedIn profile") : null,
        contact.email ? externalLink(`mailto:${contact.email}`, contact.email) : null,
        block ? el("details", { open: openDrafts },
          el("summary", {}, `Outreach drafts (${block.drafts.length})`), block.drafts.map(draftView)) : null);
    });
    // Drafts for contacts research no longer lists still deserve a place.
    const leftover = blocks.filter((b) => !used.has(b)).map((block) => el("li", { class: "contact" },
      el("strong", {}, block.heading),
      el("details", {}, el("summary", {}, `Outreach drafts (${block.drafts.length})`), block.drafts.map(draftView))));
    if (!items.length && !leftover.length) { fill(container, emptyNote("No contacts yet: run “Research company”.")); return; }
    fill(container,
      el("ul", { class: "contacts" }, items, leftover),
      latestOutreach ? el("p", { class: "muted small" }, `Drafts generated ${when(latestOutreach.created_at)}`)
        : emptyNote("No outreach drafts yet: run “Generate outreach”."));
  }

  // ───────────────────────────── CV editor and versions ─────────────────────────────

  const cvEditor = document.getElementById("cv-editor");
  const cvPreview = document.getElementById("cv-preview");

  function updatePreview() {
    cvPreview.replaceChildren(renderMarkdown(cvEditor.value));
    const dirty = cvEditor.value !== state.cvSavedMarkdown;
    document.getElementById("cv-dirty").textContent = dirty ? "Unsaved changes" : "";
  }

  function renderCV(keepEdits) {
    const cv = state.detail.cv;
    const newest = state.cvVersions[0];
    const markdown = newest ? newest.markdown : (cv && cv.markdown) || "";
    const dirty = cvEditor.value !== state.cvSavedMarkdown;
    state.cvSavedMarkdown = markdown;
    // Unsaved work in the editor wins over a newly generated version; the versions list offers it.
    if (!keepEdits || !dirty) cvEditor.value = markdown;
    updatePreview();
    const ats = cv && cv.ats;
    fill(document.getElementById("cv-summary"),
      cv && cv.generated_at ? el("p", {}, `Generated ${when(cv.generated_at)}${ats && Number.isFinite(ats.coverage) ? ` · ATS keyword coverage ${ats.coverage}%` : ""}`) : null,
      ats && list(ats.required_missing).length ? el("p", {}, `Required terms missing from the CV: ${list(ats.required_missing).join(", ")}`) : null,
      !cv && !newest ? el("p", {}, "No CV yet: run “Generate CV”, or write one here.") : null);
    renderVersions();
  }

  function renderVersions() {
    const container = document.getElementById("cv-versions");
    if (!state.cvVersions.length) { fill(container, el("li", { class: "muted" }, "No versions yet.")); return; }
    fill(container, state.cvVersions.map((version, position) => el("li", { dataset: { documentId: String(version.id) } },
      el("span", {}, `${when(version.created_at)} · ${version.source === "user" ? "your edit" : humanize(version.source)}`),
      position === 0 ? el("span", { class: "badge done" }, "current") : null,
      el("button", {
        type: "button", class: "button ghost", "aria-label": `Load the version of ${when(version.created_at)} into the editor`,
        onclick: () => {
          cvEditor.value = version.markdown;
          updatePreview();
          cvEditor.focus();
          toast("Version loaded into the editor; save to make it the newest", "info");
        },
      }, "Load"))));
  }

  /** Wraps the selection in `marker` or prefixes the selected lines with `prefix`. */
  function formatSelection(format) {
    const { selectionStart: start, selectionEnd: end, value } = cvEditor;
    cvEditor.focus();
    if (format === "bold" || format === "italic") {
      const marker = format === "bold" ? "**" : "*";
      const selected = value.slice(start, end) || (format === "bold" ? "bold text" : "italic text");
      cvEditor.setRangeText(`${marker}${selected}${marker}`, start, end, "end");
      cvEditor.setSelectionRange(start + marker.length, start + marker.length + selected.length);
    } else {
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const lineEnd = value.indexOf("\n", end) === -1 ? value.length : value.indexOf("\n", end);
      const prefix = format === "heading" ? "## " : "- ";
      const lines = value.slice(lineStart, lineEnd).split("\n")
        .map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : prefix + line.replace(/^(#{1,6}\s+|[-*+]\s+)/, "")));
      cvEditor.setRangeText(lines.join("\n"), lineStart, lineEnd, "select");
    }
    updatePreview();
  }

  function setUpCVEditor() {
    cvEditor.addEventListener("input", updatePreview);
    for (const button of document.querySelectorAll("button[data-format]")) {
      button.addEventListener("click", () => formatSelection(button.dataset.format));
    }
    cvEditor.addEventListener("keydown", (event) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      const key = event.key.toLowerCase();
      if (key === "b" || key === "i") {
        event.preventDefault();
        formatSelection(key === "b" ? "bold" : "italic");
      }
    });
    const saveButton = document.getElementById("cv-save");
    saveButton.addEventListener("click", async () => {
      if (!cvEditor.value.trim()) { toast("The CV is empty", "error"); return; }
      saveButton.disabled = true;
      const saved = await attempt(() => api("PUT", `${jobPath}/cv`, { markdown: cvEditor.value }), "CV saved as a new version");
      saveButton.disabled = false;
      if (!saved) return;
      state.cvSavedMarkdown = cvEditor.value;
      await loadDocuments();
      renderCV(true);
    });
  }

  function renderCoverLetter() {
    const container = document.getElementById("cover-letter");
    const letter = state.coverLetters[0];
    if (!letter) { fill(container, emptyNote("No cover letter yet: run “Generate cover letter”.")); return; }
    fill(container,
      el("div", { class: "row" },
        el("span", { class: "muted" }, `Generated ${when(letter.created_at)}`),
        el("span", { class: "char-count badge" }, `${characterCount(letter.markdown)} characters`),
        copyButton(() => letter.markdown, "Copy the cover letter")),
      el("div", { class: "markdown-preview" }, renderMarkdown(letter.markdown)));
  }

  // ───────────────────────────── operations and the live log ─────────────────────────────

  const operationStatus = document.getElementById("operation-status");
  const operationLog = document.getElementById("operation-log");

  function setRunStatus(status) {
    operationStatus.textContent = status;
    operationStatus.className = `badge ${status}`;
  }

  function appendLogLine(event) {
    const stick = operationLog.scrollTop + operationLog.clientHeight >= operationLog.scrollHeight - 4;
    operationLog.append(el("div", { class: "line" },
      el("time", { datetime: event.at || "" }, event.at ? new Date(event.at).toLocaleTimeString() : ""),
      el("span", { class: "log-service" }, [event.service, event.step].filter(Boolean).join(" · ")),
      el("span", { class: `log-message phase-${event.phase || ""}` }, event.message || humanize(event.phase))));
    if (stick) operationLog.scrollTop = operationLog.scrollHeight;
  }

  /** Shows a run's log and follows it live; `live` runs reload the page's data when they end. */
  let runsFollowed = 0; // lets the resume on load stand aside when the user already started a run

  function followRun(run, live) {
    runsFollowed += 1;
    if (state.followedRun) state.followedRun.source.close();
    operationLog.replaceChildren();
    document.getElementById("operation-name").textContent =
      `${humanize(run.operation)} · started ${when(run.created_at)}`;
    setRunStatus(run.status);
    const source = follow(`/api/operations/${encodeURIComponent(run.id)}/events`,
      (event) => {
        appendLogLine(event);
        if (operationStatus.textContent === "queued") setRunStatus("running");
      },
      async (end) => {
        state.followedRun = null;
        setRunStatus(end.status);
        // The stored log can hold a last line written just after the end event; show the complete one.
        const detail = await api("GET", `/api/operations/${encodeURIComponent(run.id)}`).catch(() => null);
        if (detail && list(detail.log).length > operationLog.children.length) {
          operationLog.replaceChildren();
          list(detail.log).forEach(appendLogLine);
        }
        if (detail && detail.run && detail.run.error) appendLogLine({ phase: "failed", message: detail.run.error });
        if (!live) return;
        toast(`${humanize(run.operation)} ${end.status}`, end.status === "succeeded" ? "success" : "error");
        await reloadAll(true);
      });
    state.followedRun = { id: run.id, source };
  }

  function setUpOperations() {
    for (const button of document.querySelectorAll("button[data-operation]")) {
      button.addEventListener("click", async () => {
        button.disabled = true;
        const result = await attempt(() => api("POST", `${jobPath}/operations/${button.dataset.operation}`, {}),
          `${button.textContent} queued`);
        button.disabled = false;
        if (result && result.run) followRun(result.run, true);
      });
    }
  }

  /** Finds the job's latest active run (or else its latest finished one) so the log survives a reload. */
  async function resumeLatestRun() {
    const followedBefore = runsFollowed;
    const queue = await api("GET", `/api/operations?job_id=${encodeURIComponent(jobID)}`);
    if (runsFollowed !== followedBefore) return;
    const newest = (runs) => list(runs).slice().sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)))[0];
    const active = newest([...list(queue.running), ...list(queue.queued)]);
    if (active) { followRun(active, true); return; }
    const finished = newest([...list(queue.failed), ...list(queue.recent)]);
    if (finished) followRun(finished, false);
  }

  // ───────────────────────────── loading ─────────────────────────────

  async function loadDocuments() {
    const data = await api("GET", `${jobPath}/documents`);
    const items = list(data.items).slice().sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)) || b.id - a.id);
    state.cvVersions = items.filter((d) => d.kind === "cv");
    state.coverLetters = items.filter((d) => d.kind === "cover_letter");
    state.outreach = items.filter((d) => d.kind === "outreach");
  }

  function renderAll(keepEdits) {
    renderHeader();
    renderNotes(keepEdits);
    readSections();
    renderDescription();
    renderCoverageSummary();
    renderRequirements();
    renderFit();
    renderCompany();
    renderContacts();
    renderCV(keepEdits);
    renderCoverLetter();
  }

  async function reloadAll(keepEdits) {
    try {
      const [detail] = await Promise.all([api("GET", jobPath), reloadAnnotations(), loadDocuments()]);
      state.detail = detail;
      renderAll(keepEdits);
    } catch (error) {
      if (error.status === 404 && !state.detail) document.getElementById("job-title").textContent = "Job not found";
      toast(`Could not load the job: ${error.message}`, "error");
    }
  }

  document.addEventListener("DOMContentLoaded", async () => {
    setUpStatusAndNotes();
    setUpAnnotations();
    setUpCVEditor();
    setUpOperations();
    await reloadAll(false);
    root.removeAttribute("aria-busy");
    resumeLatestRun().catch((error) => toast(`Could not read the job's runs: ${error.message}`, "error"));
  });
})();
