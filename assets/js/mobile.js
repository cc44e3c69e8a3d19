// The simulated Watchpost mobile app. It keeps its data in this browser's localStorage,
// as the real app keeps it on the phone, and talks only to the mobile JSON API.
"use strict";
(() => {
  const KEYS = { portal: "wp.app.portal", portalName: "wp.app.portal_name", token: "wp.app.token", username: "wp.app.username", user: "wp.app.user", device: "wp.app.device" };
  const $ = (id) => document.getElementById(id);
  const store = {
    get: (k) => localStorage.getItem(KEYS[k]),
    set: (k, v) => localStorage.setItem(KEYS[k], v),
    del: (k) => localStorage.removeItem(KEYS[k]),
  };
  let lastView = "view-loading";
  // Texts come from the page, in its language; {0} is filled in here.
  const T = (key, arg) => {
    const el = document.querySelector('#app-text');
    const span = el && el.content.querySelector('[data-key="' + key + '"]');
    const text = span ? span.textContent : key;
    return arg === undefined ? text : text.replace("{0}", arg);
  };
  const lang = document.documentElement.lang || "en";

  function show(id) {
    document.querySelectorAll(".app-view").forEach((v) => { v.hidden = v.id !== id; });
    if (id !== "view-help") lastView = id;
    renderState();
  }

  function renderState() {
    const dl = $("device-state");
    dl.replaceChildren();
    const rows = [
      [T("portal"), store.get("portal")],
      [T("last_username"), store.get("username")],
      [T("token"), store.get("token") ? T("token_stored", store.get("token").slice(0, 10) + "…") : null],
    ];
    for (const [k, v] of rows) {
      const dt = document.createElement("dt"); dt.textContent = k;
      const dd = document.createElement("dd"); dd.textContent = v || "—";
      dl.append(dt, dd);
    }
  }

  function message(el, text, link) {
    el.replaceChildren();
    const p = document.createElement("p"); p.textContent = text; el.append(p);
    if (link) {
      const a = document.createElement("a");
      a.href = link.href; a.textContent = link.label; a.target = "_blank"; a.rel = "noopener";
      a.className = "btn btn-block"; a.id = link.id || "";
      el.append(a);
    }
    el.hidden = false;
  }

  async function api(method, path, body) {
    const headers = { "Accept": "application/json", "Accept-Language": lang };
    const token = store.get("token");
    if (token) headers["Authorization"] = "Bearer " + token;
    if (body) headers["Content-Type"] = "application/json";
    const resp = await fetch("/api/mobile/v1" + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
    const data = resp.status === 204 ? {} : await resp.json().catch(() => ({}));
    return { status: resp.status, data };
  }

  // start is what happens when the app opens: a stored token is checked with the server.
  async function start(notice) {
    $("signin-notice").hidden = true;
    $("signin-error").hidden = true;
    if (!store.get("portal")) { show("view-portal"); return; }
    $("signin-portal").textContent = T("portal_line", store.get("portalName") || store.get("portal"));
    $("app-username").value = store.get("username") || "";
    if (!store.get("token")) {
      if (notice) message($("signin-notice"), notice);
      show("view-signin");
      return;
    }
    const { status, data } = await api("GET", "/me");
    if (status === 200) { home(data.user); return; }
    store.del("token");
    message($("signin-notice"), status === 401 ? (data.message || T("session_ended")) : T("unreachable"));
    show("view-signin");
  }

  function home(user) {
    store.set("user", JSON.stringify(user));
    $("home-name").textContent = T("hello", user.display_name);
    $("home-portal").textContent = user.portal_name + " · " + user.role;
    show("view-home");
  }

  // A portal code is checked before the app asks for a password.
  $("view-portal").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const code = $("app-portal").value.trim().toLowerCase();
    const err = $("portal-error");
    err.hidden = true;
    if (!code) return;
    const { status, data } = await api("GET", "/portals/" + encodeURIComponent(code)).catch(() => ({ status: 0 }));
    if (status !== 200) {
      message(err, status === 404 ? err.dataset.unknown : err.dataset.offline);
      $("app-portal").setAttribute("aria-invalid", "true");
      $("app-portal").focus();
      return;
    }
    $("app-portal").removeAttribute("aria-invalid");
    store.set("portal", code);
    store.set("portalName", data.name || code);
    start();
  });

  $("view-signin").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("signin-error");
    err.hidden = true;
    $("signin-notice").hidden = true;
    const username = $("app-username").value.trim();
    store.set("username", username);
    const { status, data } = await api("POST", "/session", {
      portal: store.get("portal"), username, password: $("app-password").value, device_name: T("device_name"),
      device_token: store.get("device") || undefined,
    });
    $("app-password").value = "";
    const reset = { href: "/m/" + encodeURIComponent(store.get("portal")) + "/forgot-password", label: T("open_reset"), id: "app-open-reset" };
    if (status === 201) { signedIn(data); return; }
    if (status === 401 && data.error === "two_step_required") { twoStep(data.challenge); return; }
    // The API's messages are in the page's language (Accept-Language above).
    if (status === 401 || status === 423) message(err, data.message || T("went_wrong"), reset);
    else if (status === 403) message(err, data.message || T("went_wrong"), { href: "/" + encodeURIComponent(store.get("portal")) + "/sign-in", label: T("open_signin") });
    else if (status === 404) { store.del("portal"); show("view-portal"); message($("portal-error"), data.message || T("went_wrong")); }
    else message(err, data.message || T("went_wrong"));
    renderState();
  });

  // signedIn keeps the session's token and the device token: with the latter, this app's
  // own wrong passwords count apart from a stranger's (known devices).
  function signedIn(data) {
    store.set("token", data.token);
    if (data.device_token) store.set("device", data.device_token);
    home(data.user);
  }

  // Two-step verification: after a correct password the API asks for the code from the
  // authenticator app, against a short-lived challenge the app keeps only in memory.
  let challenge = "";
  function twoStep(c) {
    challenge = c;
    $("two-step-error").hidden = true;
    $("app-code").value = "";
    show("view-two-step");
    $("app-code").focus();
  }
  $("view-two-step").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("two-step-error");
    err.hidden = true;
    const { status, data } = await api("POST", "/session/two-step", { portal: store.get("portal"), challenge, code: $("app-code").value, device_token: store.get("device") || undefined });
    $("app-code").value = "";
    if (status === 201) { challenge = ""; signedIn(data); return; }
    if (data.error === "challenge_expired" || status === 423 || status === 403) {
      challenge = "";
      message($("signin-notice"), data.message || T("sign_in_again"));
      show("view-signin");
      return;
    }
    message(err, data.message || T("went_wrong"));
  });
  $("app-two-step-cancel").addEventListener("click", () => { challenge = ""; show("view-signin"); });

  $("app-trouble").addEventListener("click", () => {
    const who = $("app-username").value.trim() || store.get("username") || "";
    window.open("/m/" + encodeURIComponent(store.get("portal")) + "/forgot-password" + (who ? "?identifier=" + encodeURIComponent(who) : ""), "_blank", "noopener");
  });
  // "Ask my administrator for help": the same request as the web form, through the API.
  $("app-ask-help").addEventListener("click", () => {
    $("ask-username").value = $("app-username").value.trim() || store.get("username") || "";
    $("ask-result").hidden = true; $("ask-error").hidden = true;
    show("view-ask");
    $("ask-username").focus();
  });
  $("app-ask-back").addEventListener("click", () => show("view-signin"));
  $("view-ask").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("ask-error").hidden = true;
    const { status, data } = await api("POST", "/help-requests", {
      portal: store.get("portal"), username: $("ask-username").value.trim(), problem: $("ask-problem").value,
      message: $("ask-message").value, phone: $("ask-phone").value.trim(),
    });
    if (status !== 202) { message($("ask-error"), data.message || T("went_wrong")); return; }
    const out = $("ask-result");
    message(out, data.message, { href: data.redeem_url, label: T("open_redeem"), id: "app-open-redeem" });
    const ref = document.createElement("p"); ref.id = "ask-reference"; ref.textContent = T("ask_sent", data.reference);
    const code = document.createElement("p"); code.id = "ask-code"; code.className = "ask-code";
    code.textContent = T("ask_code", data.request_code.slice(0, 3) + " " + data.request_code.slice(3));
    out.prepend(ref, code);
    $("app-ask-btn").hidden = true;
    out.scrollIntoView({ block: "start" });
  });
  $("app-change-portal").addEventListener("click", () => { store.del("portal"); store.del("token"); show("view-portal"); });

  // Troubleshooting controls; the app's own screen has Sign out too.
  async function signOut() {
    if (store.get("token")) await api("DELETE", "/session");
    store.del("token"); store.del("user");
    start(T("signed_out"));
  }
  $("ctl-signout").addEventListener("click", signOut);
  $("app-signout").addEventListener("click", signOut);
  $("ctl-restart").addEventListener("click", () => { show("view-loading"); start(); });
  $("ctl-reinstall").addEventListener("click", () => {
    Object.values(KEYS).forEach((k) => localStorage.removeItem(k));
    show("view-loading");
    start();
  });

  // Help inside the app, through the help assistant's JSON API.
  let conversation = "";
  async function ask(text, choice) {
    const chat = $("app-chat");
    const mine = text ? bubble(chat, "me", text) : null;
    // The app's token goes along so that answers fit the signed-in person.
    const headers = { "Content-Type": "application/json" };
    if (store.get("token")) headers["Authorization"] = "Bearer " + store.get("token");
    const resp = await fetch("/api/help/messages", {
      method: "POST", headers: { ...headers, "Accept-Language": lang },
      body: JSON.stringify({ text: text || "", choice: choice || "", conversation, portal: store.get("portal") || "", topic: text || choice ? "" : "mobile_app" }),
    });
    const data = await resp.json().catch(() => ({}));
    if (!resp.ok) { bubble(chat, "bot", data.message || T("help_unavailable")); return; }
    conversation = data.conversation;
    if (mine && data.hidden) mine.firstChild.textContent = data.hidden; // it looked like a password: never shown again
    const b = bubble(chat, "bot", data.reply);
    (data.steps || []).forEach((s) => { const p = document.createElement("p"); p.className = "step"; p.textContent = s; b.append(p); });
    const opts = document.createElement("div"); opts.className = "app-options";
    (data.options || []).forEach((o) => {
      const btn = document.createElement("button"); btn.type = "button"; btn.className = "btn"; btn.textContent = o.label;
      btn.addEventListener("click", () => { bubble(chat, "me", o.label); ask("", o.value); });
      opts.append(btn);
    });
    b.append(opts);
    // The links the web help shows (reset page, sign-in, the administrator), opened in
    // the phone's browser as the real app would.
    if ((data.links || []).length) {
      const links = document.createElement("ul"); links.className = "app-links";
      data.links.forEach((l) => {
        const li = document.createElement("li"); const a = document.createElement("a");
        a.href = l.url; a.textContent = l.label; a.target = "_blank"; a.rel = "noopener";
        li.append(a); links.append(li);
      });
      b.append(links);
    }
    if (data.feedback) b.append(feedback(data.topic, data.feedback));
    chat.scrollTop = chat.scrollHeight;
  }
  // "Was this helpful?" at the end of a flow, answered through the feedback API.
  function feedback(topic, q) {
    const d = document.createElement("div"); d.className = "app-feedback";
    const p = document.createElement("p"); p.textContent = q.question; d.append(p);
    [[q.yes, true], [q.no, false]].forEach(([label, helpful]) => {
      const btn = document.createElement("button"); btn.type = "button"; btn.className = "btn"; btn.textContent = label;
      btn.addEventListener("click", async () => {
        d.querySelectorAll("button").forEach((x) => { x.disabled = true; });
        await fetch("/api/help/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ portal: store.get("portal") || "", topic, helpful }),
        }).catch(() => {});
      });
      d.append(btn);
    });
    return d;
  }
  function bubble(chat, who, text) {
    const d = document.createElement("div"); d.className = "bubble bubble-" + who;
    const p = document.createElement("p"); p.textContent = text; d.append(p);
    chat.append(d); return d;
  }
  $("app-help-btn").addEventListener("click", () => {
    show("view-help");
    if (!$("app-chat").childElementCount) ask("", "");
  });
  $("app-help-close").addEventListener("click", () => show(lastView));
  $("app-help-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const t = $("app-help-text").value.trim();
    if (t) { $("app-help-text").value = ""; ask(t, ""); }
  });

  start();
})();
