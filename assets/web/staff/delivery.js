// The deliveries page (delivery.html, docs/staff.md "Deliveries"): without ?event=ID, every
// signed-off event's delivery counts per target, with totals per target; with ?event=ID,
// every outbox entry of that event, rejected ones first, each with a Retry button, and
// "Retry all rejected". It reloads its data every 10 seconds while shown (pending entries
// move as the delivery worker sends them) and after a retry. Times are the hub's (UK) clock
// as the server writes them. DOM by createElement and textContent only: names and errors
// are shown as text, never as markup.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const refreshMs = 10000;
  const eventParam = new URLSearchParams(location.search).get("event");
  const eventId = /^[1-9][0-9]{0,17}$/.test(eventParam || "") ? eventParam : null;
  let loading = false, again = false;

  const stateWords = {pending: "Pending", sending: "Sending", delivered: "Delivered", rejected: "Rejected",
                      superseded: "Superseded"};
  const kindWords = {"https": "CRM (HTTPS)", "csv": "CSV files", "evidence-csv": "Evidence CSV files"};

  function say(text, good) {
    const m = $("message");
    m.textContent = text || "";
    m.className = "message " + (good ? "ok" : "bad");
    m.hidden = !text;
  }

  function problemOf(r) {
    if (r.body && (r.body.problem || r.body.error)) return r.body.problem || r.body.error;
    if (r.status === -1 || r.status === 0) return "The hub did not answer: check the connection and try again.";
    return "The hub refused (HTTP " + r.status + ").";
  }

  async function get(url) {
    await staffReady;
    try { return await staffFetch(url); } catch (e) { return {status: -1, body: null}; }
  }

  async function post(url, body) {
    await staffReady;
    try { return await staffFetch(url, {method: "POST", body}); } catch (e) { return {status: -1, body: null}; }
  }

  function cell(tr, text, cls) {
    const td = staffElement("td", text === null || text === undefined ? "" : text);
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  // ---- every event ----

  function drawTotals(totals) {
    const body = $("totals").querySelector("tbody");
    body.replaceChildren();
    for (const t of totals) {
      const tr = document.createElement("tr");
      tr.dataset.target = t.target;
      if (t.counts.rejected > 0) tr.className = "has-rejected";
      cell(tr, t.target + (t.active ? "" : " (no longer set up)"));
      cell(tr, kindWords[t.kind] || t.kind);
      cell(tr, t.counts.delivered, "num delivered");
      cell(tr, t.counts.pending + t.counts.sending, "num pending");
      cell(tr, t.counts.rejected, "num rejected" + (t.counts.rejected > 0 ? " rejected-count" : ""));
      cell(tr, t.counts.superseded, "num superseded");
      body.appendChild(tr);
    }
    $("no-targets").hidden = totals.length > 0;
  }

  function drawEvents(events, totals) {
    // One column per target, in the totals' order (every target any event was queued for).
    const targets = totals.map((t) => t.target);
    const head = $("events").querySelector("thead");
    const hr = document.createElement("tr");
    for (const h of ["Date", "Event", "Signed off", "Records"]) hr.appendChild(staffElement("th", h, {scope: "col"}));
    for (const t of targets) hr.appendChild(staffElement("th", t, {scope: "col"}));
    head.replaceChildren(hr);

    const body = $("events").querySelector("tbody");
    body.replaceChildren();
    for (const e of events) {
      const tr = document.createElement("tr");
      tr.dataset.event = String(e.event_id);
      if (e.rejected > 0) tr.className = "has-rejected";
      cell(tr, e.local_date, "date");
      const title = cell(tr, "");
      title.appendChild(staffElement("a", e.title, {href: "delivery.html?event=" + encodeURIComponent(e.event_id)}));
      if (e.rejected > 0) title.appendChild(staffElement("span", plural(e.rejected, "rejected", "rejected"), {"class": "flag rejected-count"}));
      cell(tr, e.signed_off_local || "", "time");
      cell(tr, e.records, "num");
      const byTarget = new Map(e.targets.map((t) => [t.target, t]));
      for (const name of targets) {
        const t = byTarget.get(name);
        const td = cell(tr, t ? "" : "—", "target-counts");
        td.dataset.target = name;
        if (!t) continue;
        td.appendChild(staffElement("span", t.counts.delivered + " delivered", {"class": "delivered"}));
        td.appendChild(staffElement("span", (t.counts.pending + t.counts.sending) + " pending", {"class": "pending"}));
        td.appendChild(staffElement("span", t.counts.rejected + " rejected",
                                    {"class": "rejected" + (t.counts.rejected > 0 ? " rejected-count" : "")}));
      }
      body.appendChild(tr);
    }
    $("no-events").hidden = events.length > 0;
  }

  async function loadOverview() {
    const r = await get("/staff/api/central");
    if (r.status !== 200 || !r.body) return say(problemOf(r));
    drawTotals(r.body.totals || []);
    drawEvents(r.body.events || [], r.body.totals || []);
    $("overview").hidden = false;
    return true;
  }

  // ---- one event ----

  async function retry(body, button) {
    if (button) button.disabled = true;
    const r = await post("/staff/api/central/retry", body);
    if (r.status === 200 && r.body) {
      const n = r.body.retried;
      say(n === 0 ? "Nothing was retried: the entry is no longer rejected."
                  : plural(n, "entry", "entries") + " retried: " + (n === 1 ? "it is" : "they are") +
                    " pending again and will be sent shortly.", n > 0);
    } else {
      say(problemOf(r));
    }
    await load();
    if (button) button.disabled = false;
  }

  function drawEntries(entries) {
    // Rejected first (they wait for a person), the server's order (name, version, target) kept otherwise.
    const rejected = entries.filter((d) => d.state === "rejected");
    const rest = entries.filter((d) => d.state !== "rejected");
    const body = $("entries").querySelector("tbody");
    body.replaceChildren();
    for (const d of rejected.concat(rest)) {
      const tr = document.createElement("tr");
      tr.dataset.delivery = String(d.delivery_id);
      tr.dataset.state = d.state;
      tr.className = "state-" + d.state;
      const who = cell(tr, d.name, "name");
      if (d.correction) who.appendChild(staffElement("span", "correction", {"class": "flag correction"}));
      cell(tr, d.version, "num version");
      cell(tr, d.target, "target");
      // The Retry button sits in the state cell, so it stays in view when the table scrolls sideways.
      const state = cell(tr, "", "state");
      state.appendChild(staffElement("span", stateWords[d.state] || d.state, {"class": "state-word " + d.state}));
      if (d.state === "rejected") {
        const b = staffElement("button", "Retry", {type: "button", "class": "retry"});
        b.setAttribute("aria-label", "Retry " + d.name + " to " + d.target);
        b.addEventListener("click", () => retry({delivery_id: d.delivery_id}, b));
        state.appendChild(b);
      }
      cell(tr, d.attempts, "num attempts");
      cell(tr, d.last_status === null ? "" : d.last_status, "num last-status");
      cell(tr, d.last_error || "", "error-text");
      cell(tr, d.state === "pending" ? (d.next_attempt_local || "") : "", "time next-attempt");
      cell(tr, d.delivered_local || "", "time delivered-at");
      cell(tr, d.remote_id || "", "remote-id");
      cell(tr, d.retried_by ? "retried by " + d.retried_by : "", "retried-by");
      body.appendChild(tr);
    }
    $("no-entries").hidden = entries.length > 0;

    const count = (s) => entries.filter((d) => d.state === s).length;
    $("summary").textContent = plural(count("delivered"), "delivered", "delivered") + ", " +
      (count("pending") + count("sending")) + " pending, " + rejected.length + " rejected, " +
      count("superseded") + " superseded.";
    const all = $("retry-all");
    all.hidden = rejected.length === 0;
    all.textContent = "Retry all rejected (" + rejected.length + ")";
  }

  async function loadEvent() {
    const r = await get("/staff/api/events/" + eventId + "/deliveries");
    if (r.status !== 200 || !r.body) return say(problemOf(r));
    const e = r.body.event;
    $("title").textContent = "Deliveries: " + e.title;
    $("intro").textContent = e.local_date + ". Rejected entries first: fix the cause (the error says what the " +
      "target refused), then retry them. This page refreshes itself every 10 seconds.";
    drawEntries(r.body.entries || []);
    $("one-event").hidden = false;
    return true;
  }

  // Loads the page's data, one load at a time: a load asked for during another (a retry
  // during a refresh) runs once that one ends, so what it shows is after the retry.
  // body.dataset.loaded counts the loads done (the browser tests wait on it).
  async function load() {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      do {
        again = false;
        const done = eventId ? await loadEvent() : await loadOverview();
        if (done) document.body.dataset.loaded = String((Number(document.body.dataset.loaded) || 0) + 1);
      } while (again);
    } finally {
      loading = false;
    }
  }

  function start() {
    if (eventId) {
      $("back").hidden = false;
      $("event-link").href = "event.html?id=" + encodeURIComponent(eventId);
      $("retry-all").addEventListener("click", (ev) => retry({event_id: Number(eventId)}, ev.currentTarget));
    } else if (eventParam !== null) {
      say("That is not an event's id: open one from the list below.");
    }
    load();
    // Pending entries move as the worker sends them; a hidden tab does not ask.
    setInterval(() => { if (!document.hidden) load(); }, refreshMs);
    document.addEventListener("visibilitychange", () => { if (!document.hidden) load(); });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
