// Passkeys: the browser's side of the WebAuthn ceremonies. A form marked data-passkey
// asks the server for the options (data-begin, JSON), hands them to
// navigator.credentials, and posts the answer back as an ordinary form (the server
// verifies everything with go-webauthn). Pages work without this file: the password
// stays, and the passkey button is only shown here.
"use strict";

(() => {
  const toBuf = (s) => {
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/");
    const bin = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0)).buffer;
  };
  const fromBuf = (buf) => {
    let bin = "";
    new Uint8Array(buf).forEach((b) => { bin += String.fromCharCode(b); });
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  const supported = () => !!(window.PublicKeyCredential && navigator.credentials);

  // The server's options, with the members WebAuthn wants as bytes decoded.
  const creationOptions = (pk) => {
    pk.challenge = toBuf(pk.challenge);
    pk.user.id = toBuf(pk.user.id);
    (pk.excludeCredentials || []).forEach((c) => { c.id = toBuf(c.id); });
    return pk;
  };
  const requestOptions = (pk) => {
    pk.challenge = toBuf(pk.challenge);
    (pk.allowCredentials || []).forEach((c) => { c.id = toBuf(c.id); });
    return pk;
  };

  // The credential as the JSON the server parses (base64url members).
  const credentialJSON = (cred) => {
    const r = cred.response;
    const out = {
      id: cred.id, rawId: fromBuf(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment || undefined,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: fromBuf(r.clientDataJSON) },
    };
    if (r.attestationObject) {
      out.response.attestationObject = fromBuf(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = fromBuf(r.authenticatorData);
      out.response.signature = fromBuf(r.signature);
      if (r.userHandle) out.response.userHandle = fromBuf(r.userHandle);
    }
    return JSON.stringify(out);
  };

  const csrf = (form) => (form.querySelector("input[name=_csrf]") || {}).value || "";

  const say = (form, text, problem) => {
    const el = form.querySelector("[data-passkey-status]");
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
    el.classList.toggle("field-error", !!problem);
  };

  // begin asks the server for a ceremony; body is the form's fields (registration) or none.
  const begin = async (form, body) => {
    const res = await fetch(form.dataset.begin, {
      method: "POST", credentials: "same-origin", body,
      headers: { "X-CSRF-Token": csrf(form), Accept: "application/json" },
    });
    let data = {};
    try { data = await res.json(); } catch (e) { /* not JSON: an error page */ }
    if (!res.ok || !data.options) throw new Error(data.error || form.dataset.msgFailed);
    return data;
  };

  const finish = (form, flow, cred) => {
    form.elements.flow.value = flow;
    form.elements.credential.value = credentialJSON(cred);
    // The password and code were checked when the ceremony began: do not send them again.
    form.querySelectorAll("input[type=password], input[name$=-code]").forEach((i) => {
      i.value = "";
      i.required = false;
    });
    form.submit();
  };

  const failed = (form, err) => {
    const cancelled = err && (err.name === "NotAllowedError" || err.name === "AbortError");
    say(form, cancelled ? form.dataset.msgCancelled : (err && err.message) || form.dataset.msgFailed, true);
  };

  // Adding a passkey on the account page.
  document.addEventListener("submit", async (ev) => {
    const form = ev.target.closest("form[data-passkey=register]");
    if (!form) return;
    ev.preventDefault();
    if (!supported()) { say(form, form.dataset.msgUnsupported, true); return; }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say(form, form.dataset.msgWorking, false);
    try {
      const fields = new URLSearchParams(new FormData(form));
      fields.delete("flow");
      fields.delete("credential");
      const data = await begin(form, fields);
      const cred = await navigator.credentials.create({ publicKey: creationOptions(data.options.publicKey) });
      finish(form, data.flow, cred);
    } catch (err) {
      failed(form, err);
      button.disabled = false;
    }
  });

  // Signing in: the autofill of the username field (conditional mediation) waits in the
  // background; the button asks at once (and ends the waiting autofill first, as a
  // browser runs one request at a time).
  let waiting = null;
  const stopWaiting = () => {
    if (waiting) waiting.abort();
    waiting = null;
  };

  const signIn = async (form, conditional) => {
    const data = await begin(form, null);
    const opts = { publicKey: requestOptions(data.options.publicKey) };
    if (conditional) {
      waiting = new AbortController();
      opts.mediation = "conditional";
      opts.signal = waiting.signal;
    }
    const cred = await navigator.credentials.get(opts);
    if (cred) finish(form, data.flow, cred);
  };

  document.addEventListener("click", async (ev) => {
    const button = ev.target.closest("[data-passkey-start]");
    if (!button) return;
    const form = button.closest("form[data-passkey=sign-in]");
    if (!supported()) { say(form, form.dataset.msgUnsupported, true); return; }
    stopWaiting();
    button.disabled = true;
    say(form, form.dataset.msgWorking, false);
    try {
      await signIn(form, false);
    } catch (err) {
      failed(form, err);
      button.disabled = false;
    }
  });

  const setUp = async (root) => {
    const sel = "form[data-passkey=sign-in]";
    const form = root.matches && root.matches(sel) ? root : root.querySelector && root.querySelector(sel);
    if (!form || form.dataset.ready || !supported()) return;
    form.dataset.ready = "1";
    form.querySelectorAll("[data-passkey-only]").forEach((el) => { el.hidden = false; });
    if (!document.querySelector("input[autocomplete~=webauthn]")) return;
    if (!PublicKeyCredential.isConditionalMediationAvailable) return;
    if (!(await PublicKeyCredential.isConditionalMediationAvailable())) return;
    stopWaiting();
    // A waiting autofill that fails says nothing: the person did not ask yet, and the
    // button still works.
    signIn(form, true).catch(() => {});
  };

  document.addEventListener("htmx:beforeRequest", stopWaiting);
  document.addEventListener("htmx:load", (ev) => setUp(ev.detail.elt));
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => setUp(document));
  } else {
    setUp(document);
  }
})();
