// Form enhancements; every form works without this file.
// - Show-password buttons (rendered hidden by components.Field) toggle the field.
// - Forms with data-unsaved-warning ask before the page is left with changes not saved.
// - After htmx swaps in an answer with an error, focus moves to the first invalid field
//   or the error message, and it is scrolled into view (on a phone it may be off-screen).
"use strict";

(() => {
  const toggles = (root) => {
    root.querySelectorAll("[data-pw-toggle]").forEach((btn) => { btn.hidden = false; });
  };
  document.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-pw-toggle]");
    if (!btn) return;
    const input = document.getElementById(btn.getAttribute("aria-controls"));
    if (!input) return;
    const show = btn.dataset.shown !== "true";
    input.type = show ? "text" : "password";
    btn.dataset.shown = String(show);
    btn.setAttribute("aria-label", show ? btn.dataset.labelHide : btn.dataset.labelShow);
  });
  // A shown password is hidden again before its form is sent, so the browser never
  // keeps it as ordinary form history.
  document.addEventListener("submit", (ev) => {
    ev.target.querySelectorAll("[data-pw-toggle][data-shown=true]").forEach((btn) => btn.click());
  }, true);

  const initial = new WeakMap();
  const serial = (form) => new URLSearchParams(new FormData(form)).toString();
  const remember = (root) => {
    root.querySelectorAll("form[data-unsaved-warning]").forEach((f) => { if (!initial.has(f)) initial.set(f, serial(f)); });
  };
  const changed = () => [...document.querySelectorAll("form[data-unsaved-warning]")]
    .find((f) => initial.has(f) && initial.get(f) !== serial(f));
  let submitting = null;
  document.addEventListener("submit", (ev) => { submitting = ev.target; }, true);
  window.addEventListener("beforeunload", (ev) => {
    const f = changed();
    if (f && f !== submitting) { ev.preventDefault(); ev.returnValue = ""; }
  });
  // Boosted links load pages through htmx, with no beforeunload: ask here.
  document.addEventListener("htmx:beforeRequest", (ev) => {
    const f = changed();
    if (!f || f.contains(ev.detail.elt)) return;
    if (!window.confirm(f.dataset.unsavedWarning)) ev.preventDefault();
  });

  const focusProblem = (root) => {
    const target = root.querySelector("[data-focus-on-error]") || root.querySelector("[aria-invalid=true]") ||
      root.querySelector(".alert-error, .alert-warning, [role=alert]");
    if (!target) return;
    if (!target.matches("input, select, textarea, button, a[href]")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
    // After htmx's own scrolling (a boosted swap scrolls to the top once settled), and
    // in the middle of the screen, clear of its edges (and of a phone's keyboard).
    setTimeout(() => target.scrollIntoView({ block: "center" }), 0);
  };
  document.addEventListener("htmx:afterSettle", (ev) => {
    const xhr = ev.detail.xhr;
    if (xhr && xhr.status >= 400) focusProblem(ev.detail.target || document.body);
  });

  // A field with data-invalid says that instead of the browser's "Please match the
  // requested format" (a two-step code: "Enter the 6 digits...").
  document.addEventListener("invalid", (ev) => {
    const f = ev.target;
    if (f.dataset && f.dataset.invalid && !f.validity.valueMissing) f.setCustomValidity(f.dataset.invalid);
  }, true);
  document.addEventListener("input", (ev) => {
    if (ev.target.dataset && ev.target.dataset.invalid) ev.target.setCustomValidity("");
  });

  const ready = (root) => { toggles(root); remember(root); };
  document.addEventListener("htmx:load", (ev) => ready(ev.detail.elt));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => ready(document));
  } else {
    ready(document);
  }
})();
