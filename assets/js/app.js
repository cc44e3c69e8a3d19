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
