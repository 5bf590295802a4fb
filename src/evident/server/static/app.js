// Evident review page: small vanilla JS, no external code. Every state change goes
// through the JSON API with the session's CSRF token in X-CSRF-Token.
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";
  var LABELS = { supported: "Supported", unsupported: "Unsupported", contradicted: "Contradicted", no_clinical_content: "No clinical content" };
  var DECISIONS = { pending: "Not reviewed", accepted: "Accepted", edited: "Edited", rejected: "Rejected" };

  function api(method, url, body) {
    var opts = { method: method, credentials: "same-origin", headers: { "X-CSRF-Token": csrf, "Accept": "application/json" } };
    if (body !== undefined) { opts.headers["Content-Type"] = "application/json"; opts.body = JSON.stringify(body); }
    return fetch(url, opts).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) {
        if (!r.ok) { var e = new Error((data && data.detail) || r.statusText); e.data = data; throw e; }
        return data;
      });
    });
  }
  function showError(id, msg) { var el = document.getElementById(id); if (el) { el.textContent = msg; el.hidden = !msg; } }

  // ---- new run -----------------------------------------------------------------
  var form = document.getElementById("run-form");
  if (form) {
    var taskSel = document.getElementById("task"), secSel = document.getElementById("sections");
    var syncSections = function () {
      var opt = taskSel.options[taskSel.selectedIndex];
      var names = (opt && opt.getAttribute("data-sections") || "").split(" ").filter(Boolean);
      secSel.textContent = "";
      var def = document.createElement("option"); def.value = ""; def.textContent = "task default"; secSel.appendChild(def);
      names.forEach(function (n) { var o = document.createElement("option"); o.value = n; o.textContent = n.toUpperCase(); secSel.appendChild(o); });
      secSel.disabled = names.length === 0;
    };
    var noteBox = document.getElementById("note-box");
    var syncNote = function () { noteBox.hidden = taskSel.value !== "check_note"; };
    taskSel.addEventListener("change", syncSections);
    taskSel.addEventListener("change", syncNote);
    syncSections(); syncNote();
    var upload = document.getElementById("upload");
    upload.addEventListener("change", function () {
      var f = upload.files && upload.files[0];
      if (!f) return;
      f.text().then(function (t) { document.getElementById("transcript").value = t; document.getElementById("demo").value = ""; });
    });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var demo = document.getElementById("demo").value;
      var text = document.getElementById("transcript").value;
      var body = { task: document.getElementById("task").value, model: document.getElementById("model").value };
      var sections = document.getElementById("sections").value;
      if (sections) body.sections = sections;
      if (demo) body.demo = demo; else body.transcript = text;
      var enc = document.getElementById("encounter").value.trim();
      if (enc) body.encounter = enc;
      if (!noteBox.hidden) body.options = { note: document.getElementById("note-text").value };
      var sex = document.getElementById("sex").value, age = document.getElementById("age").value;
      if (sex || age) { body.patient = {}; if (sex) body.patient.sex = sex; if (age) body.patient.age = parseInt(age, 10); }
      var btn = document.getElementById("run-button");
      btn.disabled = true; showError("run-error", "");
      api("POST", "/api/runs", body).then(function (job) { window.location.assign(job.page_url); })
        .catch(function (e) {
          btn.disabled = false;
          var extra = e.data && e.data.errors ? " (" + e.data.errors.map(function (x) { return x.field + ": " + x.message; }).join("; ") + ")" : "";
          showError("run-error", e.message + extra);
        });
    });
  }

  // ---- progress ----------------------------------------------------------------
  var progress = document.getElementById("progress");
  if (progress) {
    var runId = progress.getAttribute("data-run");
    var poll = function () {
      api("GET", "/api/runs/" + runId + "/status").then(function (s) {
        document.getElementById("progress-status").textContent = s.status;
        document.getElementById("progress-stage").textContent = s.stage;
        if (s.elapsed_ms !== null) document.getElementById("progress-elapsed").textContent = (s.elapsed_ms / 1000).toFixed(1);
        if (s.status === "done") { window.location.reload(); return; }
        if (s.status === "failed") { showError("progress-error", s.error || "the run failed"); return; }
        window.setTimeout(poll, 400);
      }).catch(function (e) { showError("progress-error", e.message); });
    };
    window.setTimeout(poll, 200);
  }

  // ---- review ------------------------------------------------------------------
  var review = document.getElementById("review");
  if (!review) return;
  var runId2 = review.getAttribute("data-run");
  var canAct = review.getAttribute("data-can-act") === "yes";
  var panelName = review.getAttribute("data-panel") || "sources";
  var selected = null;

  function highlight(ids, conflict) {
    document.querySelectorAll("li.seg.evidence").forEach(function (el) { el.classList.remove("evidence", "conflict"); });
    var first = null;
    ids.forEach(function (id) {
      document.querySelectorAll('li.seg[data-seg="' + CSS.escape(id) + '"]').forEach(function (el) {
        el.classList.add("evidence"); if (conflict) el.classList.add("conflict"); if (!first) first = el;
      });
    });
    if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
  function evidenceOf(el) { var v = el.getAttribute("data-evidence") || ""; return v ? v.split(" ") : []; }

  function select(el) {
    document.querySelectorAll("li.stmt.selected").forEach(function (x) { x.classList.remove("selected"); x.setAttribute("aria-pressed", "false"); });
    selected = el; el.classList.add("selected"); el.setAttribute("aria-pressed", "true");
    var label = el.getAttribute("data-label"), ev = evidenceOf(el);
    highlight(ev, label === "contradicted");
    document.getElementById("detail-empty").hidden = true;
    document.getElementById("detail-body").hidden = false;
    var badge = document.getElementById("detail-badge");
    badge.className = "badge label-" + label; badge.textContent = LABELS[label] || label;
    var dec = el.querySelector(".decision").getAttribute("data-decision");
    document.getElementById("detail-decision").textContent = DECISIONS[dec] || dec;
    var reason = el.getAttribute("data-reason");
    document.getElementById("detail-reason").textContent = reason || (label === "unsupported" ? "No evidence found in the " + panelName + "." : "");
    document.getElementById("detail-evidence").textContent = ev.length ? ev.join(", ") : "none";
    document.getElementById("detail-id").textContent = el.getAttribute("data-id") + ":";
    document.getElementById("detail-text").textContent = el.querySelector(".stmt-text").textContent;
    var box = document.getElementById("edit-box"); if (box) box.hidden = true;
  }
  // Keyboard review: j/k (or arrows) move between statements; a/e/r accept, edit, reject.
  var KEYS = { a: "btn-accept", e: "btn-edit", r: "btn-reject" };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, textarea, select")) return;
    var all = Array.prototype.slice.call(document.querySelectorAll("li.stmt"));
    if (!all.length) return;
    var at = selected ? all.indexOf(selected) : -1, next = null;
    if (e.key === "j" || e.key === "ArrowDown") next = all[Math.min(all.length - 1, at + 1)];
    if (e.key === "k" || e.key === "ArrowUp") next = all[Math.max(0, at - 1)];
    if (next) { e.preventDefault(); select(next); next.focus(); next.scrollIntoView({ block: "nearest" }); return; }
    var btn = KEYS[e.key] && selected && document.getElementById(KEYS[e.key]);
    if (btn && !btn.disabled) { e.preventDefault(); btn.click(); }
  });
  document.querySelectorAll("li.stmt").forEach(function (el) {
    el.addEventListener("click", function (e) { if (!e.target.closest("#edit-box")) select(el); });
    el.addEventListener("keydown", function (e) {
      if (e.target.closest("#edit-box")) return;
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); select(el); }
    });
  });
  document.querySelectorAll("li.omission").forEach(function (el) {
    el.addEventListener("click", function () { highlight(evidenceOf(el), false); });
  });

  function applyView(view) {
    view.statements.forEach(function (st) {
      var el = document.getElementById("stmt-" + st.id);
      if (!el) return;
      el.className = el.className.replace(/decision-\S+/, "decision-" + st.decision);
      el.querySelector(".stmt-text").textContent = st.text;
      // An edit is checked again: show the new text's verdict.
      var label = st.verdict ? st.verdict.label : "no_clinical_content";
      el.className = el.className.replace(/label-\S+/, "label-" + label);
      el.setAttribute("data-label", label);
      el.setAttribute("data-reason", st.verdict ? st.verdict.reason : "");
      el.setAttribute("data-evidence", st.verdict ? st.verdict.evidence.join(" ") : "");
      var b = el.querySelector(".badge"); b.className = "badge label-" + label; b.textContent = LABELS[label] || label;
      var was = el.querySelector(".was");
      if (was) { was.textContent = st.original_text; was.hidden = st.text === st.original_text; }
      var d = el.querySelector(".decision"); d.setAttribute("data-decision", st.decision); d.textContent = DECISIONS[st.decision];
    });
    document.getElementById("flag-count").textContent = view.flagged_pending.length;
    document.getElementById("omission-count").textContent = view.omissions_pending.length;
    view.omissions.forEach(function (om) {
      var el = document.getElementById("omission-" + om.id);
      if (!el) return;
      el.classList.toggle("acknowledged", om.acknowledged);
      var b = el.querySelector("button.ack"); if (b) b.hidden = om.acknowledged;
      el.querySelector(".ack-state").hidden = !om.acknowledged;
    });
    var ready = !view.flagged_pending.length && !view.omissions_pending.length;
    ["sign-button", "override-button", "sign-hint"].forEach(function (id, i) {
      var el = document.getElementById(id); if (el) el.hidden = i === 0 ? !ready : ready;
    });
    var trail = document.getElementById("trail"); trail.textContent = "";
    view.actions.forEach(function (a) {
      var li = document.createElement("li");
      li.textContent = a.at.slice(0, 19).replace("T", " ") + " · " + a.user + " · " + a.action + (a.statement_id ? " " + a.statement_id : "") +
        (a.clinician ? " as " + a.clinician : "") + (a.reason ? " · override: " + a.reason : "");
      trail.appendChild(li);
    });
    if (selected) select(selected);
  }
  function act(body) {
    showError("action-error", "");
    return api("POST", "/api/runs/" + runId2 + "/actions", body).then(applyView)
      .catch(function (e) { showError("action-error", e.message); throw e; });
  }
  if (canAct) {
    document.getElementById("btn-accept").addEventListener("click", function () { if (selected) act({ action: "accept", statement_id: selected.getAttribute("data-id") }); });
    document.getElementById("btn-reject").addEventListener("click", function () { if (selected) act({ action: "reject", statement_id: selected.getAttribute("data-id") }); });
    document.getElementById("btn-edit").addEventListener("click", function () {
      if (!selected) return;
      // Edit in place: the editor moves into the statement itself.
      var box = document.getElementById("edit-box");
      selected.appendChild(box);
      document.getElementById("edit-text").value = selected.querySelector(".stmt-text").textContent;
      box.hidden = false; document.getElementById("edit-text").focus();
    });
    document.getElementById("btn-cancel").addEventListener("click", function () { document.getElementById("edit-box").hidden = true; });
    document.getElementById("btn-save").addEventListener("click", function () {
      if (!selected) return;
      act({ action: "edit", statement_id: selected.getAttribute("data-id"), text: document.getElementById("edit-text").value })
        .then(function () { document.getElementById("edit-box").hidden = true; }, function () {});
    });
    // Accept every supported statement still pending, one recorded action each.
    var all = document.getElementById("btn-accept-supported");
    if (all) all.addEventListener("click", function () {
      var ids = Array.prototype.map.call(
        document.querySelectorAll("li.stmt.label-supported"), function (el) { return el; })
        .filter(function (el) { return el.querySelector(".decision").getAttribute("data-decision") === "pending"; })
        .map(function (el) { return el.getAttribute("data-id"); });
      all.disabled = true;
      ids.reduce(function (p, id) { return p.then(function () { return act({ action: "accept", statement_id: id }); }); }, Promise.resolve())
        .then(function () { all.disabled = false; }, function () { all.disabled = false; });
    });
    // Signing: offered once the review is complete; before that only with a written
    // reason (override). Either way the clinician confirms the attestation and their name.
    var form = document.getElementById("sign-form");
    var openSign = function (override) {
      var n = parseInt(document.getElementById("flag-count").textContent, 10) + parseInt(document.getElementById("omission-count").textContent, 10);
      document.getElementById("override-box").hidden = !override;
      document.getElementById("override-count").textContent = n;
      var t = document.getElementById("attest-text");
      t.textContent = override ? t.getAttribute("data-override").replace("{n}", n) : t.getAttribute("data-plain");
      document.getElementById("attest-check").checked = false;
      form.setAttribute("data-override", override ? "yes" : "no");
      form.hidden = false;
      (override ? document.getElementById("override-reason") : document.getElementById("attest-check")).focus();
    };
    document.getElementById("sign-button").addEventListener("click", function () { openSign(false); });
    document.getElementById("override-button").addEventListener("click", function () { openSign(true); });
    document.getElementById("sign-cancel").addEventListener("click", function () { form.hidden = true; showError("action-error", ""); });
    form.addEventListener("input", function () { showError("action-error", ""); });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = document.getElementById("clinician-name").value.trim();
      if (!document.getElementById("attest-check").checked) { showError("action-error", "Confirm the attestation to sign."); return; }
      if (!name) { showError("action-error", "Give the name you sign with."); return; }
      var body = { action: "sign", attest: true, clinician: name };
      if (form.getAttribute("data-override") === "yes") {
        var reason = document.getElementById("override-reason").value.trim();
        if (!reason) { showError("action-error", "Give the reason to sign over undecided items."); return; }
        body.reason = reason;
      }
      act(body).then(function () { window.location.reload(); }, function () {});
    });
    document.querySelectorAll("li.omission button.ack").forEach(function (b) {
      b.addEventListener("click", function (e) {
        e.stopPropagation();
        act({ action: "acknowledge", statement_id: b.closest("li.omission").getAttribute("data-id") });
      });
    });
  }
})();
