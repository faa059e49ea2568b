// Shared by every page: API calls with the session's CSRF token, sign-in, toasts, the theme toggle,
// and small DOM helpers. No framework and no dependency: pages build their DOM with `el`, which only
// ever sets text, never HTML, so nothing a job board wrote can become markup by accident.
"use strict";

const Jobsmith = (() => {
  let csrfToken = null;
  let sessionChecked = false;
  const requiresCredentials = document.body.dataset.requiresCredentials === "true";

  /** Creates an element: `el("a", {href: "/x", class: "link"}, "text", child)`. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
      else if (name === "dataset") Object.assign(node.dataset, value);
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function toast(message, kind = "info") {
    const item = el("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : null }, message);
    document.getElementById("toasts").append(item);
    setTimeout(() => item.remove(), kind === "error" ? 8000 : 4000);
  }

  async function loadSession() {
    if (sessionChecked) return;
    sessionChecked = true;
    try {
      const response = await fetch("/api/session", { credentials: "same-origin" });
      if (!response.ok) return;
      const session = await response.json();
      csrfToken = session.csrf_token || null;
      const needsSignIn = session.requires_credentials && !session.authenticated;
      document.getElementById("sign-in").hidden = !needsSignIn;
    } catch (error) {
      // The page still reads; writes will say what is wrong.
    }
  }

  /** Calls the API with a JSON body; throws an Error carrying the API's message for any non-2xx answer. */
  function api(method, path, body) {
    return send(method, path, body === undefined ? undefined : JSON.stringify(body), "application/json");
  }

  /** Calls the API with a body of another type (`text/markdown` for the master CV). */
  function apiText(method, path, text, contentType) {
    return send(method, path, text, contentType);
  }

  async function send(method, path, body, contentType) {
    await loadSession();
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = contentType;
    if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
    const response = await fetch(path, { method, headers, credentials: "same-origin", body });
    if (response.status === 204) return null;
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const message = data && data.error ? data.error.message : `${response.status} ${response.statusText}`;
      if (response.status === 401) document.getElementById("sign-in").hidden = false;
      const error = new Error(message);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  /** Runs `action`, then toasts `success` or the error's message. */
  async function attempt(action, success) {
    try {
      const result = await action();
      if (success) toast(typeof success === "function" ? success(result) : success, "success");
      return result;
    } catch (error) {
      toast(error.message, "error");
      return undefined;
    }
  }

  function setUpSignIn() {
    const dialog = document.getElementById("sign-in-dialog");
    document.getElementById("sign-in").addEventListener("click", () => dialog.showModal());
    document.getElementById("sign-in-cancel").addEventListener("click", () => dialog.close());
    document.getElementById("sign-in-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = document.getElementById("sign-in-token");
      const response = await fetch("/api/session", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: input.value }),
      });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        toast(data && data.error ? data.error.message : "Sign-in failed", "error");
        return;
      }
      csrfToken = data.csrf_token;
      input.value = "";
      dialog.close();
      document.getElementById("sign-in").hidden = true;
      toast("Signed in", "success");
    });
  }

  function setUpTheme() {
    const root = document.documentElement;
    const button = document.getElementById("theme-toggle");
    const current = () => root.getAttribute("data-theme")
      || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
    const label = () => { button.textContent = current() === "dark" ? "Light theme" : "Dark theme"; };
    button.addEventListener("click", () => {
      const next = current() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("jobsmith-theme", next); } catch (e) {}
      label();
    });
    label();
  }

  /** Formats an ISO date for people, in their locale. */
  function when(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    return isNaN(date) ? iso : date.toLocaleString();
  }

  /**
   * Follows a Server-Sent Events stream. The browser reconnects by itself with Last-Event-ID, so a
   * dropped connection loses nothing; `onEnd` runs on the stream's `end` event.
   */
  function follow(path, onProgress, onEnd) {
    const source = new EventSource(path);
    source.addEventListener("progress", (event) => onProgress(JSON.parse(event.data), event.lastEventId));
    source.addEventListener("end", (event) => {
      source.close();
      if (onEnd) onEnd(JSON.parse(event.data));
    });
    return source;
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpTheme();
    setUpSignIn();
    if (requiresCredentials) loadSession();
  });

  return { el, api, apiText, attempt, toast, when, follow };
})();
