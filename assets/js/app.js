// Watchpost's small progressive enhancements. Every page works without this file.
"use strict";

// Copy buttons: <button data-copy="#id"> copies the text of the element it names.
document.addEventListener("click", (ev) => {
  const btn = ev.target.closest("[data-copy]");
  if (!btn) return;
  const src = document.querySelector(btn.dataset.copy);
  if (!src || !navigator.clipboard) return;
  // data-copy-text holds the text exactly (a key without its reading spaces, one code a line).
  navigator.clipboard.writeText(src.dataset.copyText || src.textContent.trim()).then(() => {
    const label = btn.textContent;
    btn.textContent = btn.dataset.copied || label;
    setTimeout(() => { btn.textContent = label; }, 1500);
  });
});

// Print buttons: <button data-print> prints the page (print styles keep only what matters).
document.addEventListener("click", (ev) => {
  if (ev.target.closest("[data-print]")) window.print();
});

// Countdowns: <form data-wait-seconds="N"> keeps its submit button off for N seconds and
// shows the time left in its [data-wait-left] (the "Send again" of a reset request).
const countdown = (form) => {
  const btn = form.querySelector("button[type=submit]");
  const left = form.querySelector("[data-wait-left]");
  const until = Date.now() + Number(form.dataset.waitSeconds) * 1000;
  const tick = () => {
    const s = Math.ceil((until - Date.now()) / 1000);
    btn.disabled = s > 0;
    if (left) left.textContent = s > 0 ? `(${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")})` : "";
    if (s > 0 && form.isConnected) setTimeout(tick, 1000);
  };
  tick();
};
const countdowns = (root) => root.querySelectorAll("form[data-wait-seconds]").forEach(countdown);
document.addEventListener("htmx:load", (ev) => countdowns(ev.detail.elt));
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => countdowns(document));
} else {
  countdowns(document);
}
